"""Several callables in threads, every failure raised together.

:class:`ThreadGroup` is the thread counterpart of ``asyncio.TaskGroup``: it starts
each callable in its own thread, waits for all of them when the ``with`` block ends,
and raises every failure at once as an ``ExceptionGroup``. Each failure is also
reported (counted and logged) the moment it happens, so a long-running sibling
does not delay the alert; raising the group later does not count them again.

:func:`primary_error` answers the question asked of any task group's exception
group: which failure started it? Once one task fails, the group cancels the
others, and cleanup code running under that cancellation may raise errors of its
own; those followed the first failure and are set aside.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from errkit.runtime._claims import leaves
from errkit.runtime.handlers import report

__all__ = ["ThreadGroup", "primary_error", "run_in_threads"]

T = TypeVar("T")


class ThreadGroup:
    """Run callables in threads; on exit, join them and raise their failures.

    ::

        with errkit.ThreadGroup(context="reports:build") as group:
            totals = group.spawn(sum_sales, day)
            group.spawn(refresh_cache)
        print(totals.result())

    :meth:`spawn` returns a ``concurrent.futures.Future`` holding the outcome.
    Leaving the block joins every thread; if any failed, an ``ExceptionGroup`` of
    the failures, in the order they happened, is raised (a ``BaseExceptionGroup``
    if one was ``SystemExit`` or ``KeyboardInterrupt``, which are not reported).
    An exception raised by the block itself comes first in the group.
    """

    def __init__(self, *, context: str) -> None:
        self.context = context
        self._threads: list[threading.Thread] = []
        self._failures: list[BaseException] = []
        self._lock = threading.Lock()

    def spawn(
        self, fn: Callable[..., T], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[T]:
        """Start ``fn(*args, **kwargs)`` in a new thread; its outcome as a future."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        future.set_running_or_notify_cancel()
        thread = threading.Thread(target=self._run, args=(future, fn, args, kwargs))
        with self._lock:
            self._threads.append(thread)
        thread.start()
        return future

    def _run(
        self,
        future: concurrent.futures.Future[T],
        fn: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - raised with the group
            with self._lock:
                self._failures.append(exc)
            report(
                exc,
                context=self.context,
                source="thread-group",
                name=threading.current_thread().name,
            )
            future.set_exception(exc)
        else:
            future.set_result(result)

    def join(self) -> None:
        """Wait for every thread; raise the failures together if there were any."""
        self._raise_failures(None)

    def _join_all(self) -> None:
        # Threads spawned while joining (by a spawned callable) are joined too.
        joined = 0
        while True:
            with self._lock:
                pending = self._threads[joined:]
            if not pending:
                return
            for thread in pending:
                thread.join()
            joined += len(pending)

    def _raise_failures(self, body_error: BaseException | None) -> None:
        self._join_all()
        with self._lock:
            failures = list(self._failures)
            self._failures.clear()
        if body_error is not None:
            failures.insert(0, body_error)
        if not failures:
            return
        message = f"{len(failures)} failure(s) in thread group {self.context!r}"
        if all(isinstance(f, Exception) for f in failures):
            raise ExceptionGroup(message, failures)  # type: ignore[type-var]
        raise BaseExceptionGroup(message, failures)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and not isinstance(exc, Exception):
            # Control flow from the block (KeyboardInterrupt, SystemExit) goes on
            # as it is once the threads are done; their failures were reported.
            self._join_all()
            return
        self._raise_failures(exc)


def run_in_threads(*fns: Callable[[], T], context: str) -> list[T]:
    """Call each of ``fns`` in its own thread; their results, in order.

    Raises the ``ExceptionGroup`` of every failure, as :class:`ThreadGroup` does.
    """
    with ThreadGroup(context=context) as group:
        futures = [group.spawn(fn) for fn in fns]
    return [future.result() for future in futures]


def primary_error(exc: BaseException) -> BaseException:
    """The failure that started a task group's exception group.

    Members are looked at depth first, in the group's order (the order in which
    they happened). The first one that is neither a cancellation nor raised while
    handling one (its ``__context__`` chain holds a ``CancelledError``) is the
    primary error; failing that, the first member that is not a cancellation;
    failing that, the first member. Anything that is not a group is returned as is.
    """
    if not isinstance(exc, BaseExceptionGroup):
        return exc
    members = leaves(exc)
    if not members:  # a hand-made group of empty groups; nothing better to give
        return exc
    real = [m for m in members if not isinstance(m, asyncio.CancelledError)]
    for member in real:
        if not _during_cancellation(member):
            return member
    return real[0] if real else members[0]


def _during_cancellation(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while a cancellation was being handled."""
    seen: set[int] = set()
    link = exc.__context__
    while link is not None and id(link) not in seen:
        if isinstance(link, asyncio.CancelledError):
            return True
        seen.add(id(link))
        link = link.__context__
    return False
