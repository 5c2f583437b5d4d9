"""errkit.testing: the helpers users test their errkit code with."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry

import errkit
from errkit.runtime import handlers, metrics
from errkit.testing import (
    assert_migrates,
    capture_failures,
    capture_metrics,
    isolated,
    reset_state,
)


@pytest.fixture(autouse=True)
def errkit_state() -> Iterator[errkit.Registry]:
    """Each test declares its classes in an empty registry of its own."""
    with isolated(registry=errkit.Registry()) as registry:
        yield registry


def _out_of_stock() -> type[errkit.CodedError]:
    class OutOfStock(errkit.ConflictError, module="inventory", code=120):
        """No stock left for the SKU."""

    return OutOfStock


def _fail() -> None:
    raise errkit.ExternalError("usage store unreachable", module="usage", code=150)


class TestCaptureMetrics:
    def test_counts_a_coded_error_with_its_labels(self) -> None:
        """A recorded coded error is one series with its module, code and category."""
        out_of_stock = _out_of_stock()
        with capture_metrics() as counted:
            errkit.record(out_of_stock("sku 7"))
            errkit.record(out_of_stock("sku 8"))

        assert counted.series("errors_total") == {
            (
                ("category", "conflict"),
                ("code", "120"),
                ("module", "inventory"),
                ("severity", "warning"),
            ): 2.0
        }

    def test_value_sums_the_series_that_match_the_given_labels(self) -> None:
        """Labels left out match any value; an unseen series reads 0.0."""
        out_of_stock = _out_of_stock()
        with capture_metrics() as counted:
            errkit.record(out_of_stock("sku 7"))
            errkit.record(KeyError("sku"))
            errkit.record(KeyError("sku"))

        assert counted.value("errors_total") == 3.0
        assert counted.value("errors_total", module="inventory") == 1.0
        assert counted.value("errors_total", module="unregistered") == 2.0
        assert counted.value("errors_total", code="404") == 0.0

    def test_recovered_failure_counts_under_its_context(self) -> None:
        """A failed recovered thread counts one panic under its context."""
        with capture_metrics() as counted, capture_failures(quiet=True) as caught:
            errkit.start_thread(_fail, context="usage:flush").join()
            caught.wait(1)

        assert counted.series("panics_recovered_total") == {
            (("context", "usage:flush"),): 1.0
        }
        assert counted.value("retryable_errors_total", module="unregistered") == 1.0

    def test_namespace_and_context_limit_apply_in_the_block(self) -> None:
        """The block's namespace names the series; contexts past the limit are other."""
        with capture_metrics(namespace="shop", context_limit=1) as counted:
            errkit.record(KeyError("a"), context="shop:a")
            errkit.record(KeyError("b"), context="shop:b")
            in_registry = counted.registry.get_sample_value(
                "shop_errors_total",
                {
                    "module": "unregistered",
                    "code": "unregistered",
                    "category": "internal",
                    "severity": "error",
                },
            )

        assert in_registry == 2.0
        assert counted.series("panics_recovered_total") == {
            (("context", "shop:a"),): 1.0,
            (("context", "other"),): 1.0,
        }

    def test_previous_configuration_is_restored(self) -> None:
        """After the block errkit counts into the registry configured before it."""
        outer = CollectorRegistry()
        metrics.configure_metrics(namespace="outer", registry=outer)
        with capture_metrics() as counted:
            errkit.record(KeyError("inside"))
        errkit.record(KeyError("after"))

        assert counted.value("errors_total") == 1.0
        assert (
            outer.get_sample_value(
                "outer_errors_total",
                {
                    "module": "unregistered",
                    "code": "unregistered",
                    "category": "internal",
                    "severity": "error",
                },
            )
            == 1.0
        )


class TestCaptureFailures:
    def test_collects_the_failure_of_a_recovered_thread(self) -> None:
        """The Failure record carries the exception, context, source and name."""
        with capture_failures(quiet=True) as caught:
            errkit.start_thread(_fail, context="usage:flush", name="flusher").join()
            (failure,) = caught.wait(1)

        assert (failure.context, failure.source, failure.name) == (
            "usage:flush",
            "thread",
            "flusher",
        )
        assert errkit.code_of(failure.exc) == "usage:150"
        assert caught.contexts == ["usage:flush"]

    def test_handler_is_removed_on_exit(self) -> None:
        """Failures reported after the block are not collected."""
        with capture_failures(quiet=True) as caught:
            pass
        with capture_failures(quiet=True):
            errkit.start_thread(_fail, context="usage:flush").join()

        assert caught.failures == []

    def test_quiet_takes_the_log_handler_off_for_the_block_only(self) -> None:
        """With quiet, log_failure is off inside and back afterwards."""
        with capture_failures(quiet=True) as caught:
            inside = list(handlers._handlers)

        assert inside == [caught]
        assert handlers._handlers == [errkit.log_failure]

    def test_loud_capture_keeps_logging(self, caplog: pytest.LogCaptureFixture) -> None:
        """Without quiet the failure is still logged at ERROR on errkit.recovery."""
        with capture_failures() as caught:
            errkit.start_thread(_fail, context="usage:flush").join()
            caught.wait(1)

        assert [(r.name, r.levelname, r.errkit_context) for r in caplog.records] == [
            ("errkit.recovery", "ERROR", "usage:flush")
        ]

    def test_wait_times_out_with_what_arrived(self) -> None:
        """wait() fails with the expected and received counts when time runs out."""
        with (
            capture_failures(quiet=True) as caught,
            pytest.raises(AssertionError) as raised,
        ):
            caught.wait(1, timeout=0.01)

        assert str(raised.value) == (
            "expected 1 reported failure(s) within 0.01s, got 0: []"
        )

    def test_wait_returns_failures_reported_by_another_thread(self) -> None:
        """wait() blocks until a background failure has been handed over."""
        release = threading.Event()

        def slow_fail() -> None:
            release.wait(5)
            _fail()

        with capture_failures(quiet=True) as caught:
            thread = errkit.start_thread(slow_fail, context="usage:slow")
            release.set()
            failures = caught.wait(1)
            thread.join()

        assert [f.context for f in failures] == ["usage:slow"]


class TestIsolated:
    def test_block_gets_a_copy_and_the_old_one_comes_back(self) -> None:
        """The block sees the outer modules, reserved ranges and codes; adds stay in."""
        outer = errkit.get_registry()
        outer.add_module("inventory", 100, 199)
        outer.reserve(900, 999)
        out_of_stock = _out_of_stock()
        with isolated() as inner:
            assert errkit.get_registry() is inner
            assert inner is not outer
            assert [(m.name, m.start, m.end) for m in inner.modules] == [
                ("inventory", 100, 199)
            ]
            assert [(r.start, r.end) for r in inner.reserved] == [(900, 999)]
            assert [(r.module, r.code, r.cls) for r in inner.codes()] == [
                ("inventory", 120, out_of_stock)
            ]

            class Inside(errkit.ConflictError, module="inventory", code=121):
                """Declared inside the block only."""

            inner.add_module("billing", 200, 299)

        assert errkit.get_registry() is outer
        assert [r.code for r in outer.codes()] == [120]
        assert [m.name for m in outer.modules] == ["inventory"]

    def test_classes_imported_before_keep_their_labels(self) -> None:
        """In the autouse-fixture shape, an earlier class counts as inventory/120."""
        errkit.get_registry().add_module("inventory", 100, 199)
        out_of_stock = _out_of_stock()
        with isolated(), capture_metrics() as counted:
            errkit.record(out_of_stock("sku 7"))

        assert counted.series("errors_total") == {
            (
                ("category", "conflict"),
                ("code", "120"),
                ("module", "inventory"),
                ("severity", "warning"),
            ): 1.0
        }

    def test_an_empty_registry_on_request_allows_reusing_a_code(self) -> None:
        """registry=Registry() starts empty, so a code taken outside may be reused."""
        _out_of_stock()
        with isolated(registry=errkit.Registry()) as inner:

            class Other(errkit.ConflictError, module="inventory", code=120):
                """Reuses the outer code."""

            assert [r.cls for r in inner.codes()] == [Other]

        assert [r.cls.__qualname__ for r in errkit.get_registry().codes()] == [
            "_out_of_stock.<locals>.OutOfStock"
        ]

    def test_hooks_installed_inside_are_removed(self) -> None:
        """Hooks installed in the block are uninstalled at its end."""
        before = sys.excepthook
        with isolated():
            errkit.install_hooks()
            assert sys.excepthook is not before

        assert sys.excepthook is before

    def test_handlers_and_metrics_are_restored(self) -> None:
        """Handlers added and metrics configured in the block do not outlive it."""
        outer = CollectorRegistry()
        metrics.configure_metrics(registry=outer)
        with isolated():
            errkit.add_failure_handler(print)
            metrics.configure_metrics(namespace="inner")

        assert handlers._handlers == [errkit.log_failure]
        assert metrics._config.namespace == "errkit"
        assert metrics._config.registry is outer


class TestResetState:
    def test_puts_every_global_back_to_its_default(self) -> None:
        """Hooks off, log_failure alone, default metrics, an empty registry."""
        before = sys.excepthook
        _out_of_stock()
        errkit.install_hooks()
        errkit.add_failure_handler(print)
        metrics.configure_metrics(namespace="shop")

        reset_state()

        assert sys.excepthook is before
        assert handlers._handlers == [errkit.log_failure]
        assert (metrics._config.namespace, metrics._config.registry) == (
            "errkit",
            None,
        )
        assert errkit.get_registry().codes() == []


class TestAssertMigrates:
    def test_passes_when_the_rewrite_matches(self) -> None:
        """A generic raise becomes the category type with the first code."""
        assert_migrates(
            """
            import errkit
            def take(n):
                raise ValueError("bad n")
            """,
            """
            import errkit
            def take(n):
                raise errkit.ValidationError("bad n", module="app", code=100)
            """,
        )

    def test_mismatch_shows_a_unified_diff(self) -> None:
        """The error names the file and module and diffs expected against actual."""
        with pytest.raises(AssertionError) as raised:
            assert_migrates(
                "import errkit\nraise KeyError(k)\n",
                "import errkit\nraise KeyError(k)\n",
                module="inventory",
                codes=(100, 199),
            )

        assert str(raised.value) == (
            "migrating app/module.py (module 'inventory') gave other code:\n"
            "--- expected\n"
            "+++ actual\n"
            "@@ -1,2 +1,2 @@\n"
            " import errkit\n"
            "-raise KeyError(k)\n"
            '+raise errkit.CodedKeyError(k, module="inventory", code=110)\n'
        )

    def test_kinds_limit_the_rewrite(self) -> None:
        """Only the named site kinds are rewritten."""
        assert_migrates(
            """
            import threading

            import errkit
            def go(fn):
                threading.Thread(target=fn).start()
                raise ValueError("bad")
            """,
            """
            import threading

            import errkit
            def go(fn):
                threading.Thread(target=errkit.recovered(fn, context="app:go")).start()
                raise ValueError("bad")
            """,
            kinds=["spawn-thread"],
        )

    def test_known_codes_are_kept(self) -> None:
        """A kind already in the config keeps its code."""
        assert_migrates(
            """
            import errkit
            def take(n):
                raise ValueError("bad n")
            """,
            """
            import errkit
            def take(n):
                raise errkit.ValidationError("bad n", module="shop", code=305)
            """,
            module="shop",
            codes=(300, 399),
            known={305: "ValueError: bad n"},
        )


class TestImportCost:
    def test_importing_loads_neither_prometheus_nor_the_rewriting_layer(self) -> None:
        """errkit.testing pulls in core and runtime only; the rest when called."""
        code = (
            "import sys, errkit.testing; "
            "print(sorted(m for m in ('prometheus_client', 'libcst', "
            "'errkit.analysis', 'errkit.rewriting', 'errkit.cli') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )

        assert out.stdout == "[]\n"
