"""Atomic writes and format-preserving code allocation records."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from errkit.rewriting import load_migrate_config, write_atomic, write_codes
from errkit.rewriting.codes import CodeAllocator


class TestWriteAtomic:
    def test_permissions_kept(self, tmp_path: Path) -> None:
        """The new file has the old file's permission bits."""
        target = tmp_path / "run.py"
        target.write_bytes(b"old\n")
        target.chmod(0o751)
        write_atomic(target, b"new\n")
        assert target.read_bytes() == b"new\n"
        assert stat.S_IMODE(target.stat().st_mode) == 0o751

    def test_symlink_followed(self, tmp_path: Path) -> None:
        """Writing through a symlink replaces the real file; the link stays."""
        real = tmp_path / "real.py"
        real.write_bytes(b"old\n")
        link = tmp_path / "link.py"
        link.symlink_to(real)
        write_atomic(link, b"new\n")
        assert link.is_symlink()
        assert real.read_bytes() == b"new\n"

    def test_failed_write_leaves_original(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the replace fails, the original bytes stay and no temp file is left."""
        target = tmp_path / "a.py"
        target.write_bytes(b"old\n")

        def fail(src: str, dst: str) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(OSError, match="disk full"):
            write_atomic(target, b"new\n")
        assert target.read_bytes() == b"old\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


class TestCodes:
    def test_blocks_follow_category(self) -> None:
        """Codes come from the category's block: validation 00-09, state 40-49."""
        allocator = CodeAllocator("inventory", 100, 199)
        assert allocator.allocate("validation", "a") == 100
        assert allocator.allocate("state", "b") == 140
        assert allocator.allocate("validation", "a") == 100
        assert allocator.new == {100: "a", 140: "b"}

    def test_wide_range_repeats_blocks(self) -> None:
        """Past ten codes, a 200-code range uses the next hundred's block."""
        allocator = CodeAllocator("m", 1000, 1199)
        codes = [allocator.allocate("validation", f"k{i}") for i in range(11)]
        assert codes[-2:] == [1009, 1100]

    def test_written_to_config_keeping_comments(self, tmp_path: Path) -> None:
        """New codes land in [tool.errkit.codes.<module>]; comments survive."""
        config = tmp_path / "pyproject.toml"
        config.write_text(
            "[project]\nname = 'svc'  # the service\n\n"
            "[tool.errkit.modules.inventory]\npaths = ['inv']\nrange = [100, 199]\n",
            encoding="utf-8",
        )
        write_codes(config, {"inventory": {101: "ValueError: bad", 100: "class E"}})
        assert config.read_text("utf-8") == (
            "[project]\nname = 'svc'  # the service\n\n"
            "[tool.errkit.modules.inventory]\npaths = ['inv']\nrange = [100, 199]\n"
            "\n[tool.errkit.codes.inventory]\n"
            '100 = "class E"\n101 = "ValueError: bad"\n'
        )
        spec = load_migrate_config(config).module_named("inventory")
        assert spec is not None
        assert dict(spec.codes) == {100: "class E", 101: "ValueError: bad"}
