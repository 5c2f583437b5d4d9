"""Escrow holds: place, capture (pay the provider), release (refund), expire.

Settlement side effects (listeners such as notifications) run on a small pool so a
slow listener never holds the ledger lock; expired holds are refunded by a reaper
thread.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import errkit

from bazaar.escrow.errors import (
    HoldAlreadySettled,
    HoldExpired,
    HoldNotFound,
    InvalidAmount,
)
from bazaar.escrow.ledger import Ledger
from bazaar.storage import Repository, new_id

log = logging.getLogger("bazaar.escrow")


class HoldState(enum.Enum):
    OPEN = "open"
    SETTLED = "settled"
    RELEASED = "released"
    EXPIRED = "expired"


@dataclass
class Hold:
    account: str
    amount: int
    expires_at: float
    reference: str | None = None
    id: str = field(default_factory=lambda: new_id("hold"))
    captured: int = 0
    state: HoldState = HoldState.OPEN

    @property
    def remaining(self) -> int:
        return self.amount - self.captured


Listener = Callable[[Hold], None]


class EscrowService:
    def __init__(
        self,
        ledger: Ledger,
        *,
        clock: Callable[[], float] = time.monotonic,
        workers: int = 2,
    ) -> None:
        self.ledger = ledger
        self._clock = clock
        self.holds: Repository[Hold] = Repository("hold")
        self._listeners: list[Listener] = []
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="escrow")
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._reaper: threading.Thread | None = None
        self._closed = False

    # -- lifecycle --------------------------------------------------------------------

    def start_reaper(self, interval: float = 1.0) -> None:
        self._reaper = threading.Thread(
            target=errkit.recovered(self._reap_loop, context="escrow:reaper"),
            args=(interval,),
            name="escrow-reaper",
            daemon=True,
        )
        self._reaper.start()

    def close(self) -> None:
        self._stop.set()
        if self._reaper is not None:
            self._reaper.join()
        self._pool.shutdown(wait=True)
        self._closed = True

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # -- holds ------------------------------------------------------------------------

    def get_hold(self, hold_id: str) -> Hold:
        try:
            return self.holds.get(hold_id)
        except KeyError as e:
            raise HoldNotFound(f"hold {hold_id} not found") from e

    def place_hold(
        self, account: str, amount: int, ttl: float, reference: str | None = None
    ) -> Hold:
        if self._closed:
            raise RuntimeError("escrow service is closed")
        if amount <= 0:
            raise InvalidAmount(f"amount must be positive, got {amount}")
        if ttl <= 0:
            raise errkit.ValidationError(
                f"ttl must be positive, got {ttl}", module="escrow", code=503
            )
        with self._lock:
            self.ledger.transfer(account, Ledger.ESCROW, amount)
            hold = Hold(account, amount, self._clock() + ttl, reference)
            self.holds.add(hold.id, hold)
        log.info("hold %s: %d from %s", hold.id, amount, account)
        return hold

    def _open_hold(self, hold_id: str) -> Hold:
        hold = self.get_hold(hold_id)
        if hold.state is not HoldState.OPEN:
            raise HoldAlreadySettled(f"hold {hold_id} is already {hold.state.value}")
        if hold.expires_at <= self._clock():
            raise HoldExpired(f"hold {hold_id} has expired")
        return hold

    def capture(self, hold_id: str, amount: int, to_account: str) -> Hold:
        """Pay `amount` of the hold to `to_account`."""
        with self._lock:
            hold = self._open_hold(hold_id)
            if amount <= 0 or amount > hold.remaining:
                raise InvalidAmount(
                    f"capture of {amount} from hold {hold_id} with {hold.remaining} remaining"
                )
            self.ledger.transfer(Ledger.ESCROW, to_account, amount)
            hold.captured += amount
            if hold.remaining == 0:
                hold.state = HoldState.SETTLED
        if hold.state is HoldState.SETTLED:
            errkit.watch(self._pool.submit(self._notify, hold), context="escrow:capture")
        return hold

    def release(self, hold_id: str) -> int:
        """Refund what is left of the hold to its account; returns the refund."""
        with self._lock:
            hold = self._open_hold(hold_id)
            refund = hold.remaining
            if refund:
                self.ledger.transfer(Ledger.ESCROW, hold.account, refund)
            hold.state = HoldState.RELEASED
        errkit.watch(self._pool.submit(self._notify, hold), context="escrow:release")
        return refund

    def settle_async(self, hold_id: str, to_account: str) -> Future[Hold]:
        """Capture the whole remaining hold on the pool; the future has the hold."""
        hold = self.get_hold(hold_id)
        return errkit.watch(
            self._pool.submit(self.capture, hold_id, hold.remaining, to_account),
            context="escrow:settle_async",
        )

    def expire_due(self) -> list[str]:
        """Refund every open hold past its expiry; returns their ids."""
        now = self._clock()
        expired = []
        with self._lock:
            for hold in self.holds.where(lambda h: h.state is HoldState.OPEN):
                if hold.expires_at > now:
                    continue
                if hold.remaining:
                    self.ledger.transfer(Ledger.ESCROW, hold.account, hold.remaining)
                hold.state = HoldState.EXPIRED
                expired.append(hold.id)
        for hold_id in expired:
            log.info("hold %s expired", hold_id)
        return expired

    def _reap_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.expire_due()

    def _notify(self, hold: Hold) -> None:
        for listener in self._listeners:
            # One failing listener must not keep the others from hearing about it.
            try:
                listener(hold)
            except Exception:  # errkit: ignore[swallow] -- listeners log their own
                pass
