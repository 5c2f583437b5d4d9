"""Verification of a user's identity against their document and sanctions lists.

The document check and the sanctions screening run in parallel on a small thread
pool, since in production both are calls to outside providers. Audit records are
written in the background: losing one must never fail a verification.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bazaar.identity.documents import Document
from bazaar.storage import Repository

log = logging.getLogger("bazaar.identity")


class VerificationFailed(Exception):
    """The user could not be verified; `reason` is safe to show them."""

    def __init__(self, user_id: str, reason: str) -> None:
        super().__init__(f"verification failed for {user_id}: {reason}")
        self.user_id = user_id
        self.reason = reason


class SanctionsHit(VerificationFailed):
    """The holder's name matched a sanctions list entry."""


@dataclass
class VerificationResult:
    user_id: str
    status: str  # "verified", "expired", "rejected"
    checked_at: dt.datetime
    notes: list[str] = field(default_factory=list)


class IdentityVerifier:
    """Verifies users and remembers who is verified."""

    def __init__(
        self,
        sanctioned_names: Iterable[str] = (),
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        audit_sink: Callable[[dict[str, str]], None] | None = None,
        workers: int = 2,
    ) -> None:
        self._sanctioned = {name.casefold() for name in sanctioned_names}
        self._clock = clock
        self._audit_sink = audit_sink or (lambda record: None)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="identity")
        self.results: Repository[VerificationResult] = Repository("verification")
        self._lock = threading.Lock()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # -- checks ---------------------------------------------------------------------

    def _check_document(self, document: Document) -> str:
        document.check(self._clock().date())
        return "document ok"

    def _screen(self, holder: str) -> str:
        if holder.casefold() in self._sanctioned:
            raise LookupError(f"sanctions match for {holder}")
        return "screening clear"

    def _audit(self, user_id: str, status: str) -> None:
        self._audit_sink({"user": user_id, "status": status})

    # -- public API -----------------------------------------------------------------

    def verify(self, user_id: str, document: Document) -> VerificationResult:
        """Run both checks; raise `VerificationFailed` unless the user passes."""
        doc_future = self._pool.submit(self._check_document, document)
        screen_future = self._pool.submit(self._screen, document.holder)
        notes: list[str] = []
        status = "verified"

        try:
            notes.append(doc_future.result(timeout=5))
        except ValueError as e:
            if e.args[0] == "document expired":
                status = "expired"
                notes.append("document expired")
            else:
                self._pool.submit(self._audit, user_id, "rejected")
                raise VerificationFailed(user_id, str(e))

        try:
            notes.append(screen_future.result(timeout=5))
        except LookupError:
            self._pool.submit(self._audit, user_id, "sanctioned")
            raise SanctionsHit(user_id, "sanctions screening")

        result = VerificationResult(user_id, status, self._clock(), notes)
        with self._lock:
            if user_id in self.results:
                self.results.update(user_id, result)
            else:
                self.results.add(user_id, result)
        self._pool.submit(self._audit, user_id, status)
        return result

    def status(self, user_id: str) -> str:
        result = self.results.find(user_id)
        return result.status if result else "unverified"

    def require_verified(self, user_id: str) -> None:
        """Guard for actions that need a verified identity (buying, payouts)."""
        status = self.status(user_id)
        if status == "expired":
            raise PermissionError(f"user {user_id} must renew their identity document")
        if status != "verified":
            raise PermissionError(f"user {user_id} is not verified")
