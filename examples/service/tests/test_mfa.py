"""TOTP codes and the MFA service."""

from __future__ import annotations

import pytest

from bazaar.mfa import (
    InvalidCode,
    MFAError,
    MFAService,
    NotEnrolled,
    TooManyAttempts,
    generate_secret,
    totp,
    verify_totp,
)

# RFC 6238 appendix B test secret ("12345678901234567890"), base32 encoded.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def enrolled(clock):
    service = MFAService(clock=clock, lockout_seconds=60)
    secret, codes = service.enroll("alice")
    service.confirm("alice", totp(secret, clock.now))
    clock.now += 30  # the confirmation code is spent
    return service, secret, codes


class TestTotp:
    @pytest.mark.parametrize(
        ("at", "code"),
        [(59, "287082"), (1111111109, "081804")],
        ids=["t59", "t1111111109"],
    )
    def test_rfc_6238_vectors(self, at, code):
        """Codes match the RFC 6238 SHA-1 test vectors (last six digits)."""
        assert totp(RFC_SECRET, at) == code

    def test_drift_window(self):
        """A code one step old is accepted with window 1, not with window 0."""
        old = totp(RFC_SECRET, 1000)
        assert verify_totp(RFC_SECRET, old, 1030)
        assert not verify_totp(RFC_SECRET, old, 1030, window=0)

    def test_bad_secret_is_value_error(self):
        """A secret that is not base32 raises ValueError."""
        with pytest.raises(ValueError, match="^secret is not valid base32$"):
            totp("not base32!", 0)

    def test_short_secret_is_refused(self):
        """generate_secret() refuses fewer than 10 bytes."""
        with pytest.raises(ValueError, match="secret must be at least 10 bytes, got 4"):
            generate_secret(4)


class TestService:
    def test_good_code_passes(self, enrolled, clock):
        """verify() returns quietly for a current code."""
        service, secret, _ = enrolled
        service.verify("alice", totp(secret, clock.now))

    def test_replayed_code_is_refused(self, enrolled, clock):
        """The same code twice in one step is InvalidCode 'code already used'."""
        service, secret, _ = enrolled
        code = totp(secret, clock.now)
        service.verify("alice", code)
        with pytest.raises(InvalidCode, match="^code already used$"):
            service.verify("alice", code)

    def test_unknown_user_is_lookup_error(self, clock):
        """A user without enrolment raises NotEnrolled, caught as LookupError."""
        service = MFAService(clock=clock)
        with pytest.raises(LookupError, match="^user bob is not enrolled in MFA$") as info:
            service.verify("bob", "123456")
        assert isinstance(info.value, NotEnrolled)

    def test_lockout_after_five_failures(self, enrolled, clock):
        """The fifth wrong code locks the user; the lockout text starts 'rate limit'."""
        service, secret, _ = enrolled
        for _ in range(4):
            with pytest.raises(InvalidCode, match="^code does not match$"):
                service.verify("alice", "000000")
        with pytest.raises(TooManyAttempts, match="^rate limit: locked for 60 s$"):
            service.verify("alice", "000000")
        with pytest.raises(MFAError, match="^rate limit: try again in 60 s$"):
            service.verify("alice", totp(secret, clock.now))

    def test_check_or_deny(self, enrolled, clock):
        """check_or_deny() is False for a wrong code, PermissionError when locked."""
        service, secret, _ = enrolled
        for _ in range(4):
            assert service.check_or_deny("alice", "000000") is False
        with pytest.raises(PermissionError, match="^mfa locked for alice$"):
            service.check_or_deny("alice", "000000")
        with pytest.raises(PermissionError, match="^mfa locked for alice$"):
            service.check_or_deny("alice", totp(secret, clock.now))

    def test_recovery_code_clears_lockout(self, enrolled, clock):
        """A recovery code is single-use and lifts a lockout."""
        service, secret, codes = enrolled
        for _ in range(5):
            with pytest.raises(MFAError):
                service.verify("alice", "000000")
        assert service.use_recovery_code("alice", codes[0].upper()) == 9
        with pytest.raises(InvalidCode, match="^unknown recovery code$"):
            service.use_recovery_code("alice", codes[0])
        service.verify("alice", totp(secret, clock.now))

    def test_double_enrolment_is_value_error(self, enrolled):
        """Enrolling a confirmed user again raises ValueError."""
        service, _, _ = enrolled
        with pytest.raises(ValueError, match="^user alice is already enrolled$"):
            service.enroll("alice")
