"""Cycle-safe walking of an exception's chain.

The chain of an exception is what ``traceback.format_exception`` shows: the
members of an exception group, the ``__cause__``, or else the ``__context__``
unless ``__suppress_context__`` hides it. Chains can loop (``raise e from e``;
re-raising a group's member, whose ``__context__`` becomes the group), and
exceptions can be unhashable (a class that defines ``__eq__``), so visited
exceptions are tracked by ``id()``, never in a set of the exceptions themselves.

A *barrier* (see ``errkit.barrier``) is a coded error whose chain lookups must
not see into; walks stop below it unless asked to cross barriers (for logs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ._errors import CodedError

__all__ = ["ChainLink", "chain", "is_barrier", "links", "walk"]

Via = Literal["root", "member", "cause", "context"]


def is_barrier(exc: BaseException) -> bool:
    """True if lookups must not look below ``exc`` (see ``errkit.barrier``)."""
    return isinstance(exc, CodedError) and exc._barrier


def _next(exc: BaseException) -> list[tuple[Via, BaseException]]:
    """The exceptions directly below ``exc``, in the order lookups visit them."""
    below: list[tuple[Via, BaseException]] = []
    if isinstance(exc, BaseExceptionGroup):
        below.extend(("member", m) for m in exc.exceptions)
    if exc.__cause__ is not None:
        below.append(("cause", exc.__cause__))
    elif exc.__context__ is not None and not exc.__suppress_context__:
        below.append(("context", exc.__context__))
    return below


def chain(exc: BaseException | None, *, barriers: bool = True) -> list[BaseException]:
    """``list(walk(exc))``, computed without a generator (lookups use it)."""
    found: list[BaseException] = []
    if exc is None:
        return found
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    # Written out rather than built on _next(): this loop is every lookup's cost.
    while stack:
        current = stack.pop()
        key = id(current)
        if key in seen:
            continue
        seen.add(key)
        found.append(current)
        if barriers and isinstance(current, CodedError) and current._barrier:
            continue
        below = current.__cause__
        if below is None and not current.__suppress_context__:
            below = current.__context__
        if below is not None:
            stack.append(below)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(reversed(current.exceptions))
    return found


def walk(
    exc: BaseException | None, *, barriers: bool = True
) -> Iterator[BaseException]:
    """Each exception in ``exc``'s chain once, outermost first (depth-first).

    Group members come before the group's own cause/context. ``None`` yields
    nothing. With ``barriers`` (the default) nothing below a barrier is yielded;
    pass ``barriers=False`` to see the whole chain, as a log formatter would.
    The chain is collected before the first item is yielded, so changing it
    while walking does not disturb the walk.
    """
    return iter(chain(exc, barriers=barriers))


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One step of a chain, for formatters that draw it.

    ``via`` says how it was reached from ``parent`` (an index into the links
    yielded before it, None for the root); ``cycle`` marks a back-edge: ``exc``
    was already shown and is not descended into again.
    """

    exc: BaseException
    via: Via
    parent: int | None
    depth: int
    cycle: bool = False


def links(exc: BaseException | None, *, barriers: bool = False) -> Iterator[ChainLink]:
    """Every edge of ``exc``'s chain, outermost first, marking back-edges.

    Unlike ``walk`` this crosses barriers by default (it is for logs) and yields
    a back-edge as a ``ChainLink`` with ``cycle=True`` instead of skipping it.
    """
    if exc is None:
        return
    seen: set[int] = set()
    stack: list[tuple[BaseException, Via, int | None, int]] = [(exc, "root", None, 0)]
    index = 0
    while stack:
        current, via, parent, depth = stack.pop()
        if id(current) in seen:
            yield ChainLink(current, via, parent, depth, cycle=True)
            index += 1
            continue
        seen.add(id(current))
        yield ChainLink(current, via, parent, depth)
        me = index
        index += 1
        if barriers and is_barrier(current):
            continue
        for how, below in reversed(_next(current)):
            stack.append((below, how, me, depth + 1))
