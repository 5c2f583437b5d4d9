"""Time-based one-time passwords (RFC 6238) on the standard library.

Compatible with the usual authenticator apps: SHA-1, 30-second steps, 6 digits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct

STEP_SECONDS = 30
DIGITS = 6


def generate_secret(nbytes: int = 20) -> str:
    """A new random secret, base32 encoded without padding."""
    if nbytes < 10:
        raise ValueError(f"secret must be at least 10 bytes, got {nbytes}")
    return base64.b32encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


def _decode(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    try:
        return base64.b32decode(padded)
    except binascii.Error:
        raise ValueError("secret is not valid base32")


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 HMAC-based one-time password for `counter`."""
    if counter < 0:
        raise ValueError(f"counter must not be negative, got {counter}")
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp(secret: str, at: float, *, step: int = STEP_SECONDS) -> str:
    """The code valid at unix time `at`."""
    return hotp(_decode(secret), int(at) // step)


def verify_totp(secret: str, code: str, at: float, *, window: int = 1) -> bool:
    """Whether `code` is valid at `at`, allowing `window` steps of clock drift."""
    if not code.isdigit() or len(code) != DIGITS:
        return False
    key = _decode(secret)
    counter = int(at) // STEP_SECONDS
    return any(
        hmac.compare_digest(hotp(key, counter + drift), code)
        for drift in range(-window, window + 1)
        if counter + drift >= 0
    )
