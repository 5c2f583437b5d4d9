"""Tests for loading a registry from a dict, a pyproject.toml or an errkit.toml."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

import errkit

TABLE = """
namespace = "shop"
exclude = ["tests/**"]
reserved = [[900, 999]]

[modules.inventory]
paths = ["shop/inventory"]
range = [100, 199]
description = "Stock levels and reservations"
owner = "team-stock"
priority = 1

[modules.billing]
range = [200, 299]
"""


def _pyproject(table: str) -> str:
    """The same table under [tool.errkit] in a pyproject."""
    lines = []
    for line in textwrap.dedent(table).splitlines():
        if line.startswith("[modules."):
            line = "[tool.errkit." + line[1:]
        lines.append(line)
    return '[project]\nname = "shop"\n\n[tool.errkit]\n' + "\n".join(lines) + "\n"


class TestFromMapping:
    def test_reads_ranges_and_reserved(self) -> None:
        """Modules (range, description, owner) and reserved ranges are read;
        keys for other layers are left alone."""
        reg = errkit.load_registry(
            {
                "reserved": [[900, 999]],
                "exclude": ["x"],
                "modules": {
                    "inventory": {
                        "range": [100, 199],
                        "description": "Stock",
                        "owner": "team",
                        "paths": ["a"],
                    }
                },
            }
        )
        inv = reg.module("inventory")
        assert (inv.start, inv.end, inv.description, inv.owner, inv.defined_at) == (
            100,
            199,
            "Stock",
            "team",
            "<dict> [modules.inventory]",
        )
        assert [(r.start, r.end) for r in reg.reserved] == [(900, 999)]

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            (
                {"modules": {"inv": {"range": "100-199"}}},
                (
                    "<dict>: modules.inv.range: must be a list of two integers"
                    " [start, end]"
                    " with 0 <= start <= end, got '100-199'"
                ),
            ),
            (
                {"modules": {"inv": {"range": [199, 100]}}},
                (
                    "<dict>: modules.inv.range: must be a list of two integers"
                    " [start, end]"
                    " with 0 <= start <= end, got [199, 100]"
                ),
            ),
            (
                {"modules": {"inv": {"range": [1, True]}}},
                (
                    "<dict>: modules.inv.range: must be a list of two integers"
                    " [start, end]"
                    " with 0 <= start <= end, got [1, True]"
                ),
            ),
            (
                {"modules": {"inv": {}}},
                "<dict>: modules.inv.range: is required, got None",
            ),
            (
                {"modules": {"inv": {"range": [1, 2], "owner": 7}}},
                "<dict>: modules.inv.owner: must be a string, got 7",
            ),
            (
                {"modules": ["inv"]},
                "<dict>: modules: must be a table of modules, got ['inv']",
            ),
            ({"modules": {"inv": 5}}, "<dict>: modules.inv: must be a table, got 5"),
            (
                {"reserved": [900, 999]},
                (
                    "<dict>: reserved[0]: must be a list of two integers"
                    " [start, end] with"
                    " 0 <= start <= end, got 900"
                ),
            ),
            (
                {"reserved": "900-999"},
                "<dict>: reserved: must be a list of ranges, got '900-999'",
            ),
        ],
        ids=[
            "range-str",
            "range-reversed",
            "range-bool",
            "range-missing",
            "owner",
            "modules-list",
            "module-int",
            "reserved-flat",
            "reserved-str",
        ],
    )
    def test_bad_values_name_key_and_value(
        self, table: dict[str, Any], message: str
    ) -> None:
        """A bad value is a ConfigError naming the file, the key and the value."""
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry(table)
        assert str(info.value) == message
        assert isinstance(info.value, errkit.ErrkitError)

    def test_config_error_attributes(self) -> None:
        """ConfigError carries file, key and value as attributes."""
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry({"modules": {"inv": {"range": [5]}}})
        err = info.value
        assert (err.file, err.key, err.value) == ("<dict>", "modules.inv.range", [5])

    def test_overlap_names_both_entries(self) -> None:
        """Overlapping modules in a config name both tables."""
        with pytest.raises(errkit.RangeOverlapError) as info:
            errkit.load_registry(
                {"modules": {"a": {"range": [100, 199]}, "b": {"range": [150, 250]}}}
            )
        assert str(info.value) == (
            "module 'b' range 150-250 (defined at <dict> [modules.b]) overlaps"
            " module 'a' range 100-199 (defined at <dict> [modules.a])"
        )


class TestFromFiles:
    def test_pyproject(self, tmp_path: Path) -> None:
        """[tool.errkit] in a pyproject.toml is read, keys prefixed tool.errkit."""
        path = tmp_path / "pyproject.toml"
        path.write_text(_pyproject(TABLE))
        reg = errkit.load_registry(path)
        assert [m.name for m in reg.modules] == ["inventory", "billing"]
        assert reg.module("billing").defined_at == (
            f"{path} [tool.errkit.modules.billing]"
        )

    def test_errkit_toml(self, tmp_path: Path) -> None:
        """An errkit.toml holds the same keys at its top level."""
        path = tmp_path / "errkit.toml"
        path.write_text(TABLE)
        reg = errkit.load_registry(path)
        assert reg.module("inventory").description == "Stock levels and reservations"
        assert reg.module("inventory").defined_at == f"{path} [modules.inventory]"

    def test_directory_prefers_pyproject(self, tmp_path: Path) -> None:
        """A folder is searched: pyproject with [tool.errkit] first."""
        (tmp_path / "pyproject.toml").write_text(_pyproject(TABLE))
        (tmp_path / "errkit.toml").write_text("[modules.other]\nrange = [1, 2]\n")
        assert [m.name for m in errkit.load_registry(tmp_path).modules] == [
            "inventory",
            "billing",
        ]

    def test_directory_falls_back_to_errkit_toml(self, tmp_path: Path) -> None:
        """Without [tool.errkit] in the pyproject, errkit.toml is used."""
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
        (tmp_path / "errkit.toml").write_text("[modules.other]\nrange = [1, 2]\n")
        assert [m.name for m in errkit.load_registry(tmp_path).modules] == ["other"]

    def test_bad_value_in_file_names_file(self, tmp_path: Path) -> None:
        """An error in a pyproject names the file and the full dotted key."""
        path = tmp_path / "pyproject.toml"
        path.write_text("[tool.errkit.modules.inv]\nrange = [100]\n")
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry(path)
        assert str(info.value) == (
            f"{path}: tool.errkit.modules.inv.range: must be a list of two integers"
            " [start, end] with 0 <= start <= end, got [100]"
        )

    def test_invalid_toml(self, tmp_path: Path) -> None:
        """Unparsable TOML is a ConfigError naming the file."""
        path = tmp_path / "errkit.toml"
        path.write_text("[modules\n")
        with pytest.raises(
            errkit.ConfigError,
            match=rf"^{path}: <file>: is not "
            "valid TOML, got ",
        ):
            errkit.load_registry(path)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a ConfigError naming it."""
        path = tmp_path / "errkit.toml"
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry(path)
        assert str(info.value) == (
            f"{path}: <file>: file does not exist, got {str(path)!r}"
        )

    def test_pyproject_without_table(self, tmp_path: Path) -> None:
        """A pyproject without [tool.errkit] is a ConfigError."""
        path = tmp_path / "pyproject.toml"
        path.write_text('[project]\nname = "x"\n')
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry(path)
        assert str(info.value) == f"{path}: tool.errkit: is missing, got None"

    def test_empty_directory(self, tmp_path: Path) -> None:
        """A folder without either file is a ConfigError saying what was sought."""
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry(tmp_path)
        assert str(info.value) == (
            f"{tmp_path}: tool.errkit: no pyproject.toml with [tool.errkit] and no"
            " errkit.toml found, got None"
        )


class TestConfigureRegistry:
    def test_configure_checks_declared_classes(
        self, fresh_registry: errkit.Registry
    ) -> None:
        """configure_registry installs the ranges and checks declared classes."""

        class Stray(errkit.ConflictError, module="inventory", code=250):
            pass

        with pytest.raises(errkit.CodeOutOfRangeError):
            errkit.configure_registry({"modules": {"inventory": {"range": [100, 199]}}})
        assert errkit.get_registry() is fresh_registry

        reg = errkit.configure_registry(
            {"modules": {"inventory": {"range": [200, 299]}}}
        )
        assert errkit.get_registry() is reg
        assert reg.lookup("inventory", 250).cls is Stray  # type: ignore[union-attr]


class TestStrictModules:
    def test_unknown_module_rejected_when_strict(
        self, fresh_registry: errkit.Registry
    ) -> None:
        """With strict_modules, a class of an undeclared module fails at creation."""
        errkit.configure_registry(
            {"strict_modules": True, "modules": {"inventory": {"range": [100, 199]}}}
        )
        with pytest.raises(errkit.UnknownModuleError) as info:

            class Typo(errkit.ConflictError, module="inventroy", code=120):
                pass

        assert info.value.module == "inventroy"
        assert str(info.value).endswith(
            "uses module 'inventroy', which the strict registry does not declare"
            " (declared: inventory)"
        )

    def test_unknown_module_accepted_by_default(
        self, fresh_registry: errkit.Registry
    ) -> None:
        """Without strict_modules, another library's module still registers."""
        reg = errkit.configure_registry(
            {"modules": {"inventory": {"range": [100, 199]}}}
        )

        class Library(errkit.ConflictError, module="payments_sdk", code=20):
            pass

        assert reg.lookup("payments_sdk", 20).cls is Library  # type: ignore[union-attr]

    def test_strict_must_be_bool(self) -> None:
        """strict_modules takes only true or false."""
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry({"strict_modules": "yes"})
        assert str(info.value) == (
            "<dict>: strict_modules: must be true or false, got 'yes'"
        )

    def test_missing_range_names_unknown_keys(self) -> None:
        """A misspelt range key is named in the 'range is required' message."""
        with pytest.raises(errkit.ConfigError) as info:
            errkit.load_registry({"modules": {"a": {"rnage": [100, 199]}}})
        assert str(info.value) == (
            "<dict>: modules.a.range: is required (unknown keys here: rnage), got None"
        )
