"""Registry policy findings: each rule with its exact finding."""

from __future__ import annotations

import pytest

from errkit.analysis.policy import Finding, Level, ModuleRange, check_policy
from errkit.analysis.sites import CodeDeclaration

RANGES = [ModuleRange("inventory", 100, 199), ModuleRange("orders", 200, 299)]


def _cls(
    code: int,
    name: str,
    category: str | None,
    *,
    module: str = "inventory",
    path: str = "bazaar/inventory/errors.py",
    line: int = 10,
) -> CodeDeclaration:
    return CodeDeclaration(module, code, path, line, name, category=category)


def _raise(
    code: int,
    name: str,
    message: str | None,
    *,
    module: str = "inventory",
    path: str = "bazaar/inventory/stock.py",
    line: int = 40,
    category: str | None = None,
) -> CodeDeclaration:
    return CodeDeclaration(
        module, code, path, line, name, category=category, message=message,
        declared=False,
    )  # fmt: skip


class TestClean:
    def test_a_consistent_tree_has_no_findings(self) -> None:
        """Classes in range and block, raised ad hoc under the same class: nothing."""
        codes = [
            _cls(101, "BadQuantity", "validation"),
            _cls(120, "OutOfStock", "conflict", line=20),
            _raise(120, "OutOfStock", "sold out"),
            _raise(110, "NotFoundError", "no such item", category="not_found"),
            _raise(110, "NotFoundError", "no such item", line=90),
        ]

        assert check_policy(RANGES, codes, config_codes={"inventory": [110]}) == []


class TestRanges:
    def test_overlapping_module_ranges(self) -> None:
        """Two modules sharing codes give one error at the config file."""
        ranges = [*RANGES, ModuleRange("billing", 150, 249)]

        assert check_policy(ranges, [], config_path="pyproject.toml") == [
            Finding(
                "range-overlap",
                Level.ERROR,
                "range of billing (150-249) overlaps range of orders (200-299)",
                path="pyproject.toml",
                module="orders",
            ),
            Finding(
                "range-overlap",
                Level.ERROR,
                "range of inventory (100-199) overlaps range of billing (150-249)",
                path="pyproject.toml",
                module="billing",
            ),
        ]

    def test_module_range_overlapping_a_reserved_range(self) -> None:
        """A module may not take reserved codes."""
        findings = check_policy(RANGES, [], reserved=[(250, 999)])

        assert [f.message for f in findings] == [
            "range of orders (200-299) overlaps reserved range 250-999"
        ]

    def test_adjacent_ranges_do_not_overlap(self) -> None:
        """Ranges that touch end to start are fine."""
        assert check_policy(RANGES, [], reserved=[(300, 399)]) == []


class TestCodes:
    def test_code_outside_its_module_range(self) -> None:
        """A class code past the range is an error at its declaration."""
        assert check_policy(RANGES, [_cls(250, "OutOfStock", "conflict")]) == [
            Finding(
                "code-out-of-range",
                Level.ERROR,
                "inventory:250 (OutOfStock) is outside the range of inventory (100-199)",
                path="bazaar/inventory/errors.py",
                line=10,
                module="inventory",
                code=250,
            )
        ]

    def test_unknown_module(self) -> None:
        """A code naming a module the config lacks says which modules exist."""
        findings = check_policy(RANGES, [_cls(120, "Gone", None, module="invntory")])

        assert [(f.rule, f.message) for f in findings] == [
            (
                "unknown-module",
                (
                    "invntory:120 (Gone) names module 'invntory', which the config "
                    "does not declare (modules: inventory, orders)"
                ),
            )
        ]

    @pytest.mark.parametrize(
        ("code", "category", "message"),
        [
            pytest.param(
                115, "conflict",
                "inventory:115 (X) has category conflict but sits in the "
                "not_found block (110-119) of inventory",
                id="conflict-in-not-found",
            ),
            pytest.param(
                195, "internal",
                "inventory:195 (X) has category internal but sits in the "
                "reserved block (190-199) of inventory",
                id="reserved-block",
            ),
        ],
    )  # fmt: skip
    def test_wrong_category_block_is_a_warning(
        self, code: int, category: str, message: str
    ) -> None:
        """A code in another category's block is a warning, not an error."""
        findings = check_policy(RANGES, [_cls(code, "X", category)])

        assert [(f.rule, f.level, f.message) for f in findings] == [
            ("category-block", Level.WARNING, message)
        ]

    @pytest.mark.parametrize(
        ("code", "category"),
        [
            pytest.param(155, "timeout", id="timeout-in-external"),
            pytest.param(172, "unauthorized", id="unauthorized-in-verification"),
            pytest.param(122, None, id="category-unknown"),
        ],
    )
    def test_blocks_shared_by_categories_are_fine(
        self, code: int, category: str | None
    ) -> None:
        """The core's block policy decides, including blocks of two categories."""
        assert check_policy(RANGES, [_cls(code, "X", category)]) == []


class TestDuplicates:
    def test_two_classes_with_one_code(self) -> None:
        """A second class for a code is reported at the later declaration."""
        codes = [
            _cls(120, "OutOfStock", "conflict"),
            _cls(120, "Reserved", "conflict", path="bazaar/inventory/holds.py", line=5),
        ]

        assert check_policy(RANGES, codes) == [
            Finding(
                "duplicate-code",
                Level.ERROR,
                "inventory:120 is used for two kinds: class Reserved here and "
                "class OutOfStock at bazaar/inventory/errors.py:10",
                path="bazaar/inventory/holds.py",
                line=5,
                module="inventory",
                code=120,
            )
        ]

    def test_ad_hoc_raises_with_different_messages(self) -> None:
        """Two ad-hoc kinds (type plus message) under one code are a duplicate."""
        codes = [
            _raise(101, "ValidationError", "bad quantity", line=3),
            _raise(101, "ValidationError", "bad sku", line=9),
            _raise(101, "ValidationError", "bad quantity", line=12),
        ]

        findings = check_policy(RANGES, codes, config_codes={"inventory": [101]})

        assert [(f.rule, f.location, f.message) for f in findings] == [
            (
                "duplicate-code",
                "bazaar/inventory/stock.py:9",
                (
                    "inventory:101 is used for two kinds: ValidationError('bad sku') "
                    "here and ValidationError('bad quantity') at "
                    "bazaar/inventory/stock.py:3"
                ),
            )
        ]

    def test_ad_hoc_raise_of_another_type_than_the_declared_class(self) -> None:
        """Raising a different type with a class's code is a second kind."""
        codes = [
            _cls(120, "OutOfStock", "conflict"),
            _raise(120, "ConflictError", None),
        ]

        findings = check_policy(RANGES, codes)

        assert [f.message for f in findings] == [
            (
                "inventory:120 is used for two kinds: ConflictError here and "
                "class OutOfStock at bazaar/inventory/errors.py:10"
            )
        ]


class TestUndeclared:
    def test_code_raised_but_declared_nowhere(self) -> None:
        """An ad-hoc code without a class or config entry is an error."""
        codes = [_raise(111, "NotFoundError", "no such sku", category="not_found")]

        assert check_policy(RANGES, codes) == [
            Finding(
                "undeclared-code",
                Level.ERROR,
                "inventory:111 (NotFoundError) is raised but not declared: declare "
                "a class for it or list it under [tool.errkit.codes.inventory]",
                path="bazaar/inventory/stock.py",
                line=40,
                module="inventory",
                code=111,
            )
        ]

    def test_findings_are_sorted_by_place_then_rule(self) -> None:
        """Output order is stable: path, line, rule."""
        codes = [
            _raise(111, "NotFoundError", None, path="b.py", line=2),
            _cls(300, "Late", None, path="a.py", line=7),
            _raise(112, "NotFoundError", None, path="b.py", line=1),
        ]

        findings = check_policy(RANGES, codes)

        assert [(f.location, f.rule) for f in findings] == [
            ("a.py:7", "code-out-of-range"),
            ("b.py:1", "undeclared-code"),
            ("b.py:2", "undeclared-code"),
        ]
