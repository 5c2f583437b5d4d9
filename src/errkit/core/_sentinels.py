"""Sentinels: shared, module-independent kinds of failure.

A sentinel is an exception class with no builtin ancestry beyond ``Exception``, so
it can be mixed into any coded error class without changing which ``except``
clauses catch it::

    class CardExpired(errkit.ValidationError, sentinels.Expired,
                      module="billing", code=7):
        ...

    try: charge()
    except sentinels.Expired: ...          # caught, wherever it was declared
    errkit.has(exc, sentinels.Expired)     # found anywhere in the chain

The category types carry their natural sentinel (every ``NotFoundError`` is a
``NotFound``). A sentinel may also be raised directly. ``equivalents`` lists
builtin exceptions that chain lookups (``find``/``has``) treat as the sentinel,
so ``has(KeyError(), NotFound)`` is true; ``except`` cannot honour that, it only
sees real inheritance.

This module imports nothing heavy: ``import errkit`` must stay cheap.
"""

from __future__ import annotations

import builtins
from typing import ClassVar

__all__ = [
    "ALL",
    "AlreadyExists",
    "Canceled",
    "Conflict",
    "ConnectionFailed",
    "Corrupted",
    "DeadlineExceeded",
    "Expired",
    "ExternalService",
    "Forbidden",
    "Gone",
    "Internal",
    "InvalidFormat",
    "InvalidInput",
    "InvalidParams",
    "InvalidSignature",
    "InvalidState",
    "Locked",
    "MaxRetriesExceeded",
    "MissingRequired",
    "Network",
    "NotFound",
    "NotImplementedYet",
    "OutOfRange",
    "PreconditionFailed",
    "QuotaExceeded",
    "RateLimitExceeded",
    "Revoked",
    "Sentinel",
    "Timeout",
    "TooLarge",
    "Unauthorized",
    "Unavailable",
    "Unsupported",
    "VerificationFailed",
]


class Sentinel(Exception):
    """Root of all sentinel kinds; not raised itself."""

    #: Exception types that ``find``/``has`` also accept as this kind: classes, or
    #: ``"module.QualName"`` strings for types errkit must not import (asyncio).
    equivalents: ClassVar[tuple[type[BaseException] | str, ...]] = ()


class NotFound(Sentinel):
    """The thing asked for does not exist."""

    equivalents = (LookupError, FileNotFoundError)


class AlreadyExists(Sentinel):
    """The thing to create exists already."""

    equivalents = (FileExistsError,)


class Conflict(Sentinel):
    """The request conflicts with the current state of a resource."""


class InvalidInput(Sentinel):
    """The caller's input is not acceptable."""

    equivalents = (ValueError,)


class InvalidParams(Sentinel):
    """The parameters of a call are wrong (type, combination, count)."""

    equivalents = (TypeError,)


class MissingRequired(Sentinel):
    """A required value was not given."""


class OutOfRange(Sentinel):
    """A value lies outside its allowed range."""

    equivalents = (IndexError,)


class InvalidFormat(Sentinel):
    """A value does not have the expected format or syntax."""


class TooLarge(Sentinel):
    """A payload or value exceeds its size limit."""


class Unauthorized(Sentinel):
    """The caller is not authenticated."""


class Forbidden(Sentinel):
    """The caller is authenticated but may not do this."""

    equivalents = (PermissionError,)


class Expired(Sentinel):
    """A token, session, offer or lease is past its lifetime."""


class Revoked(Sentinel):
    """A credential or grant was withdrawn."""


class InvalidSignature(Sentinel):
    """A signature does not match its payload."""


class VerificationFailed(Sentinel):
    """A proof, checksum or code did not verify."""


class Locked(Sentinel):
    """The resource is locked by someone else."""


class InvalidState(Sentinel):
    """The operation is not allowed in the resource's current state."""


class PreconditionFailed(Sentinel):
    """A condition the caller required (version, etag) does not hold."""


class Gone(Sentinel):
    """The thing existed but was removed for good."""


class Corrupted(Sentinel):
    """Stored data failed an integrity check."""


class Timeout(Sentinel):
    """An operation took longer than it was allowed to."""

    equivalents = (builtins.TimeoutError,)  # asyncio's is an alias since 3.11


class DeadlineExceeded(Sentinel):
    """The caller's overall deadline passed before the work finished."""


class Canceled(Sentinel):
    """The operation was canceled before it finished."""

    equivalents = (
        "asyncio.exceptions.CancelledError",
        "concurrent.futures._base.CancelledError",
    )


class Unavailable(Sentinel):
    """A dependency is temporarily unable to serve; trying later may work."""


class ExternalService(Sentinel):
    """A call to another service failed."""


class Network(Sentinel):
    """The network between us and a dependency failed."""


class ConnectionFailed(Sentinel):
    """A connection could not be made or was lost."""

    equivalents = (ConnectionError,)


class RateLimitExceeded(Sentinel):
    """Too many requests in a time window."""


class QuotaExceeded(Sentinel):
    """An allowance (storage, credits, seats) is used up."""


class MaxRetriesExceeded(Sentinel):
    """Retrying gave up after its maximum number of attempts."""


class NotImplementedYet(Sentinel):
    """The operation is not implemented (named so to leave ``NotImplemented`` be)."""

    equivalents = (NotImplementedError,)


class Unsupported(Sentinel):
    """The operation or option is not supported here."""


class Internal(Sentinel):
    """An invariant of our own code broke."""


#: Every sentinel kind, in declaration order.
ALL: tuple[type[Sentinel], ...] = tuple(Sentinel.__subclasses__())
