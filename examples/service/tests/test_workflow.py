"""The async workflow engine, its thread runner and the scheduler."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bazaar.workflow import (
    EngineRunner,
    Scheduler,
    Step,
    StepFailed,
    UnknownWorkflow,
    Workflow,
    WorkflowEngine,
    WorkflowTimeout,
)


def reserve(ctx):
    return f"reserved {ctx['hours']} h"


async def provision(ctx):
    await asyncio.sleep(0)
    return "node-7"


def boom(ctx):
    raise ValueError("disk full")


async def hang(ctx):
    await asyncio.sleep(5)


@pytest.fixture
def engine():
    e = WorkflowEngine(workers=2)
    yield e
    e.close()


def run(engine, name, ctx=None):
    async def main():
        try:
            return await engine.run(name, ctx)
        finally:
            await engine.drain()

    return asyncio.run(main())


class TestDefinitions:
    def test_duplicate_step_names_are_refused(self):
        """A workflow with two steps of one name raises ValueError."""
        with pytest.raises(ValueError, match="^workflow w has two steps named a$"):
            Workflow("w", (Step("a", reserve), (Step("b", reserve), Step("a", reserve))))

    def test_bad_step_name(self):
        """A step name that is not an identifier raises ValueError."""
        with pytest.raises(ValueError, match="^step name must be an identifier: 'a-b'$"):
            Step("a-b", reserve)

    def test_unknown_workflow_is_key_error(self, engine):
        """Running an unregistered workflow raises UnknownWorkflow, a KeyError."""
        with pytest.raises(KeyError) as info:
            run(engine, "nope")
        assert isinstance(info.value, UnknownWorkflow)
        assert info.value.args == ("nope",)


class TestEngine:
    def test_sync_async_and_parallel_steps(self, engine):
        """Results of sync, async and parallel steps land in the context."""
        engine.register(
            Workflow(
                "fulfil",
                (
                    Step("reserve", reserve),
                    (Step("provision", provision), Step("invoice", lambda ctx: 42)),
                ),
            )
        )
        ctx = run(engine, "fulfil", {"hours": 3})
        assert ctx == {
            "hours": 3,
            "reserve": "reserved 3 h",
            "provision": "node-7",
            "invoice": 42,
        }
        assert engine.history[-1] == ("fulfil", "-", "completed")

    def test_failing_step_is_step_failed(self, engine):
        """A raising step becomes StepFailed naming the step and the error."""
        engine.register(Workflow("w", (Step("reserve", reserve), Step("copy", boom))))
        with pytest.raises(StepFailed, match="^step copy failed: disk full$") as info:
            run(engine, "w", {"hours": 1})
        assert info.value.step == "copy"
        assert engine.history[-1] == ("w", "-", "failed")

    def test_retries_then_succeeds(self, engine):
        """A step with retries is attempted again after a failure."""
        calls = []

        def flaky(ctx):
            calls.append(1)
            if len(calls) < 3:
                raise ConnectionError("reset")
            return "ok"

        engine.register(Workflow("w", (Step("flaky", flaky, retries=2),)))
        assert run(engine, "w")["flaky"] == "ok"
        assert len(calls) == 3

    def test_step_timeout_is_timeout_error(self, engine):
        """A step past its timeout raises WorkflowTimeout, a TimeoutError."""
        engine.register(Workflow("w", (Step("hang", hang, timeout=0.01),)))
        with pytest.raises(TimeoutError, match=r"^step hang exceeded 0\.01 s$") as info:
            run(engine, "w")
        assert isinstance(info.value, WorkflowTimeout)

    def test_workflow_timeout(self, engine):
        """A workflow past its own timeout raises WorkflowTimeout naming it."""
        engine.register(Workflow("slow", (Step("hang", hang),), timeout=0.01))
        with pytest.raises(WorkflowTimeout, match=r"^workflow slow exceeded 0\.01 s$"):
            run(engine, "slow")
        assert engine.history[-1] == ("slow", "-", "timed out")

    def test_parallel_failure_is_one_step_failed(self, engine):
        """A failure in a parallel stage surfaces as one StepFailed, not a group."""
        engine.register(Workflow("w", ((Step("ok", reserve), Step("copy", boom)),)))
        with pytest.raises(StepFailed) as info:
            run(engine, "w", {"hours": 1})
        assert str(info.value) == ("1 of 2 parallel steps failed: step copy failed: disk full")

    def test_parallel_timeout(self, engine):
        """A timeout in a parallel stage surfaces as WorkflowTimeout for the stage."""
        engine.register(Workflow("w", ((Step("hang", hang, timeout=0.01), Step("ok", provision)),)))
        with pytest.raises(TimeoutError, match=r"^parallel stage \(hang, ok\) timed out$"):
            run(engine, "w")

    def test_failing_audit_does_not_fail_workflow(self):
        """An audit sink that raises never fails the workflow."""

        async def audit(workflow, step, event):
            raise ConnectionError("audit service down")

        engine = WorkflowEngine(audit=audit)
        engine.register(Workflow("w", (Step("reserve", reserve),)))
        assert run(engine, "w", {"hours": 2})["reserve"] == "reserved 2 h"
        engine.close()

    def test_completion_notice_is_awaited(self):
        """on_complete is awaited after a successful run; its failure propagates."""
        seen = []

        async def notice(name, ctx):
            seen.append(name)
            if ctx.get("explode"):
                raise RuntimeError("notice failed")

        engine = WorkflowEngine(on_complete=notice)
        engine.register(Workflow("w", (Step("reserve", reserve),)))
        run(engine, "w", {"hours": 1})
        with pytest.raises(RuntimeError, match="^notice failed$"):
            run(engine, "w", {"hours": 1, "explode": True})
        assert seen == ["w", "w"]
        engine.close()


class TestRunner:
    def test_run_from_a_thread(self, engine):
        """EngineRunner runs workflows for synchronous callers and re-raises errors."""
        engine.register(Workflow("ok", (Step("reserve", reserve),)))
        engine.register(Workflow("bad", (Step("copy", boom),)))
        runner = EngineRunner(engine)
        runner.start()
        try:
            assert runner.run("ok", {"hours": 5})["reserve"] == "reserved 5 h"
            with pytest.raises(StepFailed, match="^step copy failed: disk full$"):
                runner.run("bad")
        finally:
            runner.stop()

    def test_unstarted_runner_is_runtime_error(self, engine):
        """submit() before start() raises RuntimeError."""
        with pytest.raises(RuntimeError, match="^runner not started$"):
            EngineRunner(engine).submit("ok")


class TestScheduler:
    def test_unknown_workflow_cannot_be_scheduled(self, engine):
        """every() on an unknown workflow raises the engine's KeyError."""
        with pytest.raises(KeyError):
            Scheduler(engine).every(1.0, "nope")

    def test_failed_runs_do_not_stop_the_schedule(self, engine):
        """Each tick runs the workflow; failures are kept and ticking goes on."""
        engine.register(Workflow("payout", (Step("copy", boom),)))
        scheduler = Scheduler(engine)
        schedule = scheduler.every(0.001, "payout")
        done = threading.Event()

        async def main():
            await scheduler.start()
            while schedule.runs < 2:
                await asyncio.sleep(0.001)
            await scheduler.stop()
            await engine.drain()
            done.set()

        asyncio.run(main())
        assert done.is_set()
        assert schedule.failures[:2] == ["step copy failed: disk full"] * 2

    def test_kick_returns_before_the_run_fails(self, engine):
        """kick() returns at once; a failing run does not raise into the caller."""
        engine.register(Workflow("payout", (Step("copy", boom),)))
        scheduler = Scheduler(engine)

        async def main():
            scheduler.kick("payout")
            assert engine.history == []
            while ("payout", "-", "failed") not in engine.history:
                await asyncio.sleep(0.001)
            await engine.drain()

        asyncio.run(main())
        assert engine.history[-1] == ("payout", "-", "failed")

    def test_trigger_unscheduled_is_lookup_error(self, engine):
        """trigger() of an unscheduled workflow raises LookupError."""
        with pytest.raises(LookupError, match="^workflow payout is not scheduled$"):
            Scheduler(engine).trigger("payout")

    def test_trigger_returns_awaitable_task(self, engine):
        """trigger() returns a task whose result is the run's context."""
        engine.register(Workflow("ok", (Step("provision", provision),)))
        scheduler = Scheduler(engine)
        scheduler.every(60, "ok")

        async def main():
            try:
                return await scheduler.trigger("ok")
            finally:
                await engine.drain()

        assert asyncio.run(main()) == {"provision": "node-7"}
