"""Marking an exception as already reported, so each failure counts once.

One failure can reach errkit along several paths: a watched future records it in
its done-callback, then the caller reads ``result()`` and the same exception object
travels on to ``sys.excepthook``; a thread group reports each member as it fails,
then raises the group. Counting and logging it at every stop would inflate the
metrics, so the first path that reports an exception claims it.

The claim lives in the exception's ``__dict__`` (exceptions cannot be weakly
referenced, and a registry of ids would keep tracebacks alive). A claim pickles to
``None``: a copy of the exception in another process, or read back from a queue,
is a new object that has not been reported there.
"""

from __future__ import annotations

from typing import Any

__all__ = ["claim", "is_claimed", "leaves"]

_KEY = "__errkit_reported__"


def _unclaimed() -> None:
    """Unpickle a claim as "not claimed here"."""
    return None


class _Claim:
    """One claim on one exception; identity tells which reporter won."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_unclaimed, ())


def claim(exc: BaseException) -> bool:
    """Claim ``exc`` for reporting; ``False`` if someone already did.

    ``dict.setdefault`` is atomic under the GIL, so two threads that report the
    same exception at once cannot both win.
    """
    try:
        state = exc.__dict__
    except AttributeError:  # an exotic exception without a __dict__: count it
        return True
    mine = _Claim()
    current = state.setdefault(_KEY, mine)
    if current is mine:
        return True
    if current is None:  # a claim that came through pickle: not reported here
        state[_KEY] = mine
        return True
    return False


def is_claimed(exc: BaseException) -> bool:
    """Whether ``exc`` was already reported in this process."""
    return isinstance(getattr(exc, "__dict__", {}).get(_KEY), _Claim)


def leaves(group: BaseExceptionGroup[Any]) -> list[BaseException]:
    """The non-group members of ``group``, depth first, each once.

    Groups can be nested and, built by hand, can even contain themselves; visited
    groups are tracked by ``id()`` because exceptions may be unhashable.
    """
    found: list[BaseException] = []
    seen: set[int] = set()
    stack: list[BaseException] = [group]
    while stack:
        exc = stack.pop()
        if id(exc) in seen:
            continue
        seen.add(id(exc))
        if isinstance(exc, BaseExceptionGroup):
            stack.extend(reversed(exc.exceptions))
        else:
            found.append(exc)
    return found
