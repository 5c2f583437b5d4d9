"""Global safety-net hooks: the last place a failure can still be seen.

:func:`install_hooks` puts errkit in front of ``sys.excepthook``,
``threading.excepthook``, ``sys.unraisablehook`` and the running asyncio loop's
exception handler. Each of errkit's hooks reports the failure (counted once,
logged, passed to the failure handlers) and then chains to the hook that was there
before, exactly once per event, whatever kind of callable that is: a function, a
``functools.partial``, a bound method, an object with ``__call__`` (BR-05).

Only identity with the interpreter's own defaults (``sys.__excepthook__``,
``threading.__excepthook__``, ``sys.__unraisablehook__``, or no loop handler at all)
marks the previous hook as the default. The default is skipped when errkit has
just logged the event, because it would print the same traceback a second time;
it is still called for everything errkit does not report, such as
``KeyboardInterrupt`` at the top level, so those look exactly as before.

The asyncio handler reaches loops created later through a thin wrapper around the
event loop policy. Installing twice changes nothing. :func:`uninstall_hooks`
restores the previous hook where errkit's is still the current one; where another
library has since installed its own hook on top, errkit's stays in that chain but
only passes events through. The hooks never raise, not even while the interpreter
shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

from errkit.runtime.handlers import report

__all__ = ["install_hooks", "uninstall_hooks"]

_log = logging.getLogger("errkit.hooks")


class _ChainedHook:
    """One installation of one hook: report, then call the previous hook.

    A fresh object per installation, with its own ``previous``: after an
    uninstall that could not unlink it, a later install must not make the chain
    loop back into itself.
    """

    def __init__(
        self,
        previous: Callable[..., object],
        default: Callable[..., object],
        handle: Callable[..., bool],
    ) -> None:
        self.previous = previous
        self.default = default
        self.handle = handle
        self.active = True

    def __call__(self, *args: Any) -> None:
        handled = False
        if self.active:
            try:
                handled = self.handle(*args)
            except BaseException:  # noqa: BLE001 - a hook must never raise
                handled = False
        previous = self.previous
        if handled and previous is self.default:
            return
        try:
            previous(*args)
        except BaseException:  # noqa: BLE001 - a hook must never raise
            # logging may be gone (interpreter shutdown): then stay silent
            with contextlib.suppress(BaseException):
                _log.exception("the hook errkit chains to, %r, raised", previous)


LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


class _LoopHook:
    """The asyncio loop exception handler; ``None`` previous means the default."""

    def __init__(self, previous: LoopHandler | None) -> None:
        self.previous = previous
        self.active = True

    def __call__(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        handled = False
        if self.active:
            try:
                handled = _handle_loop(loop, context)
            except BaseException:  # noqa: BLE001 - a hook must never raise
                handled = False
        previous = self.previous
        try:
            if previous is not None:
                previous(loop, context)
            elif not handled:
                loop.default_exception_handler(context)
        except BaseException:  # noqa: BLE001 - a hook must never raise
            with contextlib.suppress(BaseException):
                _log.exception(
                    "the loop handler errkit chains to, %r, raised", previous
                )


# --- what each hook reports --------------------------------------------------------


def _handle_sys(
    exc_type: type[BaseException], exc: BaseException | None, tb: Any
) -> bool:
    if exc is None:
        return False
    return report(exc, context="hook:sys", source="sys.excepthook")


def _handle_threading(args: Any) -> bool:
    exc = args.exc_value
    if exc is None:
        return False
    name = args.thread.name if args.thread is not None else None
    return report(
        exc, context="hook:threading", source="threading.excepthook", name=name
    )


def _handle_unraisable(unraisable: Any) -> bool:
    exc = unraisable.exc_value
    if exc is None:
        return False
    return report(exc, context="hook:unraisable", source="sys.unraisablehook")


def _handle_loop(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> bool:
    exc = context.get("exception")
    if exc is None:
        # Not a failure to count (e.g. "Task was destroyed but it is pending!"),
        # but asyncio's default handler would have logged it; so does errkit.
        _log.error("asyncio: %s", context.get("message", "unknown event"))
        return True
    task = context.get("task") or context.get("future")
    name = task.get_name() if isinstance(task, asyncio.Task) else None
    return report(exc, context="hook:asyncio", source="asyncio", name=name)


# --- installing and removing -------------------------------------------------------

_TARGETS: dict[str, tuple[Any, str, Callable[..., object], Callable[..., bool]]] = {
    "sys.excepthook": (sys, "excepthook", sys.__excepthook__, _handle_sys),
    "threading.excepthook": (
        threading,
        "excepthook",
        threading.__excepthook__,
        _handle_threading,
    ),
    "sys.unraisablehook": (
        sys,
        "unraisablehook",
        sys.__unraisablehook__,
        _handle_unraisable,
    ),
}

_lock = threading.Lock()
_active: dict[str, _ChainedHook] = {}
_loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopHook] = (
    weakref.WeakKeyDictionary()
)


class _LoopPolicy(asyncio.AbstractEventLoopPolicy):
    """Delegates to the policy that was current, hooking each loop it creates.

    ``asyncio.run`` makes a fresh loop through the policy, so this is how a loop
    that does not exist yet when :func:`install_hooks` runs gets errkit's handler.
    """

    def __init__(self, inner: asyncio.AbstractEventLoopPolicy) -> None:
        self.inner = inner
        self.active = True

    def get_event_loop(self) -> asyncio.AbstractEventLoop:
        return self.inner.get_event_loop()

    def set_event_loop(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self.inner.set_event_loop(loop)

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = self.inner.new_event_loop()
        if self.active:
            with _lock:
                _hook_loop(loop)
        return loop

    def get_child_watcher(self) -> Any:
        return self.inner.get_child_watcher()

    def set_child_watcher(self, watcher: Any) -> None:
        self.inner.set_child_watcher(watcher)

    def __getattr__(self, name: str) -> Any:
        # Whatever else the wrapped policy offers (uvloop's extras, say).
        return getattr(self.inner, name)


#: Event loop policies are deprecated from Python 3.14 on; there, only loops that
#: are running (or passed in) when install_hooks() is called get the handler.
_WRAP_POLICY = sys.version_info < (3, 14)
_policy: _LoopPolicy | None = None


def install_hooks(*, loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Install errkit's global hooks; calling it again changes nothing.

    The asyncio handler goes on ``loop``, else on the loop running in this thread
    if there is one, and on every loop the event loop policy creates from now on
    (``asyncio.run`` creates one).

    What happens to the hook that was there before depends on what it is:

    - Python's own default (``sys.__excepthook__``, ``threading.__excepthook__``,
      ``sys.__unraisablehook__``, or no loop handler): for every failure errkit
      reports, errkit's ERROR record on ``errkit.recovery`` replaces the
      default's printout, so the traceback is not written twice and stderr no
      longer shows ``Traceback ...`` from ``sys.excepthook``, ``Exception in
      thread ...``, ``Exception ignored in ...`` or ``Task exception was never
      retrieved``; the record holds the same traceback. A loop message without
      an exception is logged by errkit as ``asyncio: <message>`` instead. What
      errkit does not report (``KeyboardInterrupt`` at the top level,
      ``SystemExit`` in a thread, an exception it already reported through
      recovery) still goes to the default and looks as before.
    - Any other hook (a crash reporter's, a test runner's, a
      ``functools.partial``): errkit reports the event, then calls that hook
      exactly once per event, whatever errkit did with it.
    """
    global _policy
    with _lock:
        for key, (owner, attr, default, handle) in _TARGETS.items():
            current = _active.get(key)
            if current is not None:
                if getattr(owner, attr) is current:
                    continue
                # Replaced since (a test runner restoring its own hook, say):
                # install afresh; the old one, if still chained, passes through.
                current.active = False
            hook = _ChainedHook(getattr(owner, attr), default, handle)
            setattr(owner, attr, hook)
            _active[key] = hook
        if _WRAP_POLICY:
            current_policy = asyncio.get_event_loop_policy()
            if current_policy is not _policy:
                if _policy is not None:
                    _policy.active = False
                _policy = _LoopPolicy(current_policy)
                asyncio.set_event_loop_policy(_policy)
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
        _hook_loop(loop)


def _hook_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Put errkit's handler on ``loop`` unless it is already there (lock held)."""
    previous_hook = _loops.get(loop)
    if previous_hook is not None:
        if loop.get_exception_handler() is previous_hook:
            return
        previous_hook.active = False
    loop_hook = _LoopHook(loop.get_exception_handler())
    loop.set_exception_handler(loop_hook)
    _loops[loop] = loop_hook


def uninstall_hooks() -> None:
    """Remove errkit's hooks where they are still the current ones.

    Where another hook was installed on top of errkit's since, errkit's stays in
    that chain, passing events through without reporting them.
    """
    global _policy
    with _lock:
        for key, hook in list(_active.items()):
            owner, attr, _, _ = _TARGETS[key]
            if getattr(owner, attr) is hook:
                setattr(owner, attr, hook.previous)
            hook.active = False
            del _active[key]
        if _policy is not None:
            if asyncio.get_event_loop_policy() is _policy:
                asyncio.set_event_loop_policy(_policy.inner)
            _policy.active = False
            _policy = None
        for loop, loop_hook in list(_loops.items()):
            if not loop.is_closed() and loop.get_exception_handler() is loop_hook:
                loop.set_exception_handler(loop_hook.previous)
            loop_hook.active = False
        _loops.clear()
