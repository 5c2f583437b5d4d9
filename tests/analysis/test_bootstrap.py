"""`errkit init`: module discovery, range allocation, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from errkit.analysis.bootstrap import allocate_ranges, discover_modules, write_config
from errkit.analysis.config import ConfigError, load_config


def make(root: Path, *files: str) -> None:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


class TestAllocate:
    def test_hundreds_from_100_skipping_reserved(self) -> None:
        """Ranges of 100 codes from 100 upward, none overlapping a reserved range."""
        assert allocate_ranges(3, [(200, 250), (400, 499)]) == [
            (100, 199),
            (300, 399),
            (500, 599),
        ]


class TestDiscover:
    def test_single_package_gives_its_subpackages(self, tmp_path: Path) -> None:
        """One top package: its sub-packages and public modules become modules."""
        make(
            tmp_path,
            "shop/__init__.py",
            "shop/cart/__init__.py",
            "shop/pay/__init__.py",
            "shop/util.py",
            "shop/_private.py",
            "tests/__init__.py",
        )
        assert discover_modules(tmp_path) == [
            ("cart", "shop/cart"),
            ("pay", "shop/pay"),
            ("util", "shop/util.py"),
        ]

    def test_src_layout_with_several_packages(self, tmp_path: Path) -> None:
        """Several top packages (here under src/) are the modules."""
        make(tmp_path, "src/alpha/__init__.py", "src/beta/__init__.py")
        assert discover_modules(tmp_path) == [
            ("alpha", "src/alpha"),
            ("beta", "src/beta"),
        ]


class TestWrite:
    def test_appends_to_pyproject_and_loads_back(self, tmp_path: Path) -> None:
        """The written config is valid and keeps the rest of pyproject.toml."""
        make(
            tmp_path,
            "shop/__init__.py",
            "shop/cart/__init__.py",
            "shop/pay/__init__.py",
        )
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
        path, _ = write_config(tmp_path, reserved=[(200, 299)])
        assert path == tmp_path / "pyproject.toml"
        assert path.read_text().startswith("[project]\nname = 'shop'\n")
        config = load_config(tmp_path)
        assert [(m.name, m.range) for m in config.modules] == [
            ("cart", (100, 199)),
            ("pay", (300, 399)),
        ]

    def test_existing_config_is_kept_unless_forced(self, tmp_path: Path) -> None:
        """A second init fails; --force replaces the errkit tables only."""
        make(tmp_path, "shop/__init__.py", "shop/cart/__init__.py")
        old = "namespace = 'mine'\nreserved = [[100, 199]]\n"
        (tmp_path / "errkit.toml").write_text(old)
        with pytest.raises(ConfigError) as info:
            write_config(tmp_path)
        assert info.value.file == str(tmp_path / "errkit.toml")
        assert (tmp_path / "errkit.toml").read_text() == old
        write_config(tmp_path, force=True)
        config = load_config(tmp_path)
        assert [(m.name, m.range) for m in config.modules] == [("cart", (200, 299))]
        assert config.reserved == ((100, 199),)
