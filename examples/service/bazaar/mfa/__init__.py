"""Multi-factor authentication with TOTP codes and one-time recovery codes."""

from bazaar.mfa.service import (
    InvalidCode,
    MFAError,
    MFAService,
    NotEnrolled,
    TooManyAttempts,
)
from bazaar.mfa.totp import generate_secret, totp, verify_totp

__all__ = [
    "InvalidCode",
    "MFAError",
    "MFAService",
    "NotEnrolled",
    "TooManyAttempts",
    "generate_secret",
    "totp",
    "verify_totp",
]
