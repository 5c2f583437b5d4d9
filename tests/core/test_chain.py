"""Tests for chain walking: order, groups, suppressed context, cycles (BR-11)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import errkit


def self_cause() -> BaseException:
    """BR-11: ``raise e from e``."""
    try:
        try:
            raise ValueError("bad input")
        except ValueError as e:
            raise e from e
    except ValueError as caught:
        return caught


def regroup() -> BaseException:
    """BR-11: re-raising a member of a caught group (its context is the group)."""
    try:
        try:
            raise ExceptionGroup("batch", [ValueError("item 3")])
        except ExceptionGroup as eg:
            raise eg.exceptions[0]
    except ValueError as caught:
        return caught


class Unhashable(Exception):
    """Defining __eq__ sets __hash__ to None."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable)


def two_cycle() -> BaseException:
    """BR-11: two unhashable-or-not errors that are each other's context."""
    a, b = Unhashable("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    try:
        raise a
    except Unhashable as caught:
        return caught


def _labels(errors: list[BaseException]) -> list[str]:
    return [f"{type(e).__name__}:{e}" for e in errors]


def _traceback_set(exc: BaseException) -> set[str]:
    """The exceptions traceback.format_exception shows, as 'Type: message'."""
    seen: set[int] = set()
    out: set[str] = set()
    stack = [traceback.TracebackException.from_exception(exc)]
    while stack:
        te = stack.pop()
        if id(te) in seen:
            continue
        seen.add(id(te))
        out.add(f"{te.exc_type.__name__}:{te}")  # type: ignore[union-attr]
        stack.extend(t for t in (te.__cause__, te.__context__) if t is not None)
        stack.extend(te.exceptions or [])
    return out


class TestCycles:
    @pytest.mark.parametrize(
        ("make", "expected"),
        [
            (self_cause, ["ValueError:bad input"]),
            (regroup, ["ValueError:item 3", "ExceptionGroup:batch (1 sub-exception)"]),
            (two_cycle, ["Unhashable:a", "ValueError:b"]),
        ],
        ids=["self-cause", "regroup", "two-cycle"],
    )
    def test_walk_visits_each_once(
        self, make: Callable[[], BaseException], expected: list[str]
    ) -> None:
        """Each distinct exception comes once; walking ends; no TypeError for
        unhashable exceptions."""
        exc = make()
        assert _labels(list(errkit.walk(exc))) == expected

    @pytest.mark.parametrize(
        "make",
        [self_cause, regroup, two_cycle],
        ids=["self-cause", "regroup", "two-cycle"],
    )
    def test_walk_covers_what_traceback_shows(
        self, make: Callable[[], BaseException]
    ) -> None:
        """The walk covers the same exceptions traceback.format_exception shows."""
        exc = make()
        shown = _traceback_set(exc)
        assert set(_labels(list(errkit.walk(exc)))) == shown

    @pytest.mark.parametrize(
        ("make", "expected"),
        [
            (self_cause, [("root", None, False), ("cause", 0, True)]),
            (
                regroup,
                [("root", None, False), ("context", 0, False), ("member", 1, True)],
            ),
            (
                two_cycle,
                [("root", None, False), ("context", 0, False), ("context", 1, True)],
            ),
        ],
        ids=["self-cause", "regroup", "two-cycle"],
    )
    def test_links_mark_back_edges(
        self, make: Callable[[], BaseException], expected: list[Any]
    ) -> None:
        """links() yields each edge once and marks the back-edge as a cycle."""
        got = [(link.via, link.parent, link.cycle) for link in errkit.links(make())]
        assert got == expected

    @pytest.mark.parametrize(
        "make",
        [self_cause, regroup, two_cycle],
        ids=["self-cause", "regroup", "two-cycle"],
    )
    def test_lookups_terminate(self, make: Callable[[], BaseException]) -> None:
        """Every lookup ends on a cyclic chain and answers."""
        exc = make()
        assert errkit.code_of(exc) is None
        assert errkit.has(exc, KeyError) is False
        assert errkit.root_cause(exc) is not None
        assert errkit.context_of(exc) == {}
        assert errkit.is_retryable(exc) is False


class TestOrder:
    def test_cause_chain_outermost_first(self) -> None:
        """walk yields the error, then its cause, then the cause's cause."""
        inner = KeyError("k")
        middle = errkit.NotFoundError("missing")
        middle.__cause__ = inner
        outer = RuntimeError("outer")
        outer.__cause__ = middle
        assert list(errkit.walk(outer)) == [outer, middle, inner]

    def test_suppressed_context_is_skipped(self) -> None:
        """``raise X from None`` hides the context, as in tracebacks."""
        try:
            try:
                raise KeyError("k")
            except KeyError:
                raise ValueError("v") from None
        except ValueError as exc:
            assert _labels(list(errkit.walk(exc))) == ["ValueError:v"]

    def test_implicit_context_followed(self) -> None:
        """An error raised while handling another has it as context."""
        try:
            try:
                raise KeyError("k")
            except KeyError:
                raise ValueError("v")
        except ValueError as exc:
            assert _labels(list(errkit.walk(exc))) == ["ValueError:v", "KeyError:'k'"]

    def test_group_members_before_group_cause(self) -> None:
        """Group members (depth first) come before the group's own cause."""
        leaf = KeyError("leaf")
        nested = ExceptionGroup("nested", [leaf])
        group = ExceptionGroup("outer", [ValueError("first"), nested])
        group.__cause__ = OSError("cause")
        assert _labels(list(errkit.walk(group))) == [
            "ExceptionGroup:outer (2 sub-exceptions)",
            "ValueError:first",
            "ExceptionGroup:nested (1 sub-exception)",
            "KeyError:'leaf'",
            "OSError:cause",
        ]

    def test_none(self) -> None:
        """walk(None) is empty."""
        assert list(errkit.walk(None)) == []


class TestBarrier:
    def _chain(self) -> errkit.CodedError:
        inner = errkit.NotFoundError("card gone", module="pay", code=10)
        outer = errkit.barrier(
            errkit.InternalError("charge failed", module="shop", code=60)
        )
        outer.__cause__ = inner
        return outer

    def test_walk_stops_at_barrier(self) -> None:
        """Lookups do not see below a barrier."""
        exc = self._chain()
        assert _labels(list(errkit.walk(exc))) == ["InternalError:charge failed"]

    def test_walk_crosses_barrier_for_logs(self) -> None:
        """barriers=False shows the whole chain (for logs)."""
        exc = self._chain()
        assert _labels(list(errkit.walk(exc, barriers=False))) == [
            "InternalError:charge failed",
            "NotFoundError:card gone",
        ]
        assert [link.exc for link in errkit.links(exc)][1] is exc.__cause__


class TestRandomGraphs:
    @given(
        size=st.integers(min_value=1, max_value=8),
        edges=st.lists(
            st.tuples(
                st.integers(0, 7),
                st.sampled_from(["cause", "context"]),
                st.integers(0, 7),
            ),
            max_size=16,
        ),
        suppress=st.lists(st.booleans(), min_size=8, max_size=8),
    )
    def test_walk_visits_reachable_once(
        self,
        size: int,
        edges: list[tuple[int, str, int]],
        suppress: list[bool],
    ) -> None:
        """On any cause/context graph, cycles included, walk ends and yields
        each exception reachable the way tracebacks follow exactly once."""
        errors: list[BaseException] = [Unhashable(str(i)) for i in range(size)]
        for src, how, dst in edges:
            if src < size and dst < size:
                setattr(errors[src], f"__{how}__", errors[dst])
        for i, flag in enumerate(suppress[:size]):
            errors[i].__suppress_context__ = flag

        expected: list[int] = []
        node: BaseException | None = errors[0]
        while node is not None and id(node) not in {id(errors[i]) for i in expected}:
            expected.append(next(i for i, e in enumerate(errors) if e is node))
            below = node.__cause__
            if below is None and not node.__suppress_context__:
                below = node.__context__
            node = below
        got = [
            next(i for i, e in enumerate(errors) if e is w)
            for w in errkit.walk(errors[0])
        ]
        assert got == expected
