"""Account balances, in cents. Every movement of money goes through `transfer`."""

from __future__ import annotations

import threading
from collections import defaultdict

import errkit

from bazaar.escrow.errors import InsufficientBalance, InvalidAmount, LedgerMismatch


class Ledger:
    #: The account that holds funds while they are in escrow.
    ESCROW = "escrow:holding"

    def __init__(self) -> None:
        self._balances: dict[str, int] = {self.ESCROW: 0}
        self._deposited: dict[str, int] = defaultdict(int)
        self._lock = threading.RLock()

    def open_account(self, account: str, balance: int = 0) -> None:
        with self._lock:
            if account in self._balances:
                raise errkit.ValidationError(
                    f"account {account} already exists", module="escrow", code=502
                )
            self._balances[account] = 0
        if balance:
            self.deposit(account, balance)

    def balance(self, account: str) -> int:
        with self._lock:
            try:
                return self._balances[account]
            except KeyError as e:
                raise errkit.CodedKeyError(account, module="escrow", code=511) from e

    def deposit(self, account: str, amount: int) -> None:
        if amount <= 0:
            raise InvalidAmount(f"amount must be positive, got {amount}")
        with self._lock:
            self.balance(account)  # unknown accounts fail here
            self._balances[account] += amount
            self._deposited[account] += amount

    def transfer(self, source: str, target: str, amount: int) -> None:
        if amount <= 0:
            raise InvalidAmount(f"amount must be positive, got {amount}")
        with self._lock:
            available = self.balance(source)
            self.balance(target)
            if available < amount:
                raise InsufficientBalance(
                    f"insufficient balance in {source}: need {amount}, have {available}"
                )
            self._balances[source] -= amount
            self._balances[target] += amount

    def reconcile(self) -> int:
        """Check that money was neither created nor lost; returns the total."""
        with self._lock:
            total = sum(self._balances.values())
            expected = sum(self._deposited.values())
        if total != expected:
            raise LedgerMismatch(f"ledger total {total} != deposits {expected}")
        return total
