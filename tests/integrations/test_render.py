"""Tests for errkit.runtime.render: dict and text renderings of exception chains."""

from __future__ import annotations

import json
import traceback
from typing import Any

import pytest

from errkit.runtime.render import (
    CYCLE,
    exception_to_dict,
    format_exception_text,
    json_safe,
)
from integrations.errors import CYCLES, LedgerCorrupt, OutOfStock, SkuMissing, raised


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every rendered exception node (not the cycle markers), depth first."""
    if not isinstance(node, dict):
        return []
    found = [node]
    for key in ("cause", "while_handling"):
        found += _walk(node.get(key))
    for member in node.get("exceptions", []):
        found += _walk(member)
    return found


def _count_cycles(node: Any) -> int:
    if node == CYCLE:
        return 1
    if not isinstance(node, dict):
        return 0
    total = sum(_count_cycles(node.get(key)) for key in ("cause", "while_handling"))
    return total + sum(_count_cycles(m) for m in node.get("exceptions", []))


def _traceback_messages(exc: BaseException) -> list[str]:
    """The distinct ``Type: message`` lines the standard traceback module shows."""
    text = "".join(traceback.format_exception(exc))
    return sorted(
        {
            line.strip(" |")
            for line in text.splitlines()
            if line.strip(" |").startswith(
                ("ValueError:", "integrations.errors.Unhashable:", "ExceptionGroup:")
            )
        }
    )


class TestExceptionToDict:
    def test_coded_error_fields(self) -> None:
        """A coded error's node carries its code, category, severity and context."""
        try:
            raise SkuMissing(
                "sku A-1 not found", resource_type="sku", resource_id="A-1"
            )
        except SkuMissing as exc:
            node = exception_to_dict(exc)
        assert {k: v for k, v in node.items() if k != "frames"} == {
            "type": "integrations.errors.SkuMissing",
            "message": "sku A-1 not found",
            "code": "warehouse:110",
            "module": "warehouse",
            "category": "not_found",
            "severity": "warning",
            "retryable": False,
            "context": {"resource_type": "sku", "resource_id": "A-1"},
        }
        assert node["frames"][-1]["function"] == "test_coded_error_fields"

    def test_cause_chain_nested(self) -> None:
        """``raise ... from`` nests the cause; an implicit context is while_handling."""
        try:
            try:
                try:
                    raise KeyError("row 9")
                except KeyError:
                    raise OSError("disk") from None
            except OSError as disk:
                raise LedgerCorrupt("ledger unreadable") from disk
        except LedgerCorrupt as exc:
            node = exception_to_dict(exc)
        assert node["code"] == "warehouse:160"
        assert node["cause"]["type"] == "OSError"
        assert "while_handling" not in node["cause"]  # suppressed by `from None`

    def test_group_members_with_codes(self) -> None:
        """Both members of an exception group are rendered with their codes."""
        group = ExceptionGroup(
            "reserve", [OutOfStock("only 2 left"), SkuMissing("no B-2")]
        )
        node = exception_to_dict(group)
        assert node["type"] == "ExceptionGroup"
        assert [(m["type"], m["code"]) for m in node["exceptions"]] == [
            ("integrations.errors.OutOfStock", "warehouse:120"),
            ("integrations.errors.SkuMissing", "warehouse:110"),
        ]

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cycles_each_exception_once(self, name: str) -> None:
        """BR-11: a cyclic chain renders each exception once and marks the back-edge."""
        exc = raised(CYCLES[name])
        node = exception_to_dict(exc)
        json.dumps(node)  # JSON-ready, no recursion error
        rendered = sorted(
            f"{n['type']}: {n['message']}"
            if n["type"] != "ExceptionGroup"
            else "ExceptionGroup: batch (1 sub-exception)"
            for n in _walk(node)
        )
        assert rendered == _traceback_messages(exc)
        assert _count_cycles(node) == 1

    def test_long_chain_does_not_recurse(self) -> None:
        """A 5000-link chain renders without hitting the recursion limit."""
        exc: BaseException = ValueError("0")
        for i in range(1, 5000):
            outer = ValueError(str(i))
            outer.__cause__ = exc
            exc = outer
        node = exception_to_dict(exc)
        depth = 0
        while isinstance(node, dict) and "cause" in node:
            node, depth = node["cause"], depth + 1
        assert depth == 4999


class TestFormatExceptionText:
    def test_code_in_header(self) -> None:
        """The header line of a coded error starts with its code."""
        text = format_exception_text(OutOfStock("only 2 left"))
        assert text == "[warehouse:120] integrations.errors.OutOfStock: only 2 left\n"

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cycles(self, name: str) -> None:
        """BR-11: the text terminates, shows every exception, marks the cycle."""
        exc = raised(CYCLES[name])
        text = format_exception_text(exc)
        assert text.count(CYCLE) == 1
        for message in _traceback_messages(exc):
            assert message in text

    def test_group_members_indented(self) -> None:
        """Group members follow the group, each under a numbered rule, indented."""
        group = ExceptionGroup(
            "reserve", [OutOfStock("only 2 left"), SkuMissing("no B-2")]
        )
        assert format_exception_text(group) == (
            "ExceptionGroup: reserve (2 sub-exceptions)\n"
            "+---------------- 1 ----------------\n"
            "| [warehouse:120] integrations.errors.OutOfStock: only 2 left\n"
            "+---------------- 2 ----------------\n"
            "| [warehouse:110] integrations.errors.SkuMissing: no B-2\n"
        )


class TestJsonSafe:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (7, 7),
            ({"a": (1, 2)}, {"a": [1, 2]}),
            (
                object.__new__(type("Odd", (), {"__repr__": lambda self: "<odd>"})),
                "<odd>",
            ),
            ("x" * 300, "x" * 300),
        ],
        ids=["int", "tuple-in-dict", "repr", "long-string-kept"],
    )
    def test_values(self, value: Any, expected: Any) -> None:
        """JSON values pass through; others become their repr."""
        assert json_safe(value) == expected
