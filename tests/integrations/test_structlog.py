"""Tests for errkit.integrations.structlog: the processor in a real structlog chain."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import structlog

from errkit.integrations.structlog import add_error_fields
from integrations.errors import CYCLES, OutOfStock, SkuMissing, raised


@pytest.fixture(name="lines")
def fixture_lines() -> Iterator[list[str]]:
    """structlog configured with the processor and a JSON renderer into a list."""
    lines: list[str] = []

    class Sink:
        def msg(self, message: str) -> None:
            lines.append(message)

        error = info = msg

    structlog.configure(
        processors=[add_error_fields, structlog.processors.JSONRenderer()],
        logger_factory=lambda *args: Sink(),
        cache_logger_on_first_use=False,
    )
    yield lines
    structlog.reset_defaults()


class TestAddErrorFields:
    def test_group_of_two_coded_errors(self, lines: list[str]) -> None:
        """A logged group renders both coded members with their codes."""
        log = structlog.get_logger()
        try:
            raise ExceptionGroup(
                "reserve", [OutOfStock("only 2 left"), SkuMissing("no B-2")]
            )
        except ExceptionGroup:
            log.exception("reserve failed")
        event = json.loads(lines[0])
        assert event["event"] == "reserve failed"
        assert [m["code"] for m in event["exception"]["exceptions"]] == [
            "warehouse:120",
            "warehouse:110",
        ]
        assert "exc_info" not in event

    def test_error_fields(self, lines: list[str]) -> None:
        """A coded error adds its error_* fields to the event."""
        structlog.get_logger().error(
            "reserve failed", exc_info=OutOfStock("x", context={"sku": "A"})
        )
        event = json.loads(lines[0])
        assert (
            event["error_code"],
            event["error_category"],
            event["error_context"],
        ) == ("warehouse:120", "conflict", {"sku": "A"})

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cycles(self, lines: list[str], name: str) -> None:
        """BR-11: a cyclic chain is rendered with its back-edge marked."""
        structlog.get_logger().error("failed", exc_info=raised(CYCLES[name]))
        assert json.dumps(json.loads(lines[0])["exception"]).count('"<cycle>"') == 1

    def test_event_without_exception(self) -> None:
        """An event without exc_info passes through unchanged."""
        event = {"event": "ok", "n": 1}
        assert add_error_fields(None, "info", dict(event)) == event

    def test_exc_info_false_dropped(self) -> None:
        """exc_info=False is removed and adds nothing."""
        assert add_error_fields(None, "info", {"event": "ok", "exc_info": False}) == {
            "event": "ok"
        }
