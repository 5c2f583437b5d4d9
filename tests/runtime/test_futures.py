"""Recovery for executor futures and asyncio tasks (BR-01, BR-02)."""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import subprocess
import sys
import textwrap
import threading
import traceback
from typing import Any

import pytest

import errkit


def job(x: int) -> float:
    return 1 / (x - 2)  # fails only for x == 2


class TestSubmitBR01:
    """BR-01: executor failures that nobody reads are reported when they happen."""

    def test_one_record_with_the_original_exception(self, errkit_log, metrics_registry):
        """One ERROR record whose exc_info is the ZeroDivisionError from `job`."""
        with cf.ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                errkit.submit(pool, job, x, errkit_context="jobs:divide")
                for x in range(4)
            ]
        records = errkit_log.failures()
        assert len(records) == 1
        exc = records[0].exc_info[1]
        assert type(exc) is ZeroDivisionError
        frames = [f.name for f in traceback.extract_tb(exc.__traceback__)]
        assert "job" in frames
        assert futures[2].exception() is exc
        assert (
            metrics_registry.value("panics_recovered_total", context="jobs:divide")
            == 1.0
        )
        assert metrics_registry.total("errors_total") == 1.0

    def test_record_emitted_when_the_future_completes(self, errkit_log):
        """The record exists as the future completes, before anyone looks or exits."""
        release = threading.Event()
        at_completion: list[int] = []

        def fail_later() -> None:
            release.wait(5)
            raise ValueError("late")

        with cf.ThreadPoolExecutor(max_workers=1) as pool:
            future = errkit.submit(pool, fail_later, errkit_context="jobs:late")
            # Callbacks run in the order they were added: this one sees the state
            # right after errkit's own callback, at completion time.
            future.add_done_callback(
                lambda f: at_completion.append(len(errkit_log.failures()))
            )
            assert errkit_log.failures() == []
            release.set()
        assert at_completion == [1]

    def test_reading_result_later_adds_no_record(self, errkit_log, metrics_registry):
        """`result()` raises the same exception; no second record, no second count."""
        with cf.ThreadPoolExecutor(max_workers=2) as pool:
            futures = [errkit.submit(pool, job, x) for x in range(4)]
        with pytest.raises(ZeroDivisionError) as info:
            futures[2].result()
        assert info.value is futures[2].exception()
        assert len(errkit_log.failures()) == 1
        assert metrics_registry.total("errors_total") == 1.0

    def test_successful_tasks_produce_no_records(self, errkit_log):
        """Three successes and no failure: not a single errkit record."""
        with cf.ThreadPoolExecutor(max_workers=2) as pool:
            results = [errkit.submit(pool, job, x).result() for x in (0, 1, 3)]
        assert results == [-0.5, -1.0, 1.0]
        assert errkit_log.records == []

    def test_default_context_names_the_function(self, metrics_registry):
        """Without errkit_context the context is the function's module and name."""
        with cf.ThreadPoolExecutor(max_workers=1) as pool:
            errkit.submit(pool, job, 2)
        assert metrics_registry.series("panics_recovered_total") == [
            {"context": f"{__name__}:job"}
        ]

    def test_process_pool(self, errkit_log, metrics_registry):
        """A process pool's failure is reported once, and the future still holds it."""
        with cf.ProcessPoolExecutor(max_workers=1) as pool:
            future = errkit.submit(pool, job, 2, errkit_context="jobs:proc")
            exc = future.exception(timeout=60)
        assert type(exc) is ZeroDivisionError
        assert errkit_log.failure_excs() == [exc]
        assert (
            metrics_registry.value("panics_recovered_total", context="jobs:proc") == 1.0
        )

    def test_cancelled_future_is_not_a_failure(self, errkit_log, metrics_registry):
        """A cancelled future produces no record and no count."""
        future: cf.Future[int] = cf.Future()
        errkit.watch(future, context="jobs:cancel")
        assert future.cancel()
        assert errkit_log.records == []
        assert metrics_registry.total("errors_total") == 0.0

    def test_failing_done_callback_does_not_change_outcome(self, errkit_log):
        """A user callback that raises leaves the result and errkit's record alone."""
        future: cf.Future[int] = cf.Future()

        def bad_callback(f: cf.Future[int]) -> None:
            raise RuntimeError("callback broke")

        future.add_done_callback(bad_callback)
        assert errkit.watch(future, context="jobs:cb") is future
        err = KeyError("k")
        future.set_exception(err)
        assert future.exception() is err
        assert errkit_log.failure_excs() == [err]


class TestTasksBR02:
    """BR-02: a failed task held by a reference is reported before anyone awaits."""

    def test_record_before_the_print(self, errkit_log, metrics_registry):
        """In the sleep: one record with the ValueError, its frame, the task name."""
        background: set[asyncio.Task[None]] = set()
        seen_before_print: list[int] = []

        async def refresh_cache() -> None:
            raise ValueError("cache backend unreachable")

        async def main() -> None:
            task = errkit.create_task(
                refresh_cache(), context="cache:refresh", name="refresher"
            )
            background.add(task)
            await asyncio.sleep(0.1)
            assert task.done()
            seen_before_print.append(len(errkit_log.failures()))

        asyncio.run(main())
        assert seen_before_print == [1]
        record = errkit_log.failures()[0]
        exc = record.exc_info[1]
        assert type(exc) is ValueError and str(exc) == "cache backend unreachable"
        assert "refresh_cache" in [
            f.name for f in traceback.extract_tb(exc.__traceback__)
        ]
        assert record.errkit_name == "refresher"
        assert "'refresher'" in record.getMessage()
        assert (
            metrics_registry.value("panics_recovered_total", context="cache:refresh")
            == 1.0
        )

    def test_nothing_printed_at_exit(self):
        """asyncio's 'Task exception was never retrieved' does not follow at exit."""
        script = textwrap.dedent(
            """
            import asyncio, logging, errkit
            logging.basicConfig(level=logging.ERROR, format="%(name)s %(message)s")
            BACKGROUND = set()
            async def refresh_cache():
                raise ValueError("cache backend unreachable")
            async def main():
                BACKGROUND.add(errkit.create_task(refresh_cache(), context="c:r"))
                await asyncio.sleep(0.1)
            asyncio.run(main())
            """
        )
        done = subprocess.run(  # noqa: PLW1510 - the exit status is asserted
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0
        assert "never retrieved" not in done.stderr
        logged = "errkit.recovery task 'Task-2' failed: ValueError (context c:r)"
        assert done.stderr.count(logged) == 1

    def test_cancelled_task_is_not_reported(self, errkit_log, metrics_registry):
        """A task that is cancelled produces no record and no count."""

        async def main() -> None:
            task = errkit.create_task(asyncio.sleep(10), context="c:cancel")
            await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(main())
        assert errkit_log.records == []
        assert metrics_registry.total("errors_total") == 0.0

    def test_awaiting_raises_the_same_object(self, errkit_log):
        """`await task` raises the very exception that was recorded, recorded once."""
        err = LookupError("gone")

        async def fail() -> None:
            raise err

        async def main() -> BaseException:
            task = errkit.create_task(fail(), context="c:await")
            try:
                await task
            except LookupError as caught:
                return caught
            raise AssertionError("not raised")

        assert asyncio.run(main()) is err
        assert errkit_log.failure_excs() == [err]

    def test_awaited_task_is_logged_as_failed_not_unhandled(self, errkit_log):
        """A watched task its caller awaits logs once, worded 'failed', at ERROR."""

        class Gone(errkit.NotFoundError, module="orders", code=410):
            """The order is gone."""

        async def fail() -> None:
            raise Gone("order 7")

        async def main() -> None:
            spawned = asyncio.create_task(fail(), name="Task-2")
            task = errkit.watch(spawned, context="c:w")
            with pytest.raises(Gone):
                await task

        asyncio.run(main())
        [record] = errkit_log.failures()
        assert (record.levelname, record.getMessage()) == (
            "ERROR",
            "task 'Task-2' failed: orders:410 (context c:w)",
        )

    def test_read_future_is_logged_as_failed(self, errkit_log):
        """A watched future whose result is read logs 'future failed', once."""
        with cf.ThreadPoolExecutor(max_workers=1) as pool:
            future = errkit.watch(pool.submit(job, 2), context="jobs:read")
            with pytest.raises(ZeroDivisionError):
                future.result()
        [record] = errkit_log.failures()
        assert record.getMessage() == (
            "future failed: ZeroDivisionError (context jobs:read)"
        )

    def test_run_in_executor(self, errkit_log, metrics_registry):
        """`run_in_executor` is watched: one record, and awaiting still raises."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            fut = errkit.run_in_executor(loop, None, job, 2, context="jobs:loop")
            with pytest.raises(ZeroDivisionError):
                await fut

        asyncio.run(main())
        assert len(errkit_log.failures()) == 1
        assert (
            metrics_registry.value("panics_recovered_total", context="jobs:loop") == 1.0
        )

    def test_watch_returns_the_same_task(self):
        """`watch(task)` is `task`."""

        async def main() -> bool:
            task = asyncio.create_task(asyncio.sleep(0))
            same = errkit.watch(task, context="c:same") is task
            await task
            return same

        assert asyncio.run(main()) is True

    def test_cancelled_before_first_step_closes_the_coroutine(self, recwarn):
        """A task cancelled before it ever ran leaves no 'never awaited' warning."""
        import gc

        async def main() -> None:
            task = errkit.create_task(asyncio.sleep(1), context="c:early")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(main())
        gc.collect()
        assert [
            str(w.message) for w in recwarn if "never awaited" in str(w.message)
        ] == []

    def test_task_repr_names_the_coroutine(self):
        """The task's repr shows the user's coroutine, not errkit's wrapper."""

        async def refresh_prices() -> int:
            return 3

        async def main() -> tuple[str, int]:
            task = errkit.create_task(refresh_prices(), context="c:repr")
            text = repr(task)
            return text, await task

        text, result = asyncio.run(main())
        assert "refresh_prices" in text
        assert result == 3

    def test_not_a_coroutine(self):
        """Like asyncio, create_task rejects what is not a coroutine."""

        async def main() -> None:
            with pytest.raises(TypeError) as info:
                not_a_coroutine: Any = asyncio.sleep
                errkit.create_task(not_a_coroutine, context="c:bad")
            assert str(info.value).startswith("create_task needs a coroutine, got ")

        asyncio.run(main())

    def test_exception_thrown_into_the_task(self, errkit_log):
        """An exception thrown in at an await (not cancellation) is reported once."""
        err = ConnectionError("reset")

        async def waits_on(fut: asyncio.Future[None]) -> None:
            await fut

        async def main() -> None:
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            task = errkit.create_task(waits_on(fut), context="c:throw")
            await asyncio.sleep(0)
            fut.set_exception(err)
            with pytest.raises(ConnectionError):
                await task

        asyncio.run(main())
        assert errkit_log.failure_excs() == [err]
