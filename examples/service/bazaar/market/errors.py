"""Errors of the market.

`MarketClosed` has been moved onto errkit; the others are still the classes the
market has always raised.
"""

from __future__ import annotations

import errkit


class InsufficientFunds(Exception):
    """The buyer's escrow balance does not cover the order."""

    def __init__(self, account: str, needed: int, available: int) -> None:
        super().__init__(f"insufficient funds in {account}: need {needed}, have {available}")
        self.account = account
        self.needed = needed
        self.available = available


class OrderNotFound(KeyError):
    """No open order has this id."""


class SelfTrade(ValueError):
    """An order would match another order of the same account."""


class MarketClosed(errkit.StateError, module="market", code=440):
    """The market for this GPU model is halted."""
