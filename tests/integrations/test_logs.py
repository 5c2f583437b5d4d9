"""Tests for errkit.runtime.logs: record fields, JSON lines and text tracebacks."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from errkit.runtime.logs import (
    ErrorFieldsFilter,
    JsonFormatter,
    TextFormatter,
    record_fields,
)
from integrations.errors import CYCLES, OutOfStock, SkuMissing, raised


@pytest.fixture(name="stream")
def fixture_stream() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger writing through the JSON formatter into a string."""
    logger = logging.getLogger("errkit.tests.logs")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ErrorFieldsFilter())
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, out
    logger.removeHandler(handler)
    logger.propagate = True


class TestErrorFieldsFilter:
    def test_adds_fields(self) -> None:
        """A record with a coded exception gains the error_* attributes."""
        exc = OutOfStock("only 2 left", context={"sku": "A-1"})
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", None, (OutOfStock, exc, None)
        )
        assert ErrorFieldsFilter().filter(record) is True
        assert (
            record.error_code,  # type: ignore[attr-defined]
            record.error_module,  # type: ignore[attr-defined]
            record.error_category,  # type: ignore[attr-defined]
            record.error_severity,  # type: ignore[attr-defined]
            record.error_context,  # type: ignore[attr-defined]
        ) == ("warehouse:120", "warehouse", "conflict", "warning", {"sku": "A-1"})

    def test_plain_record_untouched(self) -> None:
        """A record without an exception passes with no error_* attributes."""
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "ok", None, None)
        assert ErrorFieldsFilter().filter(record) is True
        assert not hasattr(record, "error_code")

    def test_uncoded_has_no_fields(self) -> None:
        """An uncoded exception adds nothing."""
        assert record_fields(ValueError("x")) == {}


class TestJsonFormatter:
    def test_group_of_two_coded_errors(
        self, stream: tuple[logging.Logger, io.StringIO]
    ) -> None:
        """A logged exception group is one JSON line holding both coded members."""
        logger, out = stream
        try:
            raise ExceptionGroup(
                "reserve failed",
                [
                    OutOfStock("only 2 left", context={"sku": "A-1"}),
                    SkuMissing("no such sku", resource_type="sku", resource_id="B-2"),
                ],
            )
        except ExceptionGroup:
            logger.exception("reservation of %d lines failed", 2)

        lines = out.getvalue().splitlines()
        assert len(lines) == 1
        line = json.loads(lines[0])
        assert line["message"] == "reservation of 2 lines failed"
        assert line["level"] == "ERROR"
        exception = line["exception"]
        assert exception["type"] == "ExceptionGroup"
        assert exception["message"] == "reserve failed (2 sub-exceptions)"
        members = [
            {k: m[k] for k in ("type", "message", "code", "category", "context")}
            for m in exception["exceptions"]
        ]
        assert members == [
            {
                "type": "integrations.errors.OutOfStock",
                "message": "only 2 left",
                "code": "warehouse:120",
                "category": "conflict",
                "context": {"sku": "A-1"},
            },
            {
                "type": "integrations.errors.SkuMissing",
                "message": "no such sku",
                "code": "warehouse:110",
                "category": "not_found",
                "context": {"resource_type": "sku", "resource_id": "B-2"},
            },
        ]

    def test_extra_and_error_fields(
        self, stream: tuple[logging.Logger, io.StringIO]
    ) -> None:
        """Fields passed through extra and the error_* fields are top-level keys."""
        logger, out = stream
        try:
            raise OutOfStock("only 2 left", context={"sku": "A-1"})
        except OutOfStock:
            logger.error(  # noqa: G201 - exc_info=True is the form under test
                "reserve", exc_info=True, extra={"correlation_id": "abc"}
            )
        line = json.loads(out.getvalue())
        assert {
            k: line[k] for k in ("correlation_id", "error_code", "error_context")
        } == {
            "correlation_id": "abc",
            "error_code": "warehouse:120",
            "error_context": {"sku": "A-1"},
        }

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cyclic_chain_still_logged(
        self, name: str, stream: tuple[logging.Logger, io.StringIO]
    ) -> None:
        """BR-11: a record whose exception chain loops is still emitted as one line."""
        logger, out = stream
        exc = raised(CYCLES[name])
        logger.error("failed", exc_info=exc)
        line = json.loads(out.getvalue())
        assert '"<cycle>"' in json.dumps(line["exception"])


class TestTextFormatter:
    def test_traceback_shows_code(self) -> None:
        """The formatted traceback's header names the code."""
        formatter = TextFormatter("%(levelname)s %(message)s")
        exc = raised(lambda: (_ for _ in ()).throw(OutOfStock("only 2 left")))
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", None, (type(exc), exc, None)
        )
        text = formatter.format(record)
        assert text.startswith("ERROR failed\nTraceback (most recent call last):\n")
        assert text.endswith(
            "\n[warehouse:120] integrations.errors.OutOfStock: only 2 left"
        )

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cycles(self, name: str) -> None:
        """BR-11: formatting a cyclic chain terminates and marks the cycle once."""
        exc = raised(CYCLES[name])
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", None, (type(exc), exc, None)
        )
        assert TextFormatter().format(record).count("<cycle>") == 1
