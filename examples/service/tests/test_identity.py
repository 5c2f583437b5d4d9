"""Document validation and identity verification."""

from __future__ import annotations

import datetime as dt

import pytest

from bazaar.identity import (
    DocumentExpired,
    IdentityVerifier,
    SanctionsHit,
    VerificationFailed,
    parse_document,
)

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def doc(**overrides):
    data = {
        "type": "passport",
        "number": "x1234567",
        "country": "DE",
        "holder": "Ada Lovelace",
        "expires": "2030-01-01",
    }
    data.update(overrides)
    return parse_document(data)


@pytest.fixture
def audit():
    return []


@pytest.fixture
def verifier(audit):
    v = IdentityVerifier(["Mallory Moriarty"], clock=lambda: NOW, audit_sink=audit.append)
    yield v
    v.close()


class TestParseDocument:
    def test_missing_field_names_it(self):
        """A missing field is a ValueError naming the field."""
        with pytest.raises(ValueError, match=r"^document field missing: holder$"):
            parse_document(
                {
                    "type": "passport",
                    "number": "X",
                    "country": "DE",
                    "expires": "2030-01-01",
                }
            )

    def test_bad_date_is_value_error(self):
        """A malformed expiry date is a ValueError quoting the value."""
        with pytest.raises(ValueError, match=r"expires is not an ISO date: '01/01/2030'"):
            doc(expires="01/01/2030")

    def test_expired_document_is_document_expired(self):
        """check() raises DocumentExpired, a ValueError, for a past expiry."""
        with pytest.raises(DocumentExpired, match="^document expired$"):
            doc(expires="2020-01-01").check(NOW.date())
        with pytest.raises(ValueError):
            doc(expires="2020-01-01").check(NOW.date())


class TestVerifier:
    def test_valid_user_is_verified(self, verifier, audit):
        """Both checks pass: status verified, and an audit record is written."""
        result = verifier.verify("u1", doc())
        assert result.status == "verified"
        assert result.notes == ["document ok", "screening clear"]
        verifier.close()
        assert {"user": "u1", "status": "verified"} in audit

    def test_expired_document_is_recorded_not_raised(self, verifier):
        """An expired document yields status 'expired' instead of an error."""
        result = verifier.verify("u2", doc(expires="2021-05-01"))
        assert result.status == "expired"
        assert verifier.status("u2") == "expired"

    def test_bad_document_fails_verification(self, verifier):
        """Other document errors become VerificationFailed with the reason."""
        with pytest.raises(VerificationFailed) as info:
            verifier.verify("u3", doc(type="library_card"))
        assert info.value.reason == "unsupported document type: 'library_card'"
        assert str(info.value) == (
            "verification failed for u3: unsupported document type: 'library_card'"
        )

    def test_sanctions_hit(self, verifier):
        """A sanctioned holder raises SanctionsHit, caught as VerificationFailed."""
        with pytest.raises(VerificationFailed, match="sanctions screening") as info:
            verifier.verify("u4", doc(holder="mallory moriarty"))
        assert isinstance(info.value, SanctionsHit)
        assert verifier.status("u4") == "unverified"

    @pytest.mark.parametrize(
        ("user", "expected"),
        [
            ("nobody", "user nobody is not verified"),
            ("old", "user old must renew their identity document"),
        ],
        ids=["unverified", "expired"],
    )
    def test_require_verified(self, verifier, user, expected):
        """require_verified() raises PermissionError with a reason per status."""
        verifier.verify("old", doc(expires="2021-05-01"))
        with pytest.raises(PermissionError, match=f"^{expected}$"):
            verifier.require_verified(user)
