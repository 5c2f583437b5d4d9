"""Global hooks: chaining, idempotence, removal, shutdown (BR-02, BR-04, BR-05)."""

from __future__ import annotations

import asyncio
import functools
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from typing import Any

import pytest

import errkit


def run_thread(target: Callable[[], object], name: str | None = None) -> None:
    thread = threading.Thread(target=target, name=name)
    thread.start()
    thread.join()


class HostHooks:
    """The different kinds of callables a host application installs as a hook."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []

    def function(self) -> Callable[[Any], None]:
        def host_hook(args: Any) -> None:
            self.received.append(("fn", args.exc_type.__name__))

        return host_hook

    def partial(self) -> Callable[[Any], None]:
        def host_hook(source: str, args: Any) -> None:
            self.received.append((source, args.exc_type.__name__))

        return functools.partial(host_hook, "apm")

    def bound_method(self) -> Callable[[Any], None]:
        return self.on_thread_error

    def on_thread_error(self, args: Any) -> None:
        self.received.append(("method", args.exc_type.__name__))

    def callable_object(self) -> Callable[[Any], None]:
        host = self

        class Hook:
            def __call__(self, args: Any) -> None:
                host.received.append(("object", args.exc_type.__name__))

        return Hook()


class TestThreadingHookBR05:
    """BR-05: the previous thread hook runs once per event, whatever it is."""

    @pytest.mark.parametrize(
        ("kind", "tag"),
        [
            ("function", "fn"),
            ("partial", "apm"),
            ("bound_method", "method"),
            ("callable_object", "object"),
        ],
        ids=["function", "partial", "bound-method", "callable-object"],
    )
    def test_previous_hook_called_once_per_event(
        self, kind, tag, monkeypatch, errkit_log, metrics_registry
    ):
        """A crash and a sys.exit(): the host hook sees both, once each."""
        host = HostHooks()
        monkeypatch.setattr(threading, "excepthook", getattr(host, kind)())
        errkit.install_hooks()

        run_thread(lambda: 1 / 0)
        run_thread(lambda: sys.exit(0))

        assert host.received == [(tag, "ZeroDivisionError"), (tag, "SystemExit")]
        assert [type(e) for e in errkit_log.failure_excs()] == [ZeroDivisionError]
        assert metrics_registry.total("errors_total") == 1.0
        assert (
            metrics_registry.value("panics_recovered_total", context="hook:threading")
            == 1.0
        )

    def test_partial_is_not_mistaken_for_the_default(self, monkeypatch):
        """A partial (__module__ 'functools') is still called: identity rules."""
        host = HostHooks()
        hook = host.partial()
        assert hook.__module__ == "functools"  # type: ignore[attr-defined]
        monkeypatch.setattr(threading, "excepthook", hook)
        errkit.install_hooks()
        run_thread(lambda: 1 / 0)
        assert host.received == [("apm", "ZeroDivisionError")]

    def test_state_still_works_after_a_crash(self, monkeypatch, errkit_log):
        """After one thread crash, the next crash is still recorded and chained."""
        host = HostHooks()
        monkeypatch.setattr(threading, "excepthook", host.function())
        errkit.install_hooks()
        run_thread(lambda: 1 / 0)
        run_thread(lambda: {}["missing"])
        assert host.received == [("fn", "ZeroDivisionError"), ("fn", "KeyError")]
        assert [type(e) for e in errkit_log.failure_excs()] == [
            ZeroDivisionError,
            KeyError,
        ]

    def test_default_hook_skipped_only_when_errkit_logged(self, monkeypatch, capsys):
        """With the stdlib default before errkit, a crash is logged, not printed."""
        monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
        errkit.install_hooks()
        run_thread(lambda: 1 / 0)
        assert "Exception in thread" not in capsys.readouterr().err


class TestThreadSubclassesBR04:
    """BR-04: every legal way of writing a thread works with errkit."""

    class Poller(threading.Thread):
        def __init__(self, out: list[str]) -> None:
            super().__init__(name="poller")
            self.run = lambda: out.append("poll once")  # type: ignore[method-assign]

    class Crasher(threading.Thread):
        def __init__(self) -> None:
            super().__init__(name="crasher")
            self.run = lambda: 1 / 0  # type: ignore[method-assign]

    def test_with_hooks(self, monkeypatch, errkit_log, metrics_registry):
        """Poller polls; Crasher gives one record naming 'crasher'; host hook once."""
        calls: list[str] = []
        monkeypatch.setattr(
            threading, "excepthook", lambda args: calls.append(args.thread.name)
        )
        errkit.install_hooks()
        out: list[str] = []
        t = self.Poller(out)
        t.start()
        t.join()
        c = self.Crasher()
        c.start()
        c.join()
        assert out == ["poll once"]
        records = errkit_log.failures()
        assert len(records) == 1
        assert records[0].errkit_name == "crasher"
        assert type(records[0].exc_info[1]) is ZeroDivisionError
        assert metrics_registry.total("errors_total") == 1.0
        assert calls == ["crasher"]

    def test_with_recovered_thread(self, monkeypatch, errkit_log, metrics_registry):
        """On RecoveredThread: same record and count; the failure goes no further."""
        calls: list[str] = []
        monkeypatch.setattr(threading, "excepthook", lambda args: calls.append("host"))

        class Poller(errkit.RecoveredThread, context="feeds:poll"):
            def __init__(self, out: list[str]) -> None:
                super().__init__(name="poller")
                poll: Any = lambda: out.append("poll once")
                self.run = poll

        class Crasher(errkit.RecoveredThread, context="feeds:crash"):
            def __init__(self) -> None:
                super().__init__(name="crasher")
                self.run = lambda: 1 / 0  # type: ignore[method-assign]

        out: list[str] = []
        t = Poller(out)
        t.start()
        t.join()
        c = Crasher()
        c.start()
        c.join()
        assert out == ["poll once"]
        records = errkit_log.failures()
        assert [r.errkit_name for r in records] == ["crasher"]
        assert (
            metrics_registry.value("panics_recovered_total", context="feeds:crash")
            == 1.0
        )
        assert calls == []


class TestLoopHandlerBR02:
    """BR-02 extra: the asyncio handler chains to the app's handler once."""

    def test_app_handler_and_errkit_once_each(self, errkit_log):
        """`call_exception_handler({'message': 'm'})` reaches both exactly once."""
        app_calls: list[str] = []

        async def main() -> None:
            loop = asyncio.get_running_loop()
            loop.set_exception_handler(lambda lp, ctx: app_calls.append(ctx["message"]))
            errkit.install_hooks()
            errkit.install_hooks()  # twice changes nothing
            loop.call_exception_handler({"message": "m"})

        asyncio.run(main())
        assert app_calls == ["m"]
        hook_records = [r for r in errkit_log.records if r.name == "errkit.hooks"]
        assert [r.getMessage() for r in hook_records] == ["asyncio: m"]

    def test_exception_in_context_is_recorded(self, errkit_log, metrics_registry):
        """An exception passed to the loop handler is recorded once and chained once."""
        app_calls: list[str] = []
        err = ValueError("in callback")

        async def main() -> None:
            loop = asyncio.get_running_loop()
            loop.set_exception_handler(lambda lp, ctx: app_calls.append(ctx["message"]))
            errkit.install_hooks()
            loop.call_exception_handler({"message": "cb failed", "exception": err})

        asyncio.run(main())
        assert app_calls == ["cb failed"]
        assert errkit_log.failure_excs() == [err]
        assert (
            metrics_registry.value("panics_recovered_total", context="hook:asyncio")
            == 1.0
        )

    def test_failing_callback_through_the_loop(self, errkit_log):
        """A raising call_soon callback reaches errkit through the loop handler."""
        err = KeyError("cb")

        def callback() -> None:
            raise err

        async def main() -> None:
            errkit.install_hooks()
            asyncio.get_running_loop().call_soon(callback)
            await asyncio.sleep(0.01)

        asyncio.run(main())
        assert errkit_log.failure_excs() == [err]

    def test_loops_created_later_get_the_handler(self, errkit_log, metrics_registry):
        """Installed before asyncio.run: the new loop's failures reach errkit."""
        err = KeyError("cb")

        def callback() -> None:
            raise err

        async def main() -> None:
            asyncio.get_running_loop().call_soon(callback)
            await asyncio.sleep(0.01)

        errkit.install_hooks()
        asyncio.run(main())
        assert errkit_log.failure_excs() == [err]
        assert (
            metrics_registry.value("panics_recovered_total", context="hook:asyncio")
            == 1.0
        )

    def test_uninstall_restores_the_policy(self):
        """After uninstall the event loop policy is the one from before."""
        before = asyncio.get_event_loop_policy()
        errkit.install_hooks()
        errkit.install_hooks()
        wrapped = asyncio.get_event_loop_policy()
        errkit.uninstall_hooks()
        assert wrapped is not before
        assert asyncio.get_event_loop_policy() is before

    def test_uninstall_restores_the_app_handler(self):
        """After uninstall, the loop's handler is the app's again."""

        def app(lp: Any, ctx: Any) -> None:
            return None

        async def main() -> tuple[bool, bool]:
            loop = asyncio.get_running_loop()
            loop.set_exception_handler(app)
            errkit.install_hooks()
            replaced = loop.get_exception_handler() is not app
            errkit.uninstall_hooks()
            return replaced, loop.get_exception_handler() is app

        assert asyncio.run(main()) == (True, True)


class TestInstallUninstall:
    """Installing is idempotent; uninstalling restores only what is still ours."""

    def test_install_twice_changes_nothing(self, monkeypatch):
        """The second install leaves every hook as the first one set it."""
        monkeypatch.setattr(threading, "excepthook", lambda args: None)
        errkit.install_hooks()
        first = (sys.excepthook, threading.excepthook, sys.unraisablehook)
        errkit.install_hooks()
        assert (sys.excepthook, threading.excepthook, sys.unraisablehook) == first

    def test_uninstall_restores_previous(self, monkeypatch):
        """Uninstall puts back exactly the hooks that were there before."""
        host = HostHooks().function()
        monkeypatch.setattr(threading, "excepthook", host)
        before = (sys.excepthook, sys.unraisablehook)
        errkit.install_hooks()
        errkit.uninstall_hooks()
        assert threading.excepthook is host
        assert (sys.excepthook, sys.unraisablehook) == before

    def test_uninstall_leaves_a_later_hook_in_place(self, monkeypatch, errkit_log):
        """A hook installed on top of errkit's stays; errkit's only passes events on."""
        host = HostHooks()
        monkeypatch.setattr(threading, "excepthook", host.function())
        errkit.install_hooks()
        ours = threading.excepthook

        def later(args: Any) -> None:
            host.received.append(("later", args.exc_type.__name__))
            ours(args)

        threading.excepthook = later
        errkit.uninstall_hooks()
        assert threading.excepthook is later
        run_thread(lambda: 1 / 0)
        assert host.received == [
            ("later", "ZeroDivisionError"),
            ("fn", "ZeroDivisionError"),
        ]
        assert errkit_log.failures() == []

    def test_reinstall_after_replacement_does_not_loop(self, monkeypatch):
        """Re-installing over a chain holding an old errkit hook calls each once."""
        host = HostHooks()
        monkeypatch.setattr(threading, "excepthook", host.function())
        errkit.install_hooks()
        ours = threading.excepthook
        threading.excepthook = lambda args: ours(args)
        errkit.install_hooks()
        run_thread(lambda: 1 / 0)
        assert host.received == [("fn", "ZeroDivisionError")]

    def test_raising_previous_hook_is_contained(self, monkeypatch, errkit_log):
        """A previous hook that raises is logged; errkit's hook itself returns."""

        def broken(args: Any) -> None:
            raise RuntimeError("host hook broke")

        monkeypatch.setattr(threading, "excepthook", broken)
        errkit.install_hooks()
        run_thread(lambda: 1 / 0)
        messages = [
            r.getMessage() for r in errkit_log.records if r.name == "errkit.hooks"
        ]
        assert len(messages) == 1 and messages[0].startswith(
            "the hook errkit chains to"
        )

    def test_unraisable_is_recorded_and_chained(self, monkeypatch, errkit_log):
        """An exception in __del__ reaches errkit and the previous hook once."""
        seen: list[str] = []
        monkeypatch.setattr(
            sys, "unraisablehook", lambda u: seen.append(u.exc_type.__name__)
        )
        errkit.install_hooks()

        class Leaky:
            def __del__(self) -> None:
                raise OSError("close failed")

        Leaky()
        assert seen == ["OSError"]
        assert [type(e) for e in errkit_log.failure_excs()] == [OSError]

    def test_default_unraisable_printout_is_replaced(
        self, monkeypatch, capsys, errkit_log
    ):
        """With the default unraisablehook, errkit's record replaces its printout."""
        monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)
        errkit.install_hooks()

        class Leaky:
            def __del__(self) -> None:
                raise OSError("close failed")

        Leaky()
        assert "Exception ignored in" not in capsys.readouterr().err
        [record] = errkit_log.failures()
        assert record.getMessage() == (
            "unhandled OSError in sys.unraisablehook (context hook:unraisable)"
        )

    def test_sys_excepthook_keyboard_interrupt_goes_to_default(self, errkit_log):
        """KeyboardInterrupt is not recorded; the stdlib default still prints it."""
        script = textwrap.dedent(
            """
            import errkit
            errkit.install_hooks()
            raise KeyboardInterrupt
            """
        )
        done = subprocess.run(  # noqa: PLW1510 - the exit status is asserted
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert "KeyboardInterrupt" in done.stderr
        assert "errkit" not in done.stderr

    def test_uncaught_error_at_top_level(self):
        """An uncaught error is logged once by errkit; the default is skipped."""
        script = textwrap.dedent(
            """
            import logging, errkit
            logging.basicConfig(format="%(name)s %(levelname)s %(message)s")
            errkit.install_hooks()
            raise LookupError("order 7")
            """
        )
        done = subprocess.run(  # noqa: PLW1510 - the exit status is asserted
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 1
        assert done.stderr.count("LookupError: order 7") == 1
        assert "errkit.recovery ERROR unhandled LookupError in sys.excepthook" in (
            done.stderr
        )

    def test_never_raises_during_shutdown(self):
        """Failures in daemon threads and __del__ at interpreter exit raise nothing."""
        script = textwrap.dedent(
            """
            import logging, sys, threading, time, errkit
            errkit.install_hooks()
            class Late:
                def __del__(self):
                    raise RuntimeError("late del")
            keep = Late()
            def spin():
                while True:
                    time.sleep(0.001)
                    raise ValueError("daemon")
            threading.Thread(target=spin, daemon=True).start()
            logging.shutdown()
            """
        )
        done = subprocess.run(  # noqa: PLW1510 - the exit status is asserted
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0
        assert "Error in sys.excepthook" not in done.stderr
        assert "Error in threading.excepthook" not in done.stderr

    def test_broken_errkit_internals_still_chain(self, monkeypatch):
        """If reporting blows up (as at shutdown), the hook still chains, once."""
        from errkit.runtime import hooks

        host = HostHooks()
        monkeypatch.setattr(threading, "excepthook", host.function())
        errkit.install_hooks()

        def broken_report(*args: object, **kwargs: object) -> bool:
            raise RuntimeError("module state torn down")

        monkeypatch.setattr(hooks, "report", broken_report)
        run_thread(lambda: 1 / 0)
        assert host.received == [("fn", "ZeroDivisionError")]

    def test_sys_excepthook_chains_to_a_partial(self, monkeypatch, errkit_log):
        """sys.excepthook: a partial host hook is called once; errkit logs once."""
        seen: list[tuple[str, str]] = []

        def host(tag: str, exc_type: type, exc: BaseException, tb: object) -> None:
            seen.append((tag, exc_type.__name__))

        monkeypatch.setattr(sys, "excepthook", functools.partial(host, "crash"))
        errkit.install_hooks()
        err = LookupError("order 7")
        sys.excepthook(LookupError, err, None)
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
        assert seen == [("crash", "LookupError"), ("crash", "KeyboardInterrupt")]
        assert errkit_log.failure_excs() == [err]
