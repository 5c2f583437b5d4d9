"""Benchmark: what recovery and recording cost over the plain operation.

Run:  python benchmarks/bench_recovery.py [--repeat R]   (R defaults to 40)

Three pairs, each measured in the same process, interleaved, best of R repeats
with the cyclic garbage collector off during the timed loops (as ``timeit``
does), printed as time per operation and the errkit/plain ratio next to its goal:

- starting and joining a thread: ``errkit.start_thread`` against a plain
  ``threading.Thread``, both running a function that returns at once;
- recording an error: ``errkit.record(exc)`` against ``child.inc()`` on a
  prometheus_client counter child bound once beforehand (each record gets a fresh
  exception, since an exception object is counted only once);
- a task: ``errkit.create_task`` against ``asyncio.create_task``, creating a
  batch of trivial tasks and waiting for them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import threading
import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter

import errkit
from errkit.runtime import metrics


class Overbooked(errkit.ConflictError, module="bench.recovery", code=120):
    """A class-declared coded error, as services record them."""


def noop() -> None:
    return None


# --- threads -----------------------------------------------------------------------


def plain_threads(n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        thread = threading.Thread(target=noop)
        thread.start()
        thread.join()
    return time.perf_counter() - start


def recovered_threads(n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        errkit.start_thread(noop, context="bench:thread").join()
    return time.perf_counter() - start


# --- recording -----------------------------------------------------------------------


def child_inc(n: int) -> float:
    registry = CollectorRegistry()
    counter = Counter("plain_errors", "errors", ["module", "code"], registry=registry)
    child = counter.labels("bench.recovery", "120")
    errors = [Overbooked("overbooked") for _ in range(n)]  # same loop shape as record
    start = time.perf_counter()
    for _ in errors:
        child.inc()
    return time.perf_counter() - start


def record_errors(n: int) -> float:
    metrics.configure_metrics(registry=CollectorRegistry())
    errkit.record(Overbooked("warm up"))  # build the counters and the cached child
    errors = [Overbooked("overbooked") for _ in range(n)]
    record = errkit.record
    start = time.perf_counter()
    for exc in errors:
        record(exc)
    return time.perf_counter() - start


# --- tasks ---------------------------------------------------------------------------


async def work() -> None:
    return None


def plain_tasks(n: int) -> float:
    async def main() -> float:
        start = time.perf_counter()
        tasks = [asyncio.create_task(work()) for _ in range(n)]
        await asyncio.wait(tasks)
        return time.perf_counter() - start

    return asyncio.run(main())


def recovered_tasks(n: int) -> float:
    async def main() -> float:
        start = time.perf_counter()
        tasks = [errkit.create_task(work(), context="bench:task") for _ in range(n)]
        await asyncio.wait(tasks)
        return time.perf_counter() - start

    return asyncio.run(main())


# --- driver --------------------------------------------------------------------------

PAIRS: list[tuple[str, Callable[[int], float], Callable[[int], float], int, float]] = [
    ("thread start+join", plain_threads, recovered_threads, 500, 1.1),
    ("record vs child.inc()", child_inc, record_errors, 20_000, 1.5),
    ("task create+run", plain_tasks, recovered_tasks, 2_000, 1.2),
]


def _timed(run: Callable[[int], float], n: int) -> float:
    """One run with the cyclic GC off, as ``timeit`` does: a collection landing in
    one side's loop (100,000 live exceptions are plenty to trigger one) would say
    more about the heap than about the code."""
    gc.collect()
    gc.disable()
    try:
        return run(n)
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="best of R runs")
    args = parser.parse_args()

    print(f"{'operation':<24} {'plain':>11} {'errkit':>11} {'ratio':>7} {'goal':>6}")
    for label, plain, ours, n, goal in PAIRS:
        best_plain = best_ours = float("inf")
        for _ in range(args.repeat):  # interleaved, so drift hits both sides
            best_plain = min(best_plain, _timed(plain, n) / n)
            best_ours = min(best_ours, _timed(ours, n) / n)
        ratio = best_ours / best_plain
        verdict = "ok" if ratio <= goal else "MISSED"
        print(
            f"{label:<24} {best_plain * 1e9:>8.0f} ns {best_ours * 1e9:>8.0f} ns"
            f" {ratio:>6.2f}x {goal:>5.1f}x {verdict}"
        )


if __name__ == "__main__":
    main()
