"""Recovery for asyncio tasks and executor futures.

A task or future keeps its failure until someone reads it, and often nobody does:
an executor's future that is never read loses its exception without a trace
(BR-01), and asyncio reports an unread task failure only when the task is
garbage-collected, so holding a reference to it, as the asyncio docs recommend,
silences it for good (BR-02).

:func:`watch` adds a done-callback that reports the failure the moment the task or
future completes, and returns the **same object**: whoever awaits it or calls
``result()`` still gets the same exception object, and the failure is counted and
logged once however many readers it has. Reading the exception in the callback
also tells asyncio that it was retrieved, so there is no second "never retrieved"
report at exit. Cancellation is never a failure.

:func:`create_task` does the same for a task it creates, more cheaply: it runs the
coroutine inside a small delegating coroutine that reports the failure from within
the task as it raises (see :class:`_Recovering`). :func:`submit` and
:func:`run_in_executor` watch the future they get from the executor.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from types import CoroutineType
from typing import Any, TypeVar

from errkit.runtime.handlers import report
from errkit.runtime.recovery import default_context

__all__ = ["create_task", "run_in_executor", "submit", "watch"]

_log = logging.getLogger("errkit.recovery")

T = TypeVar("T")
F = TypeVar("F", asyncio.Future[Any], concurrent.futures.Future[Any])


def _on_done(
    context: str, future: asyncio.Future[Any] | concurrent.futures.Future[Any]
) -> None:
    """Report a finished future's failure; a done-callback that never raises."""
    try:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            return
        if isinstance(future, asyncio.Task):
            report(exc, context=context, source="task", name=future.get_name())
        else:
            report(exc, context=context, source="future")
    except Exception:  # noqa: BLE001 - a done-callback must never raise
        with contextlib.suppress(Exception):
            _log.exception("errkit could not report a finished future's failure")


def watch(future: F, *, context: str) -> F:
    """Report ``future``'s failure when it completes; return ``future`` itself.

    Works for asyncio tasks and futures and ``concurrent.futures`` futures. The
    outcome is untouched: ``await`` / ``result()`` / ``exception()`` still give the
    same exception object, and a cancelled future is not reported.
    """
    future.add_done_callback(functools.partial(_on_done, context))
    return future


class _Recovering(Coroutine[Any, Any, T]):
    """A coroutine that reports the failure of the one it drives, then re-raises.

    :func:`create_task` runs this instead of adding a done-callback: a callback
    costs every task a trip through the event loop's queue, while this costs one
    method call per step and does its work only when the coroutine fails. It is a
    delegating object rather than an ``async def`` wrapper so that a task
    cancelled before its first step closes the user's coroutine (no "never
    awaited" warning), exactly as a plain task would.
    """

    __slots__ = ("_context", "_coro")

    def __init__(self, coro: Coroutine[Any, Any, T], context: str) -> None:
        self._coro = coro
        self._context = context

    def send(self, value: Any) -> Any:
        try:
            return self._coro.send(value)
        except StopIteration:
            raise
        except Exception as exc:
            self._failed(exc)
            raise

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        try:
            if val is None and tb is None:
                return self._coro.throw(typ)
            return self._coro.throw(typ, val, tb)
        except StopIteration:
            raise
        except Exception as exc:
            self._failed(exc)
            raise

    def close(self) -> None:
        self._coro.close()

    def __await__(self) -> Any:
        return self._coro.__await__()

    def __getattr__(self, name: str) -> Any:
        # cr_frame, cr_code, __qualname__...: task reprs and debuggers see the
        # user's coroutine.
        return getattr(self._coro, name)

    def _failed(self, exc: BaseException) -> None:
        task = asyncio.current_task()
        name = task.get_name() if task is not None else None
        report(exc, context=self._context, source="task", name=name)
        if task is not None:
            # Reading the exception once it is stored tells asyncio it was
            # retrieved: errkit reported it, so no "never retrieved" at exit.
            task.add_done_callback(_retrieve)


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


def create_task(
    coro: Coroutine[Any, Any, T], *, context: str, name: str | None = None
) -> asyncio.Task[T]:
    """``asyncio.create_task(coro, name=name)``, recovered under ``context``.

    The failure is reported the moment the coroutine raises, inside the task;
    awaiting the task still raises the same exception object.

    Raises TypeError, as asyncio does, if ``coro`` is not a coroutine.
    """
    if type(coro) is not CoroutineType and not asyncio.iscoroutine(coro):
        msg = f"create_task needs a coroutine, got {coro!r}"
        raise TypeError(msg)
    # What asyncio.create_task does, minus one Python frame on a hot path.
    loop = asyncio.get_running_loop()
    return loop.create_task(_Recovering(coro, context), name=name)


def submit(
    executor: concurrent.futures.Executor,
    fn: Callable[..., T],
    /,
    *args: Any,
    errkit_context: str | None = None,
    **kwargs: Any,
) -> concurrent.futures.Future[T]:
    """``executor.submit(fn, *args, **kwargs)``, watched.

    Works with thread and process pools (``fn`` is submitted unwrapped, so it
    pickles as before). The context is ``errkit_context`` (named so that it
    cannot collide with ``fn``'s own keywords), else ``fn``'s module and name.
    """
    context = errkit_context or default_context(fn)
    return watch(executor.submit(fn, *args, **kwargs), context=context)


def run_in_executor(
    loop: asyncio.AbstractEventLoop,
    executor: concurrent.futures.Executor | None,
    fn: Callable[..., T],
    *args: Any,
    context: str,
) -> asyncio.Future[T]:
    """``loop.run_in_executor(executor, fn, *args)``, watched under ``context``."""
    return watch(loop.run_in_executor(executor, fn, *args), context=context)
