"""The toolkit config: `[tool.errkit]` / `errkit.toml`, validated with exact errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from errkit.analysis.config import ConfigError, ToolConfig, load_config, parse_config

PYPROJECT = """
[project]
name = "bazaar"

[tool.errkit]
namespace = "bazaar"
exclude = ["tests/**"]
reserved = [[900, 999]]
effort_per_site_minutes = 15

[tool.errkit.modules.inventory]
paths = ["bazaar/inventory"]
range = [100, 199]
description = "Stock"
owner = "team-stock"
priority = 1

[tool.errkit.modules.reservations]
paths = ["bazaar/inventory/reservations"]
range = [200, 299]
priority = 2
"""


class TestLoad:
    def test_pyproject_table(self, tmp_path: Path) -> None:
        """Every key is read, with the file it came from."""
        (tmp_path / "pyproject.toml").write_text(PYPROJECT)
        config = load_config(tmp_path)
        assert (config.namespace, config.exclude, config.reserved) == (
            "bazaar",
            ("tests/**",),
            ((900, 999),),
        )
        assert config.effort_per_site_minutes == 15.0
        assert [(m.name, m.paths, m.range, m.priority) for m in config.modules] == [
            ("inventory", ("bazaar/inventory",), (100, 199), 1),
            ("reservations", ("bazaar/inventory/reservations",), (200, 299), 2),
        ]
        assert config.source == str(tmp_path / "pyproject.toml")

    def test_errkit_toml_when_pyproject_has_no_table(self, tmp_path: Path) -> None:
        """A pyproject without [tool.errkit] defers to errkit.toml."""
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
        (tmp_path / "errkit.toml").write_text("[modules.core]\nrange = [100, 199]\n")
        assert [m.paths for m in load_config(tmp_path).modules] == [("core",)]

    def test_no_config_gives_defaults(self, tmp_path: Path) -> None:
        """No file: the defaults, rooted at the folder."""
        assert load_config(tmp_path) == ToolConfig(root=str(tmp_path))


class TestErrkitTomlWithToolTable:
    TOML = (
        '[tool.errkit]\nnamespace = "b"\ncolour = "red"\n\n'
        '[tool.errkit.modules.pkg]\npaths = ["pkg"]\nrange = [100, 199]\n\n'
        "[tool.errkit.alerts]\nerror_rate_warning = 2.0\n"
    )

    def test_tool_errkit_prefix_is_read(self, tmp_path: Path) -> None:
        """An errkit.toml written as `[tool.errkit]` loads its modules like a bare one."""
        (tmp_path / "errkit.toml").write_text(self.TOML)
        config = load_config(tmp_path)
        assert (config.namespace, [(m.name, m.range) for m in config.modules]) == (
            "b",
            [("pkg", (100, 199))],
        )

    def test_ignored_keys_are_logged_once_each(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Unknown keys are warnings on the errkit logger, with their full key name."""
        (tmp_path / "errkit.toml").write_text("stray = 1\n" + self.TOML)
        with caplog.at_level("WARNING", logger="errkit"):
            load_config(tmp_path)
        toml = tmp_path / "errkit.toml"
        assert [(r.name, r.getMessage()) for r in caplog.records] == [
            ("errkit.analysis", f"{toml}: key stray outside [tool.errkit] is ignored"),
            ("errkit.analysis", f"{toml}: unknown key tool.errkit.colour is ignored"),
        ]

    def test_alerts_and_baseline_are_known_keys(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """`alerts` (read by analysis.alerts) and `baseline` log nothing."""
        with caplog.at_level("WARNING", logger="errkit"):
            parse_config({"alerts": {"error_rate_warning": 1.0}, "baseline": "b.toml"})
        assert caplog.records == []


class TestModuleFor:
    def test_longest_path_wins(self, tmp_path: Path) -> None:
        """A sub-folder owned by another module belongs to that module."""
        (tmp_path / "pyproject.toml").write_text(PYPROJECT)
        config = load_config(tmp_path)
        assert config.module_for("bazaar/inventory/stock.py") == "inventory"
        assert (
            config.module_for("bazaar/inventory/reservations/hold.py") == "reservations"
        )
        assert config.module_for("bazaar/inventoryx.py") is None


class TestErrors:
    @pytest.mark.parametrize(
        ("table", "key", "value"),
        [
            ({"namespace": "bad name"}, "namespace", "bad name"),
            ({"reserved": [[10, 5]]}, "reserved[0]", [10, 5]),
            ({"effort_per_site_minutes": 0}, "effort_per_site_minutes", 0),
            ({"modules": {"a": {"range": [1, 2, 3]}}}, "modules.a.range", [1, 2, 3]),
            ({"modules": {"a": {"priority": 0}}}, "modules.a.priority", 0),
            ({"modules": {"a": {"paths": "a"}}}, "modules.a.paths", "a"),
            ({"modules": {"a": {"colour": "red"}}}, "modules.a.colour", "red"),
        ],
        ids=[
            "namespace",
            "reserved",
            "effort",
            "range",
            "priority",
            "paths",
            "unknown",
        ],
    )
    def test_error_names_file_key_and_value(
        self, table: dict[str, object], key: str, value: object
    ) -> None:
        """A bad value raises ConfigError carrying the file, full key and value."""
        with pytest.raises(ConfigError) as info:
            parse_config(table, file="pyproject.toml", prefix="tool.errkit.")
        assert (info.value.file, info.value.key, info.value.value) == (
            "pyproject.toml",
            f"tool.errkit.{key}",
            value,
        )
        assert str(info.value).startswith(f"pyproject.toml: tool.errkit.{key} ")
        assert str(info.value).endswith(f"got {value!r}")
