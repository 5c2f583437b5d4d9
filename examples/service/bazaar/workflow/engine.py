"""Runs workflows on asyncio.

Synchronous steps run on a thread pool so they never block the loop; a tuple of
steps is a parallel stage run in a task group. Audit events are fire-and-forget
tasks; the completion notice is awaited with a short timeout.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from bazaar.workflow.steps import (
    Context,
    Stage,
    Step,
    StepFailed,
    UnknownWorkflow,
    Workflow,
    WorkflowTimeout,
)

log = logging.getLogger("bazaar.workflow")

AuditSink = Callable[[str, str, str], Awaitable[None]]


async def _no_audit(workflow: str, step: str, event: str) -> None:
    return None


class WorkflowEngine:
    def __init__(
        self,
        *,
        audit: AuditSink = _no_audit,
        on_complete: Callable[[str, Context], Awaitable[None]] | None = None,
        workers: int = 4,
        notify_timeout: float = 0.5,
    ) -> None:
        self._workflows: dict[str, Workflow] = {}
        self._audit = audit
        self._on_complete = on_complete
        self._executor = concurrent.futures.ThreadPoolExecutor(
            workers, thread_name_prefix="workflow"
        )
        self._notify_timeout = notify_timeout
        self._background: set[asyncio.Task[Any]] = set()
        self.history: list[tuple[str, str, str]] = []

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def register(self, workflow: Workflow) -> None:
        if workflow.name in self._workflows:
            raise ValueError(f"workflow {workflow.name} is already registered")
        self._workflows[workflow.name] = workflow

    def get(self, name: str) -> Workflow:
        try:
            return self._workflows[name]
        except KeyError:
            raise UnknownWorkflow(name)

    # -- running ----------------------------------------------------------------------

    async def run(self, name: str, context: Context | None = None) -> Context:
        """Run every stage in order; returns the context with each step's result."""
        workflow = self.get(name)
        ctx: Context = dict(context or {})
        self._emit(name, "-", "started")
        try:
            if workflow.timeout is None:
                await self._run_stages(workflow, ctx)
            else:
                await asyncio.wait_for(self._run_stages(workflow, ctx), workflow.timeout)
        except WorkflowTimeout:
            self._emit(name, "-", "timed out")
            raise
        except TimeoutError:
            self._emit(name, "-", "timed out")
            raise WorkflowTimeout(f"workflow {name} exceeded {workflow.timeout} s")
        except Exception:
            self._emit(name, "-", "failed")
            raise
        self._emit(name, "-", "completed")
        await self._notify(name, ctx)
        return ctx

    async def _run_stages(self, workflow: Workflow, ctx: Context) -> None:
        for stage in workflow.stages:
            await self._run_stage(workflow.name, stage, ctx)

    async def _run_stage(self, workflow: str, stage: Stage, ctx: Context) -> None:
        if isinstance(stage, Step):
            ctx[stage.name] = await self._run_step(workflow, stage, ctx)
            return

        names = ", ".join(step.name for step in stage)
        try:
            async with asyncio.TaskGroup() as group:
                tasks = {
                    step.name: group.create_task(self._run_step(workflow, step, ctx))
                    for step in stage
                }
        except* WorkflowTimeout:
            raise WorkflowTimeout(f"parallel stage ({names}) timed out")
        except* StepFailed as failures:
            first = failures.exceptions[0]
            raise StepFailed(
                getattr(first, "step", "?"),
                f"{len(failures.exceptions)} of {len(stage)} parallel steps failed: {first}",
            )
        for step_name, task in tasks.items():
            ctx[step_name] = task.result()

    async def _run_step(self, workflow: str, step: Step, ctx: Context) -> Any:
        attempt = 0
        while True:
            attempt += 1
            self._emit(workflow, step.name, f"attempt {attempt}")
            try:
                return await self._call(step, ctx)
            except TimeoutError:
                raise WorkflowTimeout(f"step {step.name} exceeded {step.timeout} s")
            except Exception as e:
                if attempt <= step.retries:
                    log.info("retrying %s after: %s", step.name, e)
                    continue
                raise StepFailed(step.name, f"step {step.name} failed: {e}")

    async def _call(self, step: Step, ctx: Context) -> Any:
        if step.is_async:
            return await asyncio.wait_for(step.fn(ctx), step.timeout)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, step.fn, ctx)
        return await asyncio.wait_for(future, step.timeout)

    # -- side effects -----------------------------------------------------------------

    def _emit(self, workflow: str, step: str, event: str) -> None:
        self.history.append((workflow, step, event))
        task = asyncio.create_task(self._audit(workflow, step, event))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _notify(self, name: str, ctx: Context) -> None:
        if self._on_complete is None:
            return
        notice = asyncio.ensure_future(self._on_complete(name, ctx))
        try:
            await asyncio.wait_for(notice, self._notify_timeout)
        except TimeoutError:
            log.warning("completion notice for %s is late", name)

    async def drain(self) -> None:
        """Wait for pending audit events (shutdown and tests)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)


class EngineRunner:
    """Runs an engine's loop in a thread so synchronous code (Flask) can use it."""

    def __init__(self, engine: WorkflowEngine) -> None:
        self.engine = engine
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="workflow-loop", daemon=True
        )
        self._started = False

    def start(self) -> None:
        self._thread.start()
        self._started = True

    def submit(
        self, name: str, context: Context | None = None
    ) -> concurrent.futures.Future[Context]:
        if not self._started:
            raise RuntimeError("runner not started")
        return asyncio.run_coroutine_threadsafe(self.engine.run(name, context), self._loop)

    def run(self, name: str, context: Context | None = None, timeout: float = 5.0) -> Context:
        future = self.submit(name, context)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"workflow {name} did not finish in {timeout} s")

    def stop(self) -> None:
        if not self._started:
            return
        asyncio.run_coroutine_threadsafe(self.engine.drain(), self._loop).result(1.0)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        self._started = False
