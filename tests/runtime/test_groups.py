"""Thread groups and the primary error of a task group's exception group."""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import sys
import threading

import pytest

import errkit


class TestThreadGroup:
    """Failures are reported as they happen and raised together at the end."""

    def test_failures_raised_together(self, errkit_log, metrics_registry):
        """Two failures out of three: one ExceptionGroup holding both, counted twice."""
        first, second = ValueError("a"), KeyError("b")

        def fail_first() -> None:
            raise first

        def fail_second(after: cf.Future[None]) -> None:
            after.exception(timeout=5)  # set once the first failure is stored
            raise second

        with (
            pytest.raises(ExceptionGroup) as info,
            errkit.ThreadGroup(context="reports:build") as group,
        ):
            group.spawn(fail_second, group.spawn(fail_first))
            ok = group.spawn(lambda: 42)
        assert info.value.exceptions == (first, second)
        assert str(info.value) == (
            "2 failure(s) in thread group 'reports:build' (2 sub-exceptions)"
        )
        assert ok.result() == 42
        assert errkit_log.failure_excs() == [first, second]
        assert metrics_registry.total("errors_total") == 2.0
        assert (
            metrics_registry.value("panics_recovered_total", context="reports:build")
            == 2.0
        )

    def test_failure_reported_before_the_group_ends(self, errkit_log):
        """A failure is logged while a sibling is still running."""
        release = threading.Event()
        logged_while_running: list[int] = []

        def slow() -> None:
            release.wait(5)

        with (
            pytest.raises(ExceptionGroup),
            errkit.ThreadGroup(context="g:early") as group,
        ):
            group.spawn(slow)
            failed = group.spawn(lambda: 1 / 0)
            failed.exception(timeout=5)
            logged_while_running.append(len(errkit_log.failures()))
            release.set()
        assert logged_while_running == [1]

    def test_raising_the_group_later_counts_nothing_more(self, metrics_registry):
        """When the raised group is recorded again (say, by a hook) nothing is added."""
        with (
            pytest.raises(ExceptionGroup) as info,
            errkit.ThreadGroup(context="g:again") as group,
        ):
            group.spawn(lambda: 1 / 0)
        assert errkit.record(info.value, context="hook:sys") is False
        assert metrics_registry.total("errors_total") == 1.0

    def test_no_failure_no_exception(self, errkit_log):
        """All threads succeed: the block exits normally with the results."""
        with errkit.ThreadGroup(context="g:ok") as group:
            results = [group.spawn(pow, 2, n) for n in range(4)]
        assert [r.result() for r in results] == [1, 2, 4, 8]
        assert errkit_log.records == []

    def test_body_exception_comes_first(self):
        """An exception from the block itself leads the group."""
        body = RuntimeError("body")
        with (
            pytest.raises(ExceptionGroup) as info,
            errkit.ThreadGroup(context="g:body") as group,
        ):
            group.spawn(lambda: 1 / 0)
            raise body
        assert info.value.exceptions[0] is body
        assert type(info.value.exceptions[1]) is ZeroDivisionError

    def test_keyboard_interrupt_from_block_propagates_as_is(self):
        """Control flow from the block is not wrapped into a group."""
        with (
            pytest.raises(KeyboardInterrupt),
            errkit.ThreadGroup(context="g:kbd") as group,
        ):
            group.spawn(lambda: 1 / 0)
            raise KeyboardInterrupt

    def test_system_exit_in_thread_not_reported(self, errkit_log):
        """A thread's SystemExit is raised in a BaseExceptionGroup and not logged."""
        with (
            pytest.raises(BaseExceptionGroup) as info,
            errkit.ThreadGroup(context="g:exit") as group,
        ):
            group.spawn(sys.exit, 2)
        assert [type(e) for e in info.value.exceptions] == [SystemExit]
        assert errkit_log.records == []

    def test_run_in_threads(self):
        """`run_in_threads` returns each callable's result in order."""
        assert errkit.run_in_threads(lambda: "a", lambda: "b", context="g:run") == [
            "a",
            "b",
        ]


class TestPrimaryError:
    """The failure that started a task group's exception group."""

    def test_from_a_real_task_group(self):
        """The first failure, not the error a sibling raised while being cancelled."""
        first = ValueError("db down")

        async def fails() -> None:
            await asyncio.sleep(0)
            raise first

        async def cleans_up_badly() -> None:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                raise RuntimeError("cleanup failed") from None

        async def main() -> BaseException:
            try:
                async with asyncio.TaskGroup() as tg:
                    tg.create_task(cleans_up_badly())
                    tg.create_task(fails())
            except ExceptionGroup as group:
                assert [type(e) for e in group.exceptions] == [ValueError, RuntimeError]
                return errkit.primary_error(group)
            raise AssertionError("no group")

        assert asyncio.run(main()) is first

    def test_cancellation_cleanup_error_listed_first_is_skipped(self):
        """An error raised while handling a cancellation is set aside, even first."""
        try:
            try:
                raise asyncio.CancelledError
            except asyncio.CancelledError:
                raise RuntimeError("cleanup") from None
        except RuntimeError as cleanup:
            during = cleanup
        real = KeyError("real")
        group = ExceptionGroup("g", [during, real])
        assert errkit.primary_error(group) is real

    def test_nested_groups(self):
        """Members of nested groups are searched depth first, in order."""
        inner = ValueError("inner")
        group = ExceptionGroup(
            "outer", [ExceptionGroup("mid", [inner]), KeyError("later")]
        )
        assert errkit.primary_error(group) is inner

    def test_only_cancellation_related(self):
        """With nothing better, the first non-cancellation member is returned."""
        try:
            try:
                raise asyncio.CancelledError
            except asyncio.CancelledError:
                raise OSError("cleanup") from None
        except OSError as cleanup:
            during = cleanup
        group = BaseExceptionGroup("g", [asyncio.CancelledError(), during])
        assert errkit.primary_error(group) is during

    def test_not_a_group(self):
        """A plain exception is its own primary error."""
        err = ValueError("x")
        assert errkit.primary_error(err) is err
