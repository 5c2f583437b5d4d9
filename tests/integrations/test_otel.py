"""Tests for errkit.integrations.otel with the OpenTelemetry SDK's memory exporter."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, StatusCode

from errkit.integrations.otel import record_on_span
from integrations.errors import OutOfStock


@pytest.fixture(name="tracing")
def fixture_tracing() -> tuple[TracerProvider, InMemorySpanExporter]:
    """A private tracer provider exporting finished spans to memory."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


class TestRecordOnSpan:
    def test_records_on_current_span(
        self, tracing: tuple[TracerProvider, InMemorySpanExporter]
    ) -> None:
        """The active span gets the exception event, ERROR status and code fields."""
        provider, exporter = tracing
        with provider.get_tracer("t").start_as_current_span("reserve"):
            assert (
                record_on_span(OutOfStock("only 2 left", context={"sku": "A"})) is True
            )
        [span] = exporter.get_finished_spans()
        assert (span.status.status_code, span.status.description) == (
            StatusCode.ERROR,
            "warehouse:120",
        )
        assert dict(span.attributes or {}) == {
            "errkit.category": "conflict",
            "errkit.severity": "warning",
            "errkit.retryable": False,
            "errkit.module": "warehouse",
            "errkit.code": "warehouse:120",
            "error.type": "warehouse:120",
        }
        [event] = span.events
        assert event.name == "exception"
        attributes = dict(event.attributes or {})
        assert str(attributes["exception.type"]).endswith("OutOfStock")
        assert "sku" not in str(dict(event.attributes or {}))

    def test_no_active_span(self) -> None:
        """Without a recording span nothing happens and False is returned."""
        assert record_on_span(OutOfStock("x")) is False
        assert (
            record_on_span(OutOfStock("x"), NonRecordingSpan(SpanContext(0, 0, False)))
            is False
        )

    def test_uncoded_error_type(
        self, tracing: tuple[TracerProvider, InMemorySpanExporter]
    ) -> None:
        """An uncoded error is typed by its class path."""
        provider, exporter = tracing
        with provider.get_tracer("t").start_as_current_span("s"):
            record_on_span(KeyError("k"))
        [span] = exporter.get_finished_spans()
        assert dict(span.attributes or {}) == {"error.type": "builtins.KeyError"}
