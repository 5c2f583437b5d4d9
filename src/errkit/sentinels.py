"""Sentinel kinds of failure: ``errkit.sentinels.NotFound``, ``...Expired``, ...

The classes live in ``errkit.core._sentinels``; this module is their public
import path (``from errkit.sentinels import NotFound``).
"""

from __future__ import annotations

from .core._sentinels import *  # the module defines an exact __all__
from .core._sentinels import __all__  # noqa: F401 - re-exported list of names
