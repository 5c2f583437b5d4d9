"""One wording for every command: missing paths, ignored config keys, skipped files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from errkit.cli.app import skipped_line

ERRKIT = [sys.executable, "-m", "errkit.cli"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ERRKIT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class TestMissingPath:
    @pytest.mark.parametrize(
        "args",
        [
            ("scan", "nope"),
            ("status", "nope"),
            ("check", "nope"),
            ("catalog", "nope"),
            ("explain", "shop:100", "--path", "nope"),
            ("alerts", "nope"),
            ("dashboard", "nope"),
            ("init", "nope"),
        ],
        ids=lambda args: args[0],
    )
    def test_same_line_and_exit_2(self, tmp_path: Path, args: tuple[str, ...]) -> None:
        """Every command says `errkit: error: path 'nope' does not exist`, exit 2."""
        done = run(*args, cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (
            2,
            "",
            "errkit: error: path 'nope' does not exist\n",
        )

    def test_init_on_a_file(self, tmp_path: Path) -> None:
        """init needs a folder: `path 'f.py' is not a folder`, exit 2."""
        (tmp_path / "f.py").write_text("")
        done = run("init", "f.py", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (
            2,
            "errkit: error: path 'f.py' is not a folder\n",
        )


class TestConfigWarnings:
    def test_tool_errkit_in_errkit_toml_loads_and_warns_in_one_line(
        self, tmp_path: Path
    ) -> None:
        """The trial's errkit.toml with [tool.errkit]: its module loads, and the one
        unknown key is one clean stderr line, no Python warning."""
        (tmp_path / "pkg").mkdir()
        (tmp_path / "pkg" / "ok.py").write_text("def ok():\n    raise ValueError(1)\n")
        (tmp_path / "errkit.toml").write_text(
            '[tool.errkit]\nnamespace = "b"\ncolour = "red"\n\n'
            '[tool.errkit.modules.pkg]\npaths = ["pkg"]\nrange = [300, 200]\n'
        )
        bad = run("check", ".", cwd=tmp_path)
        assert (bad.returncode, bad.stderr) == (
            2,
            "errkit: warning: errkit.toml: unknown key tool.errkit.colour is ignored\n"
            "errkit: error: errkit.toml: tool.errkit.modules.pkg.range must be "
            "[first, last] with 0 <= first <= last, got [300, 200]\n",
        )
        text = (tmp_path / "errkit.toml").read_text()
        (tmp_path / "errkit.toml").write_text(text.replace("[300, 200]", "[100, 199]"))
        done = run("scan", ".", "--no-cache", "--format", "json", cwd=tmp_path)
        assert done.stderr == (
            "errkit: warning: errkit.toml: unknown key tool.errkit.colour is ignored\n"
            "1 files, 1 sites listed, 1 unmigrated, 0 skipped\n"
        )


class TestSkippedLine:
    def test_shared_wording(self) -> None:
        """`path:line: skipped (reason): Error: detail`, the line only when known."""
        assert skipped_line(
            "pkg/nul.py", "syntax-error", "SyntaxError", "null bytes", 3
        ) == ("pkg/nul.py:3: skipped (syntax-error): SyntaxError: null bytes")
        assert skipped_line("a.py", "unreadable", "PermissionError", "denied") == (
            "a.py: skipped (unreadable): PermissionError: denied"
        )


class TestInitNamespace:
    def test_namespace_is_the_metrics_safe_project_name(self, tmp_path: Path) -> None:
        """`[project].name = "My-Shop"` gives `namespace = "my_shop"`."""
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "My-Shop"\n')
        (tmp_path / "shop").mkdir()
        (tmp_path / "shop" / "__init__.py").write_text("")
        done = run("init", ".", cwd=tmp_path)
        assert (done.returncode, done.stdout) == (0, "shop: 100-199 (shop)\n")
        assert (
            '\n[tool.errkit]\nnamespace = "my_shop"\n'
            in (tmp_path / "pyproject.toml").read_text()
        )


class TestSkippedFiles:
    @pytest.mark.parametrize(
        "command", ["scan", "status", "check", "catalog"], ids=lambda c: c
    )
    def test_every_command_lists_them_alike(self, tmp_path: Path, command: str) -> None:
        """A file that does not parse is the same stderr line from each command,
        its path relative to where the command runs."""
        (tmp_path / "proj" / "pkg").mkdir(parents=True)
        (tmp_path / "proj" / "errkit.toml").write_text(
            '[modules.pkg]\npaths = ["pkg"]\nrange = [100, 199]\n'
        )
        (tmp_path / "proj" / "pkg" / "bad.py").write_text("print 'hi'\n")
        done = run(command, "proj", "--no-cache", cwd=tmp_path)
        assert done.stderr.splitlines()[0] == (
            "proj/pkg/bad.py:1: skipped (syntax-error): SyntaxError: Missing "
            "parentheses in call to 'print'. Did you mean print(...)?"
        )
