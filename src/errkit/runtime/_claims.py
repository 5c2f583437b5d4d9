"""Marking an exception as already reported, so each failure counts once.

One failure can reach errkit along several paths: a watched future records it in
its done-callback, then the caller reads ``result()`` and the same exception object
travels on to ``sys.excepthook``; a thread group reports each member as it fails,
then raises the group. Counting and logging it at every stop would inflate the
metrics, so the first path that reports an exception claims it.

The claim lives in the exception's ``__dict__`` (exceptions cannot be weakly
referenced, and a registry of ids would keep tracebacks alive). It is one shared
token that pickles to ``None``: a copy of the exception in another process, or
read back from a queue, is a new object that has not been reported there.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KEY", "TOKEN", "claim", "is_claimed", "leaves"]

#: The ``__dict__`` key holding the claim.
KEY = "__errkit_reported__"


def _unclaimed() -> None:
    """Unpickle a claim as "not claimed here"."""


class _Token:
    """The claim of this process; pickles to ``None``."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_unclaimed, ())

    def __repr__(self) -> str:
        return "<errkit: reported>"


TOKEN = _Token()


def claim(exc: BaseException) -> bool:
    """Claim ``exc`` for reporting; ``False`` if it was already reported here.

    Check-then-set is not atomic, so two threads reporting the very same
    exception object within a few bytecodes of each other could both win; the
    paths that share an exception (a done-callback, then a reader re-raising it)
    are far apart in time, and a lock here would tax every record.
    """
    try:
        state = exc.__dict__
    except AttributeError:  # an exotic exception without a __dict__: count it
        return True
    if state.get(KEY) is TOKEN:
        return False
    state[KEY] = TOKEN
    return True


def is_claimed(exc: BaseException) -> bool:
    """Whether ``exc`` was already reported in this process."""
    return getattr(exc, "__dict__", {}).get(KEY) is TOKEN


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
