"""bazaar: a compute marketplace.

Providers run a daemon that bids GPU capacity into the market; buyers place orders;
matched orders are paid through escrow and fulfilled by the workflow engine. Every
part keeps its state in memory (see `bazaar.storage`) so the service runs and tests
without a database.
"""

__version__ = "2.14.0"
