"""Recovery for threads: nothing that fails in a thread is lost.

A thread's failure has no reader: ``Thread.join()`` returns normally and the
exception goes only to ``threading.excepthook``, which by default prints it and
moves on. Recovery reports it instead (counted once, logged at ERROR with its
context, passed to the failure handlers) and then lets the thread end quietly.

- :func:`recovered` wraps a thread target (also usable as a decorator);
- :func:`start_thread` creates and starts a thread running a recovered target;
- :class:`RecoveredThread` is a ``threading.Thread`` whose ``run`` is recovered
  however it was written: an overriding method, an instance attribute, a lambda.

``SystemExit``, ``KeyboardInterrupt`` and other ``BaseException`` control flow are
not failures: they are re-raised untouched, as a plain thread would.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar, overload

from errkit.runtime.handlers import report

__all__ = ["RecoveredThread", "default_context", "recovered", "start_thread"]

R = TypeVar("R")

#: Marks a callable that :func:`recovered` already wrapped, so wrapping is idempotent.
_WRAPPED = "__errkit_recovered__"


def default_context(fn: object) -> str:
    """``"python.module:qualified_name"`` of a callable, for an unlabelled spawn.

    Bounded like the code itself (one label per function); partials name the
    function they wrap, objects without a name their class.
    """
    while isinstance(fn, functools.partial):
        fn = fn.func
    module = getattr(fn, "__module__", None) or type(fn).__module__
    name = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    return f"{module}:{name}"


@overload
def recovered(fn: Callable[..., R], /, *, context: str) -> Callable[..., R | None]: ...
@overload
def recovered(
    fn: None = None, /, *, context: str
) -> Callable[[Callable[..., R]], Callable[..., R | None]]: ...
def recovered(fn: Callable[..., R] | None = None, /, *, context: str) -> Any:
    """A callable that runs ``fn`` and reports and swallows its failure.

    Meant for thread targets, whose failures nobody can read: an exception is
    reported (see :func:`errkit.runtime.handlers.report`) and the call returns
    ``None``. Control flow (``SystemExit``, ``KeyboardInterrupt``) passes through.
    ``@recovered(context="m:op")`` decorates a function. Wrapping an already
    recovered callable returns it unchanged.
    """
    if fn is None:
        return functools.partial(_decorate, context=context)
    if getattr(fn, _WRAPPED, False):
        return fn
    target = fn

    @functools.wraps(target)
    def run(*args: Any, **kwargs: Any) -> R | None:
        try:
            return target(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - catching all is the point
            report(
                exc,
                context=context,
                source="thread",
                name=threading.current_thread().name,
            )
            return None

    setattr(run, _WRAPPED, True)
    return run


def _decorate(fn: Callable[..., R], *, context: str) -> Callable[..., R | None]:
    return recovered(fn, context=context)


def _run_recovered(
    fn: Callable[..., object],
    context: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Thread body for :func:`start_thread` and :class:`RecoveredThread`.

    The same as calling ``recovered(fn, context=context)``, without building a
    decorated function per thread (``functools.wraps`` costs more than the rest
    of starting the thread's Python side).
    """
    try:
        fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - catching all is the point
        report(
            exc,
            context=context,
            source="thread",
            name=threading.current_thread().name,
        )


def start_thread(
    fn: Callable[..., object],
    *args: Any,
    context: str,
    name: str | None = None,
    daemon: bool | None = None,
    **kwargs: Any,
) -> threading.Thread:
    """Start and return a thread running ``fn(*args, **kwargs)``, recovered."""
    thread = threading.Thread(
        target=_run_recovered,
        args=(fn, context, args, kwargs),
        name=name,
        daemon=daemon,
    )
    thread.start()
    return thread


class RecoveredThread(threading.Thread):
    """A ``threading.Thread`` whose ``run`` is recovered, however it is written.

    The context comes from the constructor's ``errkit_context=``, else the class
    keyword (``class Poller(errkit.RecoveredThread, context="feeds:poll")``), else
    the class's own ``"python.module:Class"``. ``run`` is wrapped when the thread
    starts, reading whatever ``self.run`` is at that moment: an overriding method,
    a function or lambda assigned to the instance, or ``Thread.run`` calling the
    target. Nothing depends on ``run.__func__`` or ``Thread`` internals.

    Everything errkit adds is named ``errkit_*``, because the migration adds this
    class as a base to existing ``Thread`` subclasses, whose own attributes (a
    ``context``, say) must keep working.
    """

    #: The ``"module:operation"`` label; set per class or per instance.
    errkit_context: str | None = None

    def __init_subclass__(cls, *, context: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if context is not None:
            cls.errkit_context = context

    def __init__(
        self, *args: Any, errkit_context: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if errkit_context is not None:
            self.errkit_context = errkit_context

    def start(self) -> None:
        """Wrap the current ``run`` with recovery, then start as usual."""
        context = self.errkit_context or default_context(type(self))
        run = self.run
        # A second start() must fail in Thread.start as usual, not wrap twice.
        if not (isinstance(run, functools.partial) and run.func is _run_recovered):
            # An instance attribute shadows the class's run; Thread calls self.run().
            wrapped = functools.partial(_run_recovered, run, context, (), {})
            self.run = wrapped  # type: ignore[method-assign]
        super().start()
