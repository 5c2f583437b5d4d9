"""The nine category types, ``coded(builtin)`` and the named ``Coded<Builtin>`` types.

Each category type is ``CodedError`` plus exactly the builtin it replaces plus its
sentinel (both extras are plain ``Exception`` subclasses), so ``except ValueError``
catches a ``ValidationError`` and nothing starts or stops catching. ``coded()``
makes the same kind of type for any other builtin (``CodedKeyError`` is a
``KeyError``), which is what the raise rewrite writes into migrated code.
"""

from __future__ import annotations

import builtins
import threading

from . import _sentinels as sentinels
from ._categories import Category, as_category, category_for_builtin
from ._errors import CodedError

__all__ = [
    "CodedAttributeError",
    "CodedConnectionError",
    "CodedFileExistsError",
    "CodedFileNotFoundError",
    "CodedIndexError",
    "CodedKeyError",
    "CodedOSError",
    "CodedTypeError",
    "ConflictError",
    "ExternalError",
    "InternalError",
    "NotFoundError",
    "RateLimitError",
    "StateError",
    "TimeoutError",
    "UnauthorizedError",
    "ValidationError",
    "coded",
]


# --- the nine category types ----------------------------------------------------
# __module__ is "errkit" so tracebacks and pickles use the public spelling.


class ValidationError(
    CodedError, ValueError, sentinels.InvalidInput, category=Category.VALIDATION
):
    """The caller's input is invalid; a ``ValueError``."""

    __module__ = "errkit"
    _fields = ("field", "value")
    safe_fields = frozenset({"field"})


class NotFoundError(
    CodedError, LookupError, sentinels.NotFound, category=Category.NOT_FOUND
):
    """The requested resource does not exist; a ``LookupError``."""

    __module__ = "errkit"
    _fields = ("resource_type", "resource_id")
    safe_fields = frozenset({"resource_type"})


class ConflictError(CodedError, sentinels.Conflict, category=Category.CONFLICT):
    """The request conflicts with a resource's current state; an ``Exception``."""

    __module__ = "errkit"
    _fields = ("resource_type", "resource_id")
    safe_fields = frozenset({"resource_type"})


class UnauthorizedError(
    CodedError,
    builtins.PermissionError,
    sentinels.Unauthorized,
    category=Category.UNAUTHORIZED,
):
    """The caller may not do this; a ``PermissionError``."""

    __module__ = "errkit"
    _fields = ("action", "reason")
    safe_fields = frozenset({"action"})


class StateError(CodedError, RuntimeError, sentinels.InvalidState, category="state"):
    """The operation is not allowed in the current state; a ``RuntimeError``."""

    __module__ = "errkit"
    _fields = ("state", "expected_state")
    safe_fields = frozenset({"state", "expected_state"})


class ExternalError(
    CodedError,
    builtins.ConnectionError,
    sentinels.ExternalService,
    category=Category.EXTERNAL,
):
    """A dependency failed; a ``ConnectionError``. May carry ``retry_after``."""

    __module__ = "errkit"
    _fields = ("service", "operation", "retry_after")
    safe_fields = frozenset({"service", "retry_after"})


class InternalError(
    CodedError, RuntimeError, sentinels.Internal, category=Category.INTERNAL
):
    """An invariant of our own code broke; a ``RuntimeError``. Its message,
    context and cause stay in logs (``safe_message`` hides them)."""

    __module__ = "errkit"
    _fields = ("component",)


class TimeoutError(
    CodedError, builtins.TimeoutError, sentinels.Timeout, category=Category.TIMEOUT
):
    """An operation ran out of time; the builtin ``TimeoutError``."""

    __module__ = "errkit"
    _fields = ("operation", "duration")
    safe_fields = frozenset({"operation", "duration"})


class RateLimitError(
    CodedError, sentinels.RateLimitExceeded, category=Category.RATE_LIMIT
):
    """Too many requests; an ``Exception``. May carry ``retry_after`` (seconds)."""

    __module__ = "errkit"
    _fields = ("limit", "remaining", "reset_at", "retry_after")
    safe_fields = frozenset({"limit", "remaining", "reset_at", "retry_after"})


# --- coded(builtin) -------------------------------------------------------------

#: Builtins whose coded type is a category type rather than a new class.
_CATEGORY_TYPES: dict[type[BaseException], type[CodedError]] = {
    Exception: CodedError,
    ValueError: ValidationError,
    LookupError: NotFoundError,
    RuntimeError: InternalError,
    builtins.PermissionError: UnauthorizedError,
    builtins.TimeoutError: TimeoutError,
}
_coded_cache: dict[tuple[type[BaseException], Category | None], type[CodedError]] = {}
_coded_lock = threading.Lock()


def coded(
    builtin: type[BaseException], category: Category | str | None = None
) -> type[CodedError]:
    """The coded error type that is also ``builtin`` (cached; picklable).

    ``coded(KeyError)`` is ``errkit.CodedKeyError``; ``coded(ValueError)`` is
    ``errkit.ValidationError``. The category defaults to the one ``builtin``
    stands for (``KeyError``: not_found); pass ``category`` to choose another.

    Raises:
        TypeError: ``builtin`` is not an ``Exception`` subclass.
    """
    if not (isinstance(builtin, type) and issubclass(builtin, Exception)):
        msg = f"builtin must be an Exception subclass, got {builtin!r}"
        raise TypeError(msg)
    cat = None if category is None else as_category(category)
    if issubclass(builtin, CodedError):
        if cat is None or cat is builtin.category:
            return builtin
    elif cat is category_for_builtin(builtin):
        cat = None  # the default, spelled out: the same type as coded(builtin)
    key = (builtin, cat)
    cls = _coded_cache.get(key)
    if cls is not None:
        return cls

    with _coded_lock:  # two threads must not make two types for one key
        cls = _coded_cache.get(key)
        if cls is None:
            cls = _CATEGORY_TYPES.get(builtin) if cat is None else None
            if cls is None:
                cls = _make_coded(builtin, cat)
            _coded_cache[key] = cls
    return cls


def _make_coded(
    builtin: type[Exception], category: Category | None
) -> type[CodedError]:
    name = f"Coded{builtin.__name__}"
    namespace = {
        "__module__": "errkit",
        "__qualname__": name,
        "__doc__": f"A coded error that is also a ``{builtin.__name__}``.",
        "_coded_spec": (builtin, category),
    }
    # A coded type given a new category is subclassed, not mixed in again.
    bases = (builtin,) if issubclass(builtin, CodedError) else (CodedError, builtin)
    chosen = category if category is not None else category_for_builtin(builtin)
    return type(name, bases, namespace, category=chosen)


CodedKeyError = coded(KeyError)
CodedIndexError = coded(IndexError)
CodedTypeError = coded(TypeError)
CodedAttributeError = coded(AttributeError)
CodedOSError = coded(OSError)
CodedFileNotFoundError = coded(FileNotFoundError)
CodedFileExistsError = coded(FileExistsError)
CodedConnectionError = coded(ConnectionError)
