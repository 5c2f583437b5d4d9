"""Tests for categories, severities, defaults and the category-block policy."""

from __future__ import annotations

import builtins

import pytest

import errkit
from errkit import Category, Severity


class TestCategory:
    def test_nine_categories_with_wire_values(self) -> None:
        """There are exactly nine categories, spelled as in the design."""
        assert [c.value for c in Category] == [
            "validation",
            "not_found",
            "conflict",
            "unauthorized",
            "state",
            "external",
            "internal",
            "timeout",
            "rate_limit",
        ]

    def test_category_is_its_string(self) -> None:
        """A category compares equal to, and formats as, its value."""
        assert Category.NOT_FOUND == "not_found"
        assert f"{Category.RATE_LIMIT}" == "rate_limit"

    @pytest.mark.parametrize("value", ["nope", 3, None], ids=["word", "int", "none"])
    def test_as_category_rejects_unknown(self, value: object) -> None:
        """An unknown category names the parameter, the choices and the value."""
        with pytest.raises(ValueError) as info:
            errkit.core._categories.as_category(value)
        assert str(info.value) == (
            "category must be one of validation, not_found, conflict, unauthorized,"
            f" state, external, internal, timeout, rate_limit, got {value!r}"
        )


class TestSeverity:
    def test_four_severities_ranked(self) -> None:
        """Severities run info < warning < error < critical."""
        assert [(s.value, s.rank) for s in Severity] == [
            ("info", 0),
            ("warning", 1),
            ("error", 2),
            ("critical", 3),
        ]


class TestDefaults:
    @pytest.mark.parametrize(
        ("category", "severity", "retryable"),
        [
            (Category.VALIDATION, Severity.WARNING, False),
            (Category.NOT_FOUND, Severity.WARNING, False),
            (Category.CONFLICT, Severity.WARNING, False),
            (Category.UNAUTHORIZED, Severity.WARNING, False),
            (Category.STATE, Severity.ERROR, False),
            (Category.EXTERNAL, Severity.ERROR, True),
            (Category.INTERNAL, Severity.ERROR, False),
            (Category.TIMEOUT, Severity.ERROR, True),
            (Category.RATE_LIMIT, Severity.WARNING, True),
        ],
        ids=lambda v: str(v),
    )
    def test_defaults_per_category(
        self, category: Category, severity: Severity, retryable: bool
    ) -> None:
        """Each category has a default severity; only outside failures retry."""
        defaults = errkit.CATEGORY_DEFAULTS[category]
        assert (defaults.severity, defaults.retryable) == (severity, retryable)


class TestBlocks:
    def test_ten_blocks_in_offset_order(self) -> None:
        """The policy is ten blocks of ten, 00-09 validation ... 90-99 reserved."""
        assert [(b.name, b.first, b.last) for b in errkit.BLOCKS] == [
            ("validation", 0, 9),
            ("not_found", 10, 19),
            ("conflict", 20, 29),
            ("unauthorized", 30, 39),
            ("state", 40, 49),
            ("external", 50, 59),
            ("internal", 60, 69),
            ("verification", 70, 79),
            ("rate_limit", 80, 89),
            ("reserved", 90, 99),
        ]

    @pytest.mark.parametrize(
        ("offset", "name"),
        [
            (0, "validation"),
            (13, "not_found"),
            (79, "verification"),
            (99, "reserved"),
            (113, "not_found"),
            (250, "external"),
        ],
        ids=lambda v: str(v),
    )
    def test_block_for_offset_repeats_per_hundred(self, offset: int, name: str) -> None:
        """The block repeats for every hundred codes of a larger range."""
        assert errkit.block_for_offset(offset).name == name

    def test_negative_offset_rejected(self) -> None:
        """A negative offset is an error naming the value."""
        with pytest.raises(ValueError, match=r"^offset must be zero or more, got -1$"):
            errkit.block_for_offset(-1)

    def test_block_categories(self) -> None:
        """Timeouts belong in the external block; the reserved block takes none."""
        external = errkit.block_for_offset(55)
        reserved = errkit.block_for_offset(95)
        assert external.allows(Category.TIMEOUT)
        assert external.category is Category.EXTERNAL
        assert not reserved.categories
        assert reserved.category is None


class TestBuiltinCategories:
    @pytest.mark.parametrize(
        ("exc_type", "category"),
        [
            (KeyError, Category.NOT_FOUND),
            (IndexError, Category.NOT_FOUND),
            (FileNotFoundError, Category.NOT_FOUND),
            (FileExistsError, Category.CONFLICT),
            (ValueError, Category.VALIDATION),
            (TypeError, Category.VALIDATION),
            (PermissionError, Category.UNAUTHORIZED),
            (builtins.TimeoutError, Category.TIMEOUT),
            (ConnectionResetError, Category.EXTERNAL),
            (OSError, Category.EXTERNAL),
            (AttributeError, Category.INTERNAL),
            (RuntimeError, Category.INTERNAL),
            (Exception, Category.INTERNAL),
        ],
        ids=lambda v: getattr(v, "__name__", str(v)),
    )
    def test_category_for_builtin(
        self, exc_type: type[BaseException], category: Category
    ) -> None:
        """A builtin exception type maps to the category it stands for."""
        assert errkit.category_for_builtin(exc_type) is category
