"""What of an error may be shown to clients, and which sentinels pick a status.

Kept apart from the problem mapper so HTTP and gRPC read the same answers.
"""

from __future__ import annotations

from typing import Any

from errkit.core import CodedError, sentinels

__all__ = ["already_exists", "forbidden", "safe_context"]


def safe_context(exc: BaseException) -> dict[str, Any]:
    """The context fields ``exc`` declares safe for clients; empty if uncoded."""
    if not isinstance(exc, CodedError):
        return {}
    return exc.safe_context()


def forbidden(exc: BaseException) -> bool:
    """True if ``exc`` is ``Forbidden``: a known caller refused, not an unknown one."""
    return isinstance(exc, sentinels.Forbidden)


def already_exists(exc: BaseException) -> bool:
    """True if ``exc`` is an ``AlreadyExists`` conflict rather than a lost race."""
    return isinstance(exc, sentinels.AlreadyExists)
