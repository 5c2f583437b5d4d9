"""MFA enrolment, challenges and verification, with attempt limiting.

A user enrols (gets a secret), confirms enrolment with a first valid code, and from
then on every sensitive action (payouts, API keys) needs a fresh code. Five wrong
codes lock the user out for `lockout_seconds`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bazaar.mfa.totp import generate_secret, verify_totp

log = logging.getLogger("bazaar.mfa")

MAX_ATTEMPTS = 5


class MFAError(Exception):
    """Base class of MFA failures."""


class InvalidCode(MFAError):
    """The code does not match."""


class TooManyAttempts(MFAError):
    """The user is locked out after too many wrong codes."""


class NotEnrolled(LookupError):
    """The user has no confirmed MFA enrolment."""


@dataclass
class Enrollment:
    user_id: str
    secret: str
    confirmed: bool = False
    recovery_hashes: set[str] = field(default_factory=set)
    failures: int = 0
    locked_until: float = 0.0
    last_counter: int = -1


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").lower().encode()).hexdigest()


class MFAService:
    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        lockout_seconds: float = 300.0,
    ) -> None:
        self._clock = clock
        self._lockout = lockout_seconds
        self._enrollments: dict[str, Enrollment] = {}
        self._lock = threading.Lock()

    def _get(self, user_id: str) -> Enrollment:
        try:
            return self._enrollments[user_id]
        except KeyError:
            raise NotEnrolled(f"user {user_id} is not enrolled in MFA")

    def enroll(self, user_id: str) -> tuple[str, list[str]]:
        """Start enrolment; returns the secret and ten recovery codes (shown once)."""
        with self._lock:
            existing = self._enrollments.get(user_id)
            if existing is not None and existing.confirmed:
                raise ValueError(f"user {user_id} is already enrolled")
            secret = generate_secret()
            codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(10)]
            self._enrollments[user_id] = Enrollment(
                user_id, secret, recovery_hashes={_hash_recovery(c) for c in codes}
            )
        return secret, codes

    def confirm(self, user_id: str, code: str) -> None:
        with self._lock:
            enrollment = self._get(user_id)
            if enrollment.confirmed:
                return
            if not verify_totp(enrollment.secret, code, self._clock()):
                raise InvalidCode("confirmation code does not match")
            enrollment.confirmed = True

    def verify(self, user_id: str, code: str) -> None:
        """Check a code for a sensitive action; raises on any failure."""
        with self._lock:
            enrollment = self._get(user_id)
            if not enrollment.confirmed:
                raise NotEnrolled(f"user {user_id} has not confirmed MFA enrolment")
            now = self._clock()
            if enrollment.locked_until > now:
                wait = int(enrollment.locked_until - now)
                raise TooManyAttempts(f"rate limit: try again in {wait} s")

            if verify_totp(enrollment.secret, code, now):
                counter = int(now) // 30
                if counter <= enrollment.last_counter:
                    # The same code twice is a replay, not a second login.
                    raise InvalidCode("code already used")
                enrollment.last_counter = counter
                enrollment.failures = 0
                return

            enrollment.failures += 1
            if enrollment.failures >= MAX_ATTEMPTS:
                enrollment.locked_until = now + self._lockout
                enrollment.failures = 0
                log.warning("mfa lockout for %s", user_id)
                raise TooManyAttempts(f"rate limit: locked for {int(self._lockout)} s")
            raise InvalidCode("code does not match")

    def use_recovery_code(self, user_id: str, code: str) -> int:
        """Consume a recovery code; returns how many remain."""
        with self._lock:
            enrollment = self._get(user_id)
            digest = _hash_recovery(code)
            match = next(
                (h for h in enrollment.recovery_hashes if hmac.compare_digest(h, digest)),
                None,
            )
            if match is None:
                raise InvalidCode("unknown recovery code")
            enrollment.recovery_hashes.discard(match)
            enrollment.failures = 0
            enrollment.locked_until = 0.0
            return len(enrollment.recovery_hashes)

    def check_or_deny(self, user_id: str, code: str) -> bool:
        """For the API: True if the code is good, False for a wrong code.

        A locked-out user is refused with `PermissionError`; the lockout message is
        recognised by its text because `TooManyAttempts` shares a base with
        `InvalidCode` and callers must not treat it as a simple wrong code.
        """
        try:
            self.verify(user_id, code)
        except MFAError as e:
            if str(e).startswith("rate limit"):
                raise PermissionError(f"mfa locked for {user_id}")
            return False
        return True

    def disable(self, user_id: str) -> None:
        with self._lock:
            self._enrollments.pop(user_id, None)
