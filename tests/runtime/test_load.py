"""Load: 10,000 failures in threads, tasks and futures at once, none lost or doubled."""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import logging
import threading

import errkit

THREADS, TASKS, FUTURES = 3334, 3333, 3333


def fail(i: int) -> None:
    raise ValueError(f"failure {i}")


async def fail_async(i: int) -> None:
    raise ValueError(f"failure {i}")


def spawn_threads() -> None:
    threads = [
        errkit.start_thread(fail, i, context="load:thread") for i in range(THREADS)
    ]
    for thread in threads:
        thread.join()


def spawn_tasks() -> None:
    async def main() -> None:
        tasks = {
            errkit.create_task(fail_async(i), context="load:task") for i in range(TASKS)
        }
        await asyncio.wait(tasks)
        await asyncio.sleep(0)  # let the last done-callbacks run

    asyncio.run(main())


def spawn_futures() -> None:
    with cf.ThreadPoolExecutor(max_workers=8) as pool:
        for i in range(FUTURES):
            errkit.submit(pool, fail, i, errkit_context="load:future")


class TestTenThousandFailures:
    """Every failure is counted exactly once and logged exactly once."""

    def test_exact_counts(self, errkit_log, metrics_registry, monkeypatch):
        """10,000 failures: the counter reads 10,000 and 10,000 records were emitted."""
        # Keep the records in the capture only: formatting 10,000 tracebacks in the
        # test runner's own log capture would only slow the test down.
        monkeypatch.setattr(logging.getLogger("errkit"), "propagate", False)
        drivers = [
            threading.Thread(target=spawn)
            for spawn in (spawn_threads, spawn_tasks, spawn_futures)
        ]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()

        assert (
            metrics_registry.value(
                "errors_total",
                module="unregistered",
                code="unregistered",
                category="internal",
                severity="error",
            )
            == 10_000.0
        )
        assert len(errkit_log.failures()) == 10_000
        assert len(errkit_log.records) == 10_000
        assert {
            ctx: metrics_registry.value("panics_recovered_total", context=ctx)
            for ctx in ("load:thread", "load:task", "load:future")
        } == {"load:thread": 3334.0, "load:task": 3333.0, "load:future": 3333.0}
        assert len({id(r.exc_info[1]) for r in errkit_log.failures()}) == 10_000
