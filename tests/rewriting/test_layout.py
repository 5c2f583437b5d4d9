"""The project's line length, and calls spread over lines when a rewrite is too long."""

from __future__ import annotations

from pathlib import Path

import pytest

from errkit.rewriting import CodeAllocator, rewrite_source
from errkit.rewriting.layout import project_line_length


class TestProjectLineLength:
    @pytest.mark.parametrize(
        ("name", "text", "expected"),
        [
            ("pyproject.toml", "[tool.ruff]\nline-length = 100\n", 100),
            ("pyproject.toml", "[tool.black]\nline-length = 79\n", 79),
            ("ruff.toml", "line-length = 120\n", 120),
            ("pyproject.toml", "[project]\nname = 'x'\n", 88),
            ("pyproject.toml", "not toml [", 88),
        ],
        ids=["ruff", "black", "ruff-toml", "unset", "broken"],
    )
    def test_read_from_the_project(
        self, tmp_path: Path, name: str, text: str, expected: int
    ) -> None:
        """ruff's, then black's line-length; 88 when the project sets none."""
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert project_line_length(tmp_path) == expected


class TestSpreadWithLimit:
    def test_longer_limit_keeps_one_line(self) -> None:
        """A 95-column result stays on one line when the project allows 100."""
        source = b"def f():\n    raise ValueError('" + b"x" * 30 + b"')\n"
        allocator = CodeAllocator("inventory", 100, 199)
        out = rewrite_source(source, allocator, line_length=100).decode()
        assert out == (
            "import errkit\ndef f():\n    raise errkit.ValidationError('"
            + "x" * 30
            + '\', module="inventory", code=100)\n'
        )

    def test_same_source_spread_at_88(self) -> None:
        """The same raise is spread over three lines at the default 88 columns."""
        source = b"def f():\n    raise ValueError('" + b"x" * 30 + b"')\n"
        allocator = CodeAllocator("inventory", 100, 199)
        out = rewrite_source(source, allocator).decode()
        assert out == (
            "import errkit\ndef f():\n    raise errkit.ValidationError(\n        '"
            + "x" * 30
            + '\', module="inventory", code=100\n    )\n'
        )
