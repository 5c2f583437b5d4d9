"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from errkit.runtime.metrics import configure_metrics

#: Reads errkit's error counter: (code string, category, severity) -> count.
Counts = Callable[[str, str, str], float]


@pytest.fixture(name="counts")
def fixture_counts() -> Iterator[Counts]:
    """errkit metrics in a private Prometheus registry; yields a reader of counts."""
    prometheus_client = pytest.importorskip("prometheus_client")
    registry = prometheus_client.CollectorRegistry()
    configure_metrics(namespace="itest", registry=registry)

    def read(code_str: str, category: str, severity: str) -> float:
        module, _, code = code_str.partition(":")
        labels = {
            "module": module,
            "code": code,
            "category": category,
            "severity": severity,
        }
        value = registry.get_sample_value("itest_errors_total", labels)
        return 0.0 if value is None else value

    yield read
    configure_metrics()
