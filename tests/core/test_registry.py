"""Tests for the registry: module ranges, reserved ranges, registered codes."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

import errkit
from errkit import Registry


@pytest.fixture
def registry() -> Registry:
    """A registry with inventory 100-199, billing 200-299 and 900-999 reserved."""
    reg = Registry()
    reg.add_module(
        "inventory",
        100,
        199,
        description="Stock",
        owner="team-stock",
        defined_at="pyproject.toml [tool.errkit.modules.inventory]",
    )
    reg.add_module("billing", 200, 299, defined_at="cfg:billing")
    reg.reserve(900, 999, defined_at="cfg:reserved")
    return reg


class TestRanges:
    def test_modules_sorted_by_start(self, registry: Registry) -> None:
        """Modules come back sorted by range start with their details."""
        assert [(m.name, m.start, m.end, m.owner) for m in registry.modules] == [
            ("inventory", 100, 199, "team-stock"),
            ("billing", 200, 299, ""),
        ]

    def test_overlap_names_both_modules(self, registry: Registry) -> None:
        """An overlapping range is rejected with both ranges and where defined."""
        with pytest.raises(errkit.RangeOverlapError) as info:
            registry.add_module("orders", 150, 249, defined_at="cfg:orders")
        assert str(info.value) == (
            "module 'orders' range 150-249 (defined at cfg:orders) overlaps module"
            " 'inventory' range 100-199 (defined at pyproject.toml"
            " [tool.errkit.modules.inventory])"
        )

    def test_overlap_with_reserved(self, registry: Registry) -> None:
        """A module may not take a reserved range."""
        with pytest.raises(errkit.RangeOverlapError) as info:
            registry.add_module("ops", 950, 960)
        assert str(info.value) == (
            "module 'ops' range 950-960 overlaps reserved range 900-999"
            " (defined at cfg:reserved)"
        )

    def test_reserved_overlapping_module(self, registry: Registry) -> None:
        """A reserved range may not cover a module's range."""
        with pytest.raises(
            errkit.RangeOverlapError,
            match=r"^reserved range 250-260 "
            r"overlaps module 'billing' range 200-299",
        ):
            registry.reserve(250, 260)

    def test_duplicate_module(self, registry: Registry) -> None:
        """Declaring a module name twice names both ranges."""
        with pytest.raises(errkit.DuplicateModuleError) as info:
            registry.add_module("billing", 300, 399, defined_at="cfg:again")
        assert str(info.value) == (
            "module 'billing' is declared twice: range 200-299 (defined at"
            " cfg:billing) and range 300-399 (defined at cfg:again)"
        )

    @pytest.mark.parametrize(
        ("start", "end", "message"),
        [
            (10, 5, "module 'm' range: start must not exceed end, got 10-5"),
            (-1, 5, "module 'm' range: start must be zero or more, got -1"),
            (1, "9", "module 'm' range: end must be an integer, got '9'"),
        ],
        ids=["reversed", "negative", "str"],
    )
    def test_malformed_range(self, start: int, end: int, message: str) -> None:
        """A malformed range names the bound, the rule and the value."""
        with pytest.raises(errkit.InvalidRangeError) as info:
            Registry().add_module("m", start, end)
        assert str(info.value) == message

    def test_unknown_module(self, registry: Registry) -> None:
        """Asking for an undeclared module lists the declared ones."""
        with pytest.raises(errkit.UnknownModuleError) as info:
            registry.module("shipping")
        assert str(info.value) == (
            "module name 'shipping' is not declared (declared: billing, inventory)"
        )
        assert isinstance(info.value, LookupError)

    def test_module_for_code(self, registry: Registry) -> None:
        """The module owning a code is found; a free code has none."""
        owner = registry.module_for_code(250)
        assert owner is not None
        assert owner.name == "billing"
        assert registry.module_for_code(500) is None
        assert registry.is_reserved(950)

    @pytest.mark.parametrize(
        ("code", "module", "block"),
        [
            (113, None, "not_found"),
            (100, "inventory", "validation"),
            (289, None, "rate_limit"),
            (1013, None, "not_found"),
            (995, None, "reserved"),
        ],
        ids=lambda v: str(v),
    )
    def test_block_of(
        self, registry: Registry, code: int, module: str | None, block: str
    ) -> None:
        """Which category block a code belongs to, by its offset in its range."""
        assert registry.block_of(code, module).name == block

    def test_block_offset_from_range_start(self) -> None:
        """Offsets count from the range start, not from the hundred."""
        reg = Registry()
        reg.add_module("odd", 1050, 1149)
        assert reg.block_of(1063).name == "not_found"  # offset 13


class TestRegisteredCodes:
    def test_register_and_lookup(self, registry: Registry) -> None:
        """A registered code is found with its class and location."""

        class OutOfStock(Exception):
            pass

        registry.register(OutOfStock, "inventory", 120, "shop/errors.py:3")
        reg = registry.lookup("inventory", 120)
        assert reg is not None
        assert (reg.cls, reg.code_str, reg.defined_at) == (
            OutOfStock,
            "inventory:120",
            "shop/errors.py:3",
        )

    def test_out_of_range_names_class_and_module(self, registry: Registry) -> None:
        """A code outside its module's range names the class and the range."""

        class Late(Exception):
            pass

        with pytest.raises(errkit.CodeOutOfRangeError) as info:
            registry.register(Late, "billing", 120, "shop/late.py:9")
        assert str(info.value) == (
            f"error code billing:120 of class '{__name__}.TestRegisteredCodes."
            "test_out_of_range_names_class_and_module.<locals>.Late' (defined at"
            " shop/late.py:9) is outside module 'billing' range 200-299 (defined"
            " at cfg:billing)"
        )

    def test_reserved_code_rejected(self, registry: Registry) -> None:
        """A code in a reserved range is rejected."""
        with pytest.raises(
            errkit.CodeOutOfRangeError,
            match=r"is inside reserved "
            r"range 900-999 \(defined at cfg:reserved\)$",
        ):
            registry.register(ValueError, "ops", 901)

    def test_check_code(self, registry: Registry) -> None:
        """check_code checks a known module's range and ignores unknown modules."""
        registry.check_code("inventory", 150)
        registry.check_code("unknown", 5)
        with pytest.raises(errkit.CodeOutOfRangeError) as info:
            registry.check_code("inventory", 250)
        assert str(info.value) == (
            "code inventory:250 is outside module 'inventory' range 100-199"
            " (defined at pyproject.toml [tool.errkit.modules.inventory])"
        )

    def test_range_added_after_registration_is_checked(self) -> None:
        """Declaring a range re-checks codes registered before it."""
        reg = Registry()
        reg.register(KeyError, "inventory", 250)
        with pytest.raises(
            errkit.CodeOutOfRangeError,
            match=r"^error code inventory:250 of class 'builtins.KeyError'",
        ):
            reg.add_module("inventory", 100, 199)

    def test_codes_sorted(self, registry: Registry) -> None:
        """codes() lists registrations by module then code."""
        registry.register(KeyError, "inventory", 130)
        registry.register(ValueError, "billing", 201)
        registry.register(TypeError, "inventory", 101)
        assert [r.code_str for r in registry.codes()] == [
            "billing:201",
            "inventory:101",
            "inventory:130",
        ]
        assert [r.code_str for r in registry.codes("billing")] == ["billing:201"]


class TestClassRegistration:
    def test_duplicate_class_names_both(self, fresh_registry: Registry) -> None:
        """A second class with the same (module, code) fails at class creation,
        naming both classes and where each is defined."""

        class First(errkit.ConflictError, module="inventory", code=120):
            pass

        first_line = sys._getframe().f_lineno - 3  # the `class First` line
        with pytest.raises(errkit.DuplicateCodeError) as info:

            class Second(errkit.ValidationError, module="inventory", code=120):
                pass

        here = __file__
        prefix = f"{__name__}.TestClassRegistration.test_duplicate_class_names_both"
        assert str(info.value) == (
            f"error code inventory:120 is claimed twice: by class"
            f" '{prefix}.<locals>.First' (defined at {here}:{first_line}) and by"
            f" class '{prefix}.<locals>.Second' (defined at {here}:{first_line + 6})"
        )
        kept = fresh_registry.lookup("inventory", 120)
        assert kept is not None
        assert kept.cls is First

    def test_out_of_range_at_class_creation(self, fresh_registry: Registry) -> None:
        """With ranges configured, an out-of-range class fails at creation."""
        fresh_registry.add_module("inventory", 100, 199)
        with pytest.raises(
            errkit.CodeOutOfRangeError,
            match=r"^error code "
            r"inventory:250 of class .*Stray.* is outside module "
            r"'inventory' range 100-199$",
        ):

            class Stray(errkit.ConflictError, module="inventory", code=250):
                pass

    def test_reimport_same_class_is_fine(
        self, fresh_registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Importing a module again re-creates its classes without a clash."""
        (tmp_path / "shop_kinds.py").write_text(
            textwrap.dedent("""
            import errkit

            class OutOfStock(errkit.ConflictError, module="shop", code=20):
                pass
        """)
        )
        monkeypatch.syspath_prepend(str(tmp_path))
        first = importlib.import_module("shop_kinds")
        second = importlib.reload(first)
        reg = fresh_registry.lookup("shop", 20)
        assert reg is not None
        assert reg.cls is second.OutOfStock
        assert reg.defined_at == f"{tmp_path / 'shop_kinds.py'}:4"
        sys.modules.pop("shop_kinds", None)

    def test_set_registry_adopts_codes(self, fresh_registry: Registry) -> None:
        """A new process-wide registry takes over the classes already declared,
        checking them against its ranges."""

        class Gone(errkit.NotFoundError, module="orders", code=310):
            pass

        strict = Registry()
        strict.add_module("orders", 100, 199)
        with pytest.raises(errkit.CodeOutOfRangeError):
            errkit.set_registry(strict)
        assert errkit.get_registry() is fresh_registry

        roomy = Registry()
        roomy.add_module("orders", 300, 399)
        errkit.set_registry(roomy)
        adopted = errkit.get_registry().lookup("orders", 310)
        assert adopted is not None
        assert adopted.cls is Gone
