"""Errors of escrow, migrated to errkit coded errors (codes 500-599).

Each class is still the builtin its callers catch: `InvalidAmount` is a
`ValueError`, `HoldNotFound` a `LookupError`, `HoldExpired` a `RuntimeError`.
"""

from __future__ import annotations

import errkit


class InvalidAmount(errkit.ValidationError, module="escrow", code=501):
    """An amount is zero, negative, or more than what is held."""


class HoldNotFound(errkit.NotFoundError, module="escrow", code=510):
    """No hold has this id."""


class InsufficientBalance(errkit.ConflictError, module="escrow", code=520):
    """The account's available balance does not cover the hold."""


class HoldExpired(errkit.StateError, module="escrow", code=540):
    """The hold passed its expiry before it was captured."""


class HoldAlreadySettled(errkit.StateError, module="escrow", code=541):
    """The hold was already captured in full, released or expired."""


class LedgerMismatch(Exception):
    """The ledger's totals do not add up; raised by the nightly reconciliation."""
