"""Escrow: buyer funds are held while an order runs, then captured or refunded."""

from bazaar.escrow.errors import (
    HoldAlreadySettled,
    HoldExpired,
    HoldNotFound,
    InsufficientBalance,
    InvalidAmount,
    LedgerMismatch,
)
from bazaar.escrow.holds import EscrowService, Hold
from bazaar.escrow.ledger import Ledger

__all__ = [
    "EscrowService",
    "Hold",
    "HoldAlreadySettled",
    "HoldExpired",
    "HoldNotFound",
    "InsufficientBalance",
    "InvalidAmount",
    "Ledger",
    "LedgerMismatch",
]
