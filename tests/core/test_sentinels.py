"""Tests for sentinels: catchable with except, matchable anywhere in a chain."""

from __future__ import annotations

import pytest

import errkit
from errkit import sentinels

#: The kinds the issue lists, by the names errkit gives them.
REQUIRED = [
    "NotFound",
    "AlreadyExists",
    "InvalidInput",
    "Unauthorized",
    "Forbidden",
    "Timeout",
    "Unavailable",
    "Expired",
    "Revoked",
    "Locked",
    "InvalidState",
    "InvalidSignature",
    "VerificationFailed",
    "RateLimitExceeded",
    "QuotaExceeded",
    "MaxRetriesExceeded",
    "Canceled",
    "DeadlineExceeded",
    "NotImplementedYet",
    "Conflict",
    "PreconditionFailed",
    "Unsupported",
    "InvalidParams",
    "MissingRequired",
    "OutOfRange",
    "InvalidFormat",
    "ExternalService",
    "Network",
    "ConnectionFailed",
]


class TestCatalogue:
    def test_at_least_thirty(self) -> None:
        """There are 30 or more sentinel kinds, all listed in ALL."""
        assert len(sentinels.ALL) == 33
        assert {s.__name__ for s in sentinels.ALL} >= set(REQUIRED)

    def test_all_exported(self) -> None:
        """__all__ is sorted and names every sentinel plus Sentinel and ALL."""
        assert sentinels.__all__ == sorted(sentinels.__all__)
        assert set(sentinels.__all__) == (
            {s.__name__ for s in sentinels.ALL} | {"ALL", "Sentinel"}
        )

    @pytest.mark.parametrize("sentinel", sentinels.ALL, ids=lambda s: s.__name__)
    def test_plain_exception_ancestry(self, sentinel: type[Exception]) -> None:
        """A sentinel adds no builtin ancestry beyond Exception, so mixing it in
        never changes which except clauses catch."""
        builtin_bases = [c for c in sentinel.__mro__ if c.__module__ == "builtins"]
        assert builtin_bases == [Exception, BaseException, object]
        assert sentinel.__doc__

    def test_public_import_path(self) -> None:
        """``from errkit.sentinels import NotFound`` works."""
        from errkit.sentinels import NotFound

        assert NotFound is errkit.sentinels.NotFound is sentinels.NotFound


class TestMixing:
    def test_except_catches_mixed_in_sentinel(self) -> None:
        """A coded kind with a sentinel base is caught by ``except <sentinel>``
        and by its builtin."""

        class TokenExpired(
            errkit.UnauthorizedError, sentinels.Expired, module="auth", code=31
        ):
            pass

        with pytest.raises(sentinels.Expired):
            raise TokenExpired("token expired")
        with pytest.raises(PermissionError):
            raise TokenExpired("token expired")

    def test_found_deep_in_chain(self) -> None:
        """A sentinel is matched anywhere in a chain, groups included."""

        class Locked(errkit.ConflictError, sentinels.Locked, module="m", code=20):
            pass

        inner = Locked("row locked")
        group = ExceptionGroup("batch", [ValueError("a"), inner])
        outer = errkit.wrap(group, "saving")
        assert errkit.find(outer, sentinels.Locked) is inner

    def test_raised_directly(self) -> None:
        """A sentinel can be raised on its own, keeping its message."""
        with pytest.raises(sentinels.QuotaExceeded) as info:
            raise sentinels.QuotaExceeded("storage full")
        assert str(info.value) == "storage full"
