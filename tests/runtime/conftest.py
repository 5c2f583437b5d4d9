"""Fixtures for the runtime tests: a fresh metrics registry, captured errkit
failure records, and hooks that never outlive a test."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from errkit.runtime import handlers, hooks, metrics


class RecordList(logging.Handler):
    """Collects log records from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._list_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._list_lock:
            self.records.append(record)

    def at(self, level: int) -> list[logging.LogRecord]:
        return [r for r in self.records if r.levelno == level]

    def failures(self) -> list[logging.LogRecord]:
        """The failure records (ERROR on ``errkit.recovery``)."""
        return [
            r
            for r in self.records
            if r.name == "errkit.recovery" and r.levelno == logging.ERROR
        ]

    def failure_excs(self) -> list[Any]:
        """The exception object of each failure record, in order."""
        return [r.exc_info[1] if r.exc_info else None for r in self.failures()]


class Metrics:
    """Reads errkit's counters from the test's own registry."""

    def __init__(self, registry: CollectorRegistry, namespace: str = "errkit") -> None:
        self.registry = registry
        self.namespace = namespace

    def value(self, name: str, **labels: str) -> float | None:
        return self.registry.get_sample_value(f"{self.namespace}_{name}", labels)

    def total(self, name: str) -> float:
        """Sum of every series of ``<ns>_<name>`` (a counter's ``_total`` samples)."""
        full = f"{self.namespace}_{name}"
        return sum(
            sample.value
            for metric in self.registry.collect()
            for sample in metric.samples
            if sample.name == full
        )

    def series(self, name: str) -> list[dict[str, str]]:
        full = f"{self.namespace}_{name}"
        return [
            dict(sample.labels)
            for metric in self.registry.collect()
            for sample in metric.samples
            if sample.name == full
        ]


@pytest.fixture(autouse=True)
def metrics_registry() -> Iterator[Metrics]:
    """Each test counts into its own registry, under the default namespace."""
    registry = CollectorRegistry()
    metrics.configure_metrics(registry=registry)
    yield Metrics(registry)
    metrics.configure_metrics()


@pytest.fixture(autouse=True)
def _restore_hooks_and_handlers() -> Iterator[None]:
    """Hooks installed or handlers added by a test are removed after it."""
    before = list(handlers._handlers)
    yield
    hooks.uninstall_hooks()
    handlers._handlers[:] = before


@pytest.fixture
def errkit_log() -> Iterator[RecordList]:
    """Every record logged under ``errkit`` during the test."""
    capture = RecordList()
    logger = logging.getLogger("errkit")
    old_level = logger.level
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)
    yield capture
    logger.removeHandler(capture)
    logger.setLevel(old_level)
