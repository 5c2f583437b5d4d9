"""A boundary that turns unexpected exceptions into an ``InternalError``.

At the edge of a component (a request handler, a job step, a plugin call) every
failure should leave as a coded error, so that logs, metrics and responses can
name it. :func:`guard` is that boundary as a context manager (and decorator);
:func:`call_guarded` is the same for one call.

What passes through unchanged: coded errors (they already say what went wrong),
exception groups made only of coded errors, and control flow that is not an
``Exception`` (``KeyboardInterrupt``, ``SystemExit``, cancellation). Anything else
is re-raised as ``errkit.InternalError`` with the original as ``__cause__``; the
new message names only the type and the context, never the original message,
which may hold secrets and stays available on the cause for the logs.

The guard does not record: the ``InternalError`` goes on to a caller who handles
it, and whatever finally catches it (recovery, a hook, a middleware) counts it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from errkit.runtime._core import CodedError, InternalError

__all__ = ["call_guarded", "guard"]

T = TypeVar("T")


class _Guard(contextlib.ContextDecorator):
    """The context manager returned by :func:`guard`."""

    def __init__(self, context: str) -> None:
        self.context = context

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None or not _unexpected(exc):
            return
        message = f"unexpected {type(exc).__name__} in {self.context}"
        raise InternalError(message, context={"operation": self.context}) from exc


def _unexpected(exc: BaseException) -> bool:
    if not isinstance(exc, Exception) or isinstance(exc, CodedError):
        return False
    if isinstance(exc, ExceptionGroup):
        _, rest = exc.split(CodedError)
        return rest is not None
    return True


def guard(*, context: str) -> _Guard:
    """A context manager (or decorator) that codes unexpected exceptions.

    ``context`` is the ``"module:operation"`` label, kept in the
    ``InternalError``'s context as ``operation``.
    """
    return _Guard(context)


def call_guarded(fn: Callable[..., T], /, *args: Any, context: str, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` inside :func:`guard`; its result."""
    with _Guard(context):
        return fn(*args, **kwargs)
