"""Periodic workflows (hourly payouts, nightly reconciliation)."""

from __future__ import annotations

import asyncio as aio
import logging
from dataclasses import dataclass, field

from bazaar.workflow.engine import WorkflowEngine

log = logging.getLogger("bazaar.workflow")


@dataclass
class Schedule:
    workflow: str
    every: float  # seconds
    runs: int = 0
    failures: list[str] = field(default_factory=list)


class Scheduler:
    def __init__(self, engine: WorkflowEngine) -> None:
        self.engine = engine
        self.schedules: dict[str, Schedule] = {}
        self._tasks: list[aio.Task[None]] = []

    def every(self, seconds: float, workflow: str) -> Schedule:
        if seconds <= 0:
            raise ValueError(f"interval must be positive: {seconds}")
        self.engine.get(workflow)  # unknown names fail here, not at the first tick
        schedule = Schedule(workflow, seconds)
        self.schedules[workflow] = schedule
        return schedule

    async def start(self) -> None:
        for schedule in self.schedules.values():
            self._tasks.append(aio.ensure_future(self._loop(schedule)))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await aio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _loop(self, schedule: Schedule) -> None:
        while True:
            await aio.sleep(schedule.every)
            try:
                await self.engine.run(schedule.workflow)
            except Exception as e:
                # A failed run must not stop the schedule; the next tick retries.
                schedule.failures.append(str(e))
                log.warning("scheduled %s failed: %s", schedule.workflow, e)
            schedule.runs += 1

    def kick(self, workflow: str) -> None:
        """Start a run now and return at once (the admin console's "run now")."""
        self.engine.get(workflow)
        aio.create_task(self.engine.run(workflow))

    def trigger(self, workflow: str) -> aio.Task[object]:
        """Run a scheduled workflow now, outside its schedule (admin endpoint)."""
        if workflow not in self.schedules:
            raise LookupError(f"workflow {workflow} is not scheduled")
        loop = aio.get_running_loop()
        return loop.create_task(self.engine.run(workflow))
