"""Recovery for threads: recovered targets, start_thread, RecoveredThread."""

from __future__ import annotations

import functools
import sys
import threading
from typing import Any

import pytest

import errkit
from errkit.runtime.recovery import default_context


@pytest.fixture
def host_thread_hook(monkeypatch):
    """Thread failures that escape errkit land here instead of the test runner."""
    escaped: list[str] = []
    monkeypatch.setattr(
        threading, "excepthook", lambda args: escaped.append(args.exc_type.__name__)
    )
    return escaped


def boom() -> None:
    raise ValueError("boom")


class TestRecovered:
    """`recovered(fn, context=...)` reports and swallows a thread target's failure."""

    def test_failure_reported_and_swallowed(
        self, errkit_log, metrics_registry, host_thread_hook
    ):
        """The target's exception is logged once, counted once and goes no further."""
        t = threading.Thread(
            target=errkit.recovered(boom, context="jobs:boom"), name="w1"
        )
        t.start()
        t.join()
        records = errkit_log.failures()
        assert len(records) == 1
        assert str(records[0].exc_info[1]) == "boom"
        assert records[0].errkit_context == "jobs:boom"
        assert records[0].errkit_name == "w1"
        assert (
            metrics_registry.value("panics_recovered_total", context="jobs:boom") == 1.0
        )
        assert host_thread_hook == []

    def test_result_passes_through(self):
        """A successful call returns its result; arguments are passed on."""
        assert errkit.recovered(lambda a, b=1: a + b, context="m:add")(2, b=3) == 5

    def test_decorator_form(self, errkit_log):
        """`@recovered(context=...)` decorates and keeps the function's name."""

        @errkit.recovered(context="jobs:decorated")
        def work() -> None:
            raise KeyError("k")

        assert work.__name__ == "work"
        assert work() is None
        assert [r.errkit_context for r in errkit_log.failures()] == ["jobs:decorated"]

    def test_wrapping_twice_is_wrapping_once(self):
        """Recovering a recovered callable returns it unchanged."""
        once = errkit.recovered(boom, context="m:a")
        assert errkit.recovered(once, context="m:b") is once

    @pytest.mark.parametrize(
        "exc",
        [SystemExit(3), KeyboardInterrupt()],
        ids=["SystemExit", "KeyboardInterrupt"],
    )
    def test_control_flow_passes_through(self, exc, errkit_log, metrics_registry):
        """SystemExit and KeyboardInterrupt are re-raised, not recorded."""

        def stop() -> None:
            raise exc

        with pytest.raises(type(exc)):
            errkit.recovered(stop, context="m:stop")()
        assert errkit_log.records == []
        assert metrics_registry.total("errors_total") == 0.0

    def test_partial_and_lambda_targets(self, errkit_log, host_thread_hook):
        """Partials and lambdas work as targets."""
        fail = functools.partial(int, "not a number")
        for target in (fail, lambda: 1 / 0):
            t = threading.Thread(target=errkit.recovered(target, context="m:odd"))
            t.start()
            t.join()
        assert [type(e) for e in errkit_log.failure_excs()] == [
            ValueError,
            ZeroDivisionError,
        ]


class TestStartThread:
    """`start_thread` starts a recovered thread with the given settings."""

    def test_runs_with_args_name_and_daemon(self):
        """Arguments, keyword arguments, name and daemon reach the thread."""
        out: list[Any] = []
        t = errkit.start_thread(
            lambda a, b: out.append((a, b, threading.current_thread().name)),
            1,
            b=2,
            context="m:start",
            name="starter",
            daemon=True,
        )
        t.join()
        assert out == [(1, 2, "starter")]
        assert t.daemon is True

    def test_failure_is_reported(self, errkit_log, host_thread_hook):
        """A failing function started this way is reported under its context."""
        errkit.start_thread(boom, context="m:started").join()
        assert [r.errkit_context for r in errkit_log.failures()] == ["m:started"]
        assert host_thread_hook == []


class TestRecoveredThread:
    """Every way of giving a RecoveredThread its run is recovered."""

    def test_overriding_method(self, errkit_log, host_thread_hook):
        """A subclass's own run method is recovered under the class context."""

        class Worker(errkit.RecoveredThread, context="jobs:worker"):
            def run(self) -> None:
                raise OSError("disk")

        w = Worker(name="w")
        w.start()
        w.join()
        assert [(r.errkit_context, r.errkit_name) for r in errkit_log.failures()] == [
            ("jobs:worker", "w")
        ]
        assert host_thread_hook == []

    def test_target_and_constructor_context(self, errkit_log):
        """`RecoveredThread(target=..., errkit_context=...)` uses that context."""
        t = errkit.RecoveredThread(target=boom, errkit_context="jobs:ctor")
        t.start()
        t.join()
        assert [r.errkit_context for r in errkit_log.failures()] == ["jobs:ctor"]

    def test_plain_function_attribute(self, errkit_log):
        """A plain function (no __self__, no __func__) assigned as run is recovered."""

        def plain() -> None:
            raise LookupError("missing")

        t = errkit.RecoveredThread(errkit_context="jobs:attr")
        t.run = plain  # type: ignore[method-assign]
        assert not hasattr(plain, "__func__")
        t.start()
        t.join()
        assert [type(e) for e in errkit_log.failure_excs()] == [LookupError]

    def test_default_context_is_the_class(self, errkit_log):
        """Without any context, the class's module and name label the thread."""

        class Nameless(errkit.RecoveredThread):
            def run(self) -> None:
                raise ValueError("x")

        t = Nameless()
        t.start()
        t.join()
        assert [r.errkit_context for r in errkit_log.failures()] == [
            f"{__name__}:{Nameless.__qualname__}"
        ]

    def test_starting_twice_still_fails_like_thread(self):
        """A second start() raises the usual RuntimeError, without double wrapping."""
        t = errkit.RecoveredThread(target=lambda: None, errkit_context="m:twice")
        t.start()
        t.join()
        with pytest.raises(RuntimeError, match="threads can only be started once"):
            t.start()

    def test_sys_exit_in_recovered_thread(self, errkit_log, host_thread_hook):
        """sys.exit() inside ends the thread as usual; nothing recorded."""
        t = errkit.RecoveredThread(target=lambda: sys.exit(0), errkit_context="m:exit")
        t.start()
        t.join()
        assert errkit_log.records == []
        assert host_thread_hook == ["SystemExit"]


class TestDefaultContext:
    """Unlabelled spawns get a bounded label from the code."""

    @pytest.mark.parametrize(
        ("fn", "expected"),
        [
            (boom, f"{__name__}:boom"),
            (functools.partial(boom), f"{__name__}:boom"),
            (str.upper, "builtins:str.upper"),
        ],
        ids=["function", "partial", "builtin-method"],
    )
    def test_labels(self, fn, expected):
        """`default_context` names the module and the qualified name."""
        assert default_context(fn) == expected


class TestMigratedSubclass:
    """A Thread subclass that gained RecoveredThread as a base keeps its own names."""

    def test_own_context_attribute_survives(self, errkit_log):
        """A subclass's own `context` attribute and constructor are untouched."""

        class Pump(errkit.RecoveredThread, threading.Thread, context="inv:Pump.run"):
            def __init__(self, context: dict[str, int]) -> None:
                super().__init__(name="pump")
                self.context = context

            def run(self) -> None:
                raise KeyError(self.context["sku"])

        p = Pump({"sku": 7})
        p.start()
        p.join()
        assert p.context == {"sku": 7}
        assert [r.errkit_context for r in errkit_log.failures()] == ["inv:Pump.run"]
