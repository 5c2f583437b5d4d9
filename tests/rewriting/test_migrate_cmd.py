"""`errkit migrate` end to end in a temporary folder, through a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from errkit.cli.migrate_cmd import migrate_command
from errkit.rewriting import safety

ERRKIT = [sys.executable, "-c", "from errkit.cli import main; main()"]
CONFIG = (
    "[tool.errkit]\nexclude = ['tests/**']\n\n"
    "[tool.errkit.modules.stock]\npaths = ['stock']\nrange = [100, 199]\n"
)
SOURCE = (
    "import os\n\n\ndef take(n):\n    if n < 0:\n"
    "        raise ValueError('negative')\n"
    "    try:\n        return os.environ[n]\n    except KeyError:\n"
    "        raise LookupError(n)\n"
)


@pytest.fixture(name="project")
def fixture_project(tmp_path: Path) -> Path:
    """A tiny project: one module with a raise-generic and a raise-unchained."""
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "stock").mkdir()
    (tmp_path / "stock" / "take.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def errkit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ERRKIT, "migrate", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


class TestMigrateCommand:
    def test_diff_is_default_and_writes_nothing(self, project: Path) -> None:
        """Without --apply the diff goes to stdout, exit 1, files unchanged."""
        result = errkit(project, "stock")
        assert result.returncode == 1
        assert (
            "+        raise errkit.ValidationError('negative', module=\"stock\","
            " code=100)\n" in result.stdout
        )
        assert (project / "stock" / "take.py").read_text("utf-8") == SOURCE
        assert (project / "pyproject.toml").read_text("utf-8") == CONFIG

    def test_apply_writes_files_and_codes(self, project: Path) -> None:
        """--apply rewrites the file and records the codes; a rerun changes nothing."""
        assert errkit(project, "--apply").returncode == 0
        assert (project / "stock" / "take.py").read_text("utf-8") == (
            "import os\n\nimport errkit\n\n\ndef take(n):\n    if n < 0:\n"
            "        raise errkit.ValidationError('negative', module=\"stock\","
            " code=100)\n"
            "    try:\n        return os.environ[n]\n    except KeyError as exc:\n"
            '        raise errkit.NotFoundError(n, module="stock", code=110)'
            " from exc\n"
        )
        assert (project / "pyproject.toml").read_text("utf-8") == CONFIG + (
            '\n[tool.errkit.codes.stock]\n100 = "ValueError: negative"\n'
            '110 = "LookupError: {}"\n'
        )
        again = errkit(project, "--apply")
        assert (again.returncode, again.stdout) == (0, "")

    def test_only_selects_kind(self, project: Path) -> None:
        """--only raise-unchained adds `from` and leaves the builtins."""
        errkit(project, "--apply", "--only", "raise-unchained")
        text = (project / "stock" / "take.py").read_text("utf-8")
        assert "raise ValueError('negative')" in text
        assert "raise LookupError(n) from exc" in text

    def test_skip_drops_kind(self, project: Path) -> None:
        """--skip raise-unchained rewrites the builtins without adding `from`."""
        errkit(project, "--apply", "--skip", "raise-unchained")
        text = (project / "stock" / "take.py").read_text("utf-8")
        assert "except KeyError:\n" in text
        assert 'raise errkit.NotFoundError(n, module="stock", code=110)\n' in text

    @pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
    def test_dirty_git_file_refused(self, project: Path) -> None:
        """Uncommitted changes in a file to rewrite stop --apply with exit 2."""
        git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
        subprocess.run([*git, "init", "-q"], cwd=project, check=True)
        subprocess.run([*git, "add", "."], cwd=project, check=True)
        subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
        path = project / "stock" / "take.py"
        path.write_text(SOURCE + "# local edit\n", encoding="utf-8")
        refused = errkit(project, "--apply")
        assert refused.returncode == 2
        assert "uncommitted changes" in refused.stderr
        assert path.read_text("utf-8") == SOURCE + "# local edit\n"
        assert errkit(project, "--apply", "--allow-dirty").returncode == 0
        assert "errkit.ValidationError" in path.read_text("utf-8")

    def test_skipped_file_reported_exit_3(self, project: Path) -> None:
        """A file that does not parse is listed on stderr; exit status 3."""
        (project / "stock" / "bad.py").write_text("print 'x'\n", encoding="utf-8")
        result = errkit(project, "--apply")
        assert result.returncode == 3
        assert (
            "stock/bad.py:1: skipped (syntax-error): SyntaxError: Missing parentheses"
            " in call to 'print'. Did you mean print(...)?\n" in result.stderr
        )
        assert (project / "stock" / "bad.py").read_text("utf-8") == "print 'x'\n"

    def test_old_libcst_refused(
        self, project: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An older libcst stops the command at start-up with exit 2."""
        monkeypatch.setattr(safety.metadata, "version", lambda name: "1.0.1")
        monkeypatch.chdir(project)
        result = CliRunner().invoke(migrate_command, ["stock"])
        assert result.exit_code == 2
        assert "libcst must be >= 1.9.0" in result.output
        assert "found '1.0.1'" in result.output


class TestMigrateConfig:
    @pytest.mark.parametrize(
        "span", ["[200, 100]", "[-5, 10]"], ids=["reversed", "negative"]
    )
    def test_bad_range_is_a_config_error(self, project: Path, span: str) -> None:
        """A bad module range gives the one-line config error of every command, exit 2."""
        config = CONFIG.replace("[100, 199]", span)
        (project / "pyproject.toml").write_text(config, encoding="utf-8")
        result = errkit(project, ".")
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            "errkit: error: pyproject.toml: tool.errkit.modules.stock.range must be"
            f" [first, last] with 0 <= first <= last, got {span}\n"
        )
        assert (project / "stock" / "take.py").read_text("utf-8") == SOURCE

    def test_same_message_as_scan(self, project: Path) -> None:
        """migrate and scan print the same error for the same bad config."""
        config = CONFIG.replace("[100, 199]", "[200, 100]")
        (project / "pyproject.toml").write_text(config, encoding="utf-8")
        scan = subprocess.run(
            [*ERRKIT, "scan", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert errkit(project, ".").stderr == scan.stderr


class TestMigrateScope:
    def test_files_outside_modules_are_out_of_scope(self, project: Path) -> None:
        """Files no module owns are counted, not skipped: exit 1 (changes), not 3."""
        (project / "setup.py").write_text("raise ValueError('x')\n", "utf-8")
        (project / "docs").mkdir()
        (project / "docs" / "conf.py").write_text("project = 'x'\n", "utf-8")
        result = errkit(project, ".")
        assert result.returncode == 1
        assert "skipped (" not in result.stderr
        assert result.stderr.endswith(
            "would rewrite 1 files (3 sites: raise-generic 2, raise-unchained 1);"
            " 0 skipped, 0 unchanged, 2 not in any module\n"
        )

    @pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
    def test_apply_outside_git_warns_once(self, project: Path) -> None:
        """--apply outside a git work tree says so in one stderr line and writes."""
        result = errkit(project, "--apply")
        warnings = [
            line for line in result.stderr.splitlines() if "git work tree" in line
        ]
        assert warnings == [
            (
                f"errkit: warning: {project.resolve()} is not in a git work tree,"
                " so this rewrite cannot be undone with git"
            )
        ]
        assert result.returncode == 0
        assert "errkit.ValidationError" in (project / "stock" / "take.py").read_text()

    @pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
    def test_apply_inside_git_does_not_warn(self, project: Path) -> None:
        """A committed git work tree gets no warning."""
        git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
        subprocess.run([*git, "init", "-q"], cwd=project, check=True)
        subprocess.run([*git, "add", "."], cwd=project, check=True)
        subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
        result = errkit(project, "--apply")
        assert (result.returncode, "git work tree" in result.stderr) == (0, False)


BAD_FILES = {
    "py2_only.py": b"print 'hello'\n",
    "tabs.py": b"if x:\n\tpass\n        pass\n",
    "nul.py": b"x = 1\x00\n",
    "undecodable.py": b"x = '\xff'\n",
}


class TestSkippedLikeScan:
    def test_skipped_lines_match_scan(self, project: Path) -> None:
        """migrate lists each bad file with the exact line `errkit scan` prints."""
        for name, data in BAD_FILES.items():
            (project / "stock" / name).write_bytes(data)
        result = errkit(project, ".")
        scan = subprocess.run(
            [*ERRKIT, "scan", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )

        def skipped(text: str) -> list[str]:
            return sorted(line for line in text.splitlines() if ": skipped (" in line)

        assert result.returncode == 3
        assert skipped(result.stderr) == skipped(scan.stderr)
        assert skipped(result.stderr) == [
            (
                "stock/nul.py:1: skipped (syntax-error): SyntaxError: source code cannot"
                " contain null bytes"
            ),
            (
                "stock/py2_only.py:1: skipped (syntax-error): SyntaxError: Missing"
                " parentheses in call to 'print'. Did you mean print(...)?"
            ),
            (
                "stock/tabs.py:3: skipped (syntax-error): TabError: inconsistent use of"
                " tabs and spaces in indentation"
            ),
            (
                "stock/undecodable.py:1: skipped (undecodable): UnicodeDecodeError:"
                " 'utf-8' codec can't decode byte 0xff in position 5: invalid start byte"
            ),
        ]
