"""What happens to a failure that recovery or a global hook caught.

Every such failure is reported exactly once: counted in the metrics, then passed
to each failure handler in turn. The default handler, :func:`log_failure`, logs it
at ERROR on the ``errkit.recovery`` logger with the traceback, the context and the
error's code fields. Users add their own handlers (a crash reporter, a pager) with
:func:`add_failure_handler`; a handler that raises is logged and skipped, never
allowed to break the thread, task or hook that is reporting.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from errkit.runtime._labels import labels_for
from errkit.runtime.metrics import record

__all__ = [
    "Failure",
    "FailureHandler",
    "add_failure_handler",
    "log_failure",
    "remove_failure_handler",
    "report",
]

_log = logging.getLogger("errkit.recovery")


@dataclass(frozen=True, slots=True)
class Failure:
    """One failure caught where nobody else could see it.

    ``source`` says how it was caught (``"thread"``, ``"task"``, ``"future"``,
    ``"thread-group"``, or the hook: ``"sys.excepthook"``,
    ``"threading.excepthook"``, ``"sys.unraisablehook"``, ``"asyncio"``);
    ``name`` is the thread's or task's name when there is one.
    """

    exc: BaseException
    context: str | None
    source: str
    name: str | None = None


FailureHandler = Callable[[Failure], object]


def log_failure(failure: Failure) -> None:
    """Log ``failure`` at ERROR on ``errkit.recovery`` with its traceback.

    A failure that recovery saw (a thread, a task, a future, a thread group) is
    logged as ``task 'Task-2' failed: inventory:120 (context m:op)``: it failed,
    and its caller may still await or read it, so it is not called unhandled.
    One that reached a global hook nobody else caught, so it is logged as
    ``unhandled LookupError in sys.excepthook (context hook:sys)``.

    The record carries the context and the error's labels as attributes
    (``errkit_context``, ``errkit_source``, ``errkit_name``, ``errkit_module``,
    ``errkit_code``, ``errkit_category``, ``errkit_severity``) so that formatters
    and log pipelines can index them without parsing the message.
    """
    exc = failure.exc
    labels = labels_for(exc)
    where = (
        failure.source
        if failure.name is None
        else (f"{failure.source} {failure.name!r}")
    )
    if failure.source in _HOOK_SOURCES:
        message = "unhandled %s in %s (context %s)"
        args: tuple[object, ...] = (labels.display or type(exc).__name__, where)
    else:
        message = "%s failed: %s (context %s)"
        args = (where, labels.display or type(exc).__name__)
    _log.error(
        message,
        *args,
        failure.context,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={
            "errkit_context": failure.context,
            "errkit_source": failure.source,
            "errkit_name": failure.name,
            "errkit_module": labels.module,
            "errkit_code": labels.code,
            "errkit_category": labels.category,
            "errkit_severity": labels.severity,
        },
    )


#: Sources of the global hooks: what reaches them was caught by nobody.
_HOOK_SOURCES = frozenset(
    {"sys.excepthook", "threading.excepthook", "sys.unraisablehook", "asyncio"}
)


_handlers: list[FailureHandler] = [log_failure]
_handlers_lock = threading.Lock()


def add_failure_handler(handler: FailureHandler) -> None:
    """Call ``handler(failure)`` for every failure reported from now on.

    Handlers run in the thread that caught the failure, in the order they were
    added; adding one twice has no effect.
    """
    with _handlers_lock:
        if handler not in _handlers:
            _handlers.append(handler)


def remove_failure_handler(handler: FailureHandler) -> None:
    """Stop calling ``handler``; removing :func:`log_failure` silences the log.

    Raises ValueError if ``handler`` was not added.
    """
    with _handlers_lock:
        if handler not in _handlers:
            msg = f"handler {handler!r} is not a registered failure handler"
            raise ValueError(msg)
        _handlers.remove(handler)


def report(
    exc: BaseException,
    *,
    context: str | None,
    source: str,
    name: str | None = None,
) -> bool:
    """Record ``exc`` and pass it to every failure handler; never raises.

    Returns ``False``, doing nothing, for what is not a failure (cancellation,
    ``KeyboardInterrupt``, ``SystemExit``) and for an exception that was already
    reported, so a failure seen on two paths is logged and counted once.
    """
    try:
        if not record(exc, context=context):
            return False
    except Exception:  # noqa: BLE001 - a broken registry must not hide the failure
        _log.exception("errkit could not count a failure; reporting it anyway")
    failure = Failure(exc, context, source, name)
    for handler in tuple(_handlers):
        try:
            handler(failure)
        except Exception:  # noqa: BLE001 - never fail the reporter
            # logging itself may be broken (e.g. at shutdown): then stay silent
            with contextlib.suppress(Exception):
                _log.exception("failure handler %r raised", handler)
    return True
