"""Prometheus metrics: names, bounded labels, counting rules (BR-14)."""

from __future__ import annotations

import asyncio
import pickle
import subprocess
import sys
import textwrap

import pytest
from prometheus_client import CollectorRegistry, Counter, generate_latest

import errkit
from errkit.runtime import metrics


class OrderMissing(errkit.NotFoundError, module="shop.orders", code=410):
    """An order that does not exist."""


class PaymentGatewayDown(errkit.ExternalError, module="shop.payments", code=550):
    """The payment provider did not answer."""


class Order:
    pass


class TestCardinalityBR14:
    """BR-14: labels never carry messages, ids, addresses or context values."""

    def test_naive_labels_explode(self):
        """The naive counter labelled by message makes 1000 series (the bug)."""
        reg = CollectorRegistry()
        errors = Counter("errors", "errors", ["error"], registry=reg)
        for i in range(1000):
            errors.labels(error=f"order {i} not found in {Order()!r}").inc()
        assert len(next(iter(reg.collect())).samples) == 2000

    def test_one_series_for_a_thousand_contexts(self, metrics_registry):
        """1000 errors with distinct contexts: exactly one series reading 1000."""
        for i in range(1000):
            errkit.record(
                OrderMissing("order not found", context={"order_id": i, "obj": Order()})
            )
        assert metrics_registry.series("errors_total") == [
            {
                "module": "shop.orders",
                "code": "410",
                "category": "not_found",
                "severity": "warning",
            }
        ]
        assert (
            metrics_registry.value(
                "errors_total",
                module="shop.orders",
                code="410",
                category="not_found",
                severity="warning",
            )
            == 1000.0
        )

    def test_scrape_holds_no_message_text_or_addresses(self, metrics_registry):
        """Nothing from the message, repr or context reaches the exposition text."""
        for i in range(20):
            errkit.record(
                OrderMissing(
                    f"order {i} not found in {Order()!r}", context={"obj": Order()}
                )
            )
        text = generate_latest(metrics_registry.registry).decode()
        assert "0x" not in text
        assert "not found in" not in text
        assert "Order object" not in text

    def test_dynamic_codes_share_one_bucket(self, metrics_registry):
        """Ad-hoc codes outside the registry all count under code='unregistered'."""
        for i in range(50):
            errkit.record(
                errkit.NotFoundError("gone", module="shop.orders", code=7000 + i)
            )
        assert metrics_registry.series("errors_total") == [
            {
                "module": "shop.orders",
                "code": "unregistered",
                "category": "not_found",
                "severity": "warning",
            }
        ]
        assert metrics_registry.total("errors_total") == 50.0

    def test_dynamic_modules_share_one_bucket(self, metrics_registry):
        """Module names unknown to the registry count under module='unregistered'."""
        for i in range(30):
            errkit.record(errkit.ConflictError("clash", module=f"tenant{i}", code=20))
        assert metrics_registry.series("errors_total") == [
            {
                "module": "unregistered",
                "code": "unregistered",
                "category": "conflict",
                "severity": "warning",
            }
        ]

    @pytest.mark.parametrize(
        "exc",
        [
            ValueError("bad quantity 7"),
            TypeError("not a sku"),
            KeyError("sku-123"),
            RuntimeError("boom"),
            ConnectionResetError("peer"),
            TimeoutError("slow"),
        ],
        ids=[
            "ValueError",
            "TypeError",
            "KeyError",
            "RuntimeError",
            "ConnectionResetError",
            "TimeoutError",
        ],
    )
    def test_uncoded_exceptions(self, exc, metrics_registry):
        """Any uncoded exception is an unexpected failure: internal/error, no retry."""
        assert errkit.record(exc) is True
        assert metrics_registry.series("errors_total") == [
            {
                "module": "unregistered",
                "code": "unregistered",
                "category": "internal",
                "severity": "error",
            }
        ]
        assert metrics_registry.series("retryable_errors_total") == []


class TestCounting:
    """What is counted, once, and where."""

    def test_retryable_errors_counted_by_module_and_category(self, metrics_registry):
        """A retryable error also counts in retryable_errors_total; others do not."""
        errkit.record(PaymentGatewayDown("no answer"))
        errkit.record(OrderMissing("gone"))
        assert metrics_registry.series("retryable_errors_total") == [
            {"module": "shop.payments", "category": "external"}
        ]
        assert (
            metrics_registry.value(
                "retryable_errors_total", module="shop.payments", category="external"
            )
            == 1.0
        )

    def test_retryable_overridden_per_raise(self, metrics_registry):
        """`retryable=False` at raise time keeps an external error out of the share."""
        errkit.record(PaymentGatewayDown("no answer", retryable=False))
        assert metrics_registry.total("retryable_errors_total") == 0.0
        assert metrics_registry.total("errors_total") == 1.0

    @pytest.mark.parametrize(
        "exc",
        [KeyboardInterrupt(), SystemExit(0), asyncio.CancelledError(), GeneratorExit()],
        ids=["KeyboardInterrupt", "SystemExit", "CancelledError", "GeneratorExit"],
    )
    def test_control_flow_is_never_counted(self, exc, metrics_registry):
        """Cancellation, interrupts and exits are not failures."""
        assert errkit.record(exc, context="m:op") is False
        assert metrics_registry.total("errors_total") == 0.0
        assert metrics_registry.total("panics_recovered_total") == 0.0

    def test_same_exception_counts_once(self, metrics_registry):
        """Recording one exception object twice counts it once."""
        err = OrderMissing("gone")
        assert errkit.record(err) is True
        assert errkit.record(err, context="m:op") is False
        assert metrics_registry.total("errors_total") == 1.0
        assert metrics_registry.total("panics_recovered_total") == 0.0

    def test_pickled_copy_is_a_new_failure(self, metrics_registry):
        """The claim does not travel through pickle: a copy elsewhere counts again."""
        err = ValueError("bad")
        errkit.record(err)
        copy = pickle.loads(pickle.dumps(err))
        assert errkit.record(copy) is True
        assert metrics_registry.total("errors_total") == 2.0

    def test_group_members_counted_one_by_one(self, metrics_registry):
        """A group of three failures (one nested) counts three errors and one panic."""
        group = ExceptionGroup(
            "batch",
            [
                ValueError("a"),
                ExceptionGroup("inner", [KeyError("b"), OrderMissing("c")]),
            ],
        )
        assert errkit.record(group, context="batch:run") is True
        assert metrics_registry.total("errors_total") == 3.0
        assert (
            metrics_registry.value("panics_recovered_total", context="batch:run") == 1.0
        )
        assert errkit.record(group) is False

    def test_control_flow_inside_a_group_is_left_out(self, metrics_registry):
        """A BaseExceptionGroup counts its failures, not its KeyboardInterrupt."""
        group = BaseExceptionGroup("mixed", [KeyboardInterrupt(), ValueError("a")])
        assert errkit.record(group) is True
        assert metrics_registry.total("errors_total") == 1.0

    def test_context_label_falls_back_to_other(self, metrics_registry):
        """Past the limit, new contexts count under 'other'; known ones keep theirs."""
        metrics.configure_metrics(registry=metrics_registry.registry, context_limit=3)
        for i in range(5):
            errkit.record(ValueError(i), context=f"jobs:step{i}")
        errkit.record(ValueError("again"), context="jobs:step0")
        assert sorted(
            (s["context"], metrics_registry.value("panics_recovered_total", **s))
            for s in metrics_registry.series("panics_recovered_total")
        ) == [
            ("jobs:step0", 2.0),
            ("jobs:step1", 1.0),
            ("jobs:step2", 1.0),
            ("other", 2.0),
        ]


class TestConfiguration:
    """Namespace, registry and limits are configurable and checked."""

    def test_namespace(self, metrics_registry):
        """`namespace='shop'` names the counters shop_errors_total and so on."""
        metrics.configure_metrics(namespace="shop", registry=metrics_registry.registry)
        errkit.record(ValueError("x"), context="a:b")
        names = {m.name for m in metrics_registry.registry.collect()}
        assert names == {
            "shop_errors",
            "shop_panics_recovered",
            "shop_retryable_errors",
        }

    def test_reconfigure_moves_counters_to_the_new_registry(self, metrics_registry):
        """Counters leave the old registry and are rebuilt in the new one."""
        errkit.record(ValueError("x"))
        other = CollectorRegistry()
        metrics.configure_metrics(registry=other)
        errkit.record(ValueError("y"))
        assert list(metrics_registry.registry.collect()) == []
        assert (
            other.get_sample_value(
                "errkit_errors_total",
                {
                    "module": "unregistered",
                    "code": "unregistered",
                    "category": "internal",
                    "severity": "error",
                },
            )
            == 1.0
        )

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            (
                {"namespace": "my-app"},
                "namespace must be letters, digits and underscores, got 'my-app'",
            ),
            (
                {"namespace": ""},
                "namespace must be letters, digits and underscores, got ''",
            ),
            ({"context_limit": 0}, "context_limit must be at least 1, got 0"),
        ],
        ids=["dash-in-namespace", "empty-namespace", "zero-limit"],
    )
    def test_rejected_settings(self, kwargs, message):
        """Bad settings raise ValueError naming the parameter and the value."""
        with pytest.raises(ValueError) as info:
            metrics.configure_metrics(**kwargs)
        assert str(info.value) == message


class TestLazyImport:
    """prometheus_client is loaded by the first record, never by `import errkit`."""

    def test_import_errkit_does_not_import_prometheus(self):
        """Importing errkit and touching runtime names leaves prometheus_client out."""
        script = textwrap.dedent(
            """
            import sys, errkit
            print("prometheus_client" in sys.modules)
            errkit.recovered, errkit.install_hooks, errkit.record, errkit.create_task
            print("prometheus_client" in sys.modules)
            errkit.record(ValueError("x"))
            print("prometheus_client" in sys.modules)
            """
        )
        done = subprocess.run(  # noqa: PLW1510 - the exit status is asserted
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert done.stdout.split() == ["False", "False", "True"]

    def test_runtime_names_resolve_lazily(self):
        """Each runtime name is reachable from the errkit package."""
        assert errkit.record is metrics.record
        assert "recovered" in dir(errkit)
        assert {"record", "watch", "install_hooks", "RecoveredThread"} <= set(
            errkit.__all__
        )
