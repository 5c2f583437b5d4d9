"""The `errkit` command end to end: subprocesses in temporary folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "shop" / "cart").mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "cart" / "__init__.py").write_text("")
    (tmp_path / "shop" / "cart" / "basket.py").write_text(
        "import threading\n"
        "def add(q):\n"
        "    if q < 0:\n"
        "        raise ValueError('bad quantity')\n"
        "    threading.Thread(target=add).start()\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\n\n[tool.errkit]\n"
        "[tool.errkit.modules.cart]\npaths = ['shop/cart']\nrange = [100, 199]\n"
    )
    return tmp_path


class TestScan:
    def test_text_lines_and_exit_1_for_findings(self, project: Path) -> None:
        """`path:line:col kind state message` on stdout, the summary on stderr."""
        done = run("scan", ".", "--no-cache", cwd=project)
        assert done.returncode == 1
        assert done.stdout == (
            "shop/cart/basket.py:4:9 raise-generic unmigrated "
            "raise of builtin ValueError\n"
            "shop/cart/basket.py:5:5 spawn-thread unmigrated thread failures are not "
            "recorded (fire-and-forget)\n"
        )
        assert done.stderr == "3 files, 2 sites listed, 2 unmigrated, 0 skipped\n"

    def test_json_and_sarif(self, project: Path) -> None:
        """JSON and SARIF columns are 1-based like the text's (`4:9`); SARIF names
        its schema."""
        data = json.loads(
            run("scan", "--format", "json", "--no-cache", cwd=project).stdout
        )
        assert [
            (s["line"], s["col"], s["end_line"], s["end_col"], s["kind"])
            for s in data["sites"]
        ] == [
            (4, 9, 4, 41, "raise-generic"),
            (5, 5, 5, 33, "spawn-thread"),
        ]
        sarif = json.loads(
            run("scan", "--format", "sarif", "--no-cache", cwd=project).stdout
        )
        result = sarif["runs"][0]["results"][0]
        assert (sarif["$schema"], sarif["version"]) == (
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/"
            "sarif-schema-2.1.0.json",
            "2.1.0",
        )
        assert (
            result["ruleId"],
            result["locations"][0]["physicalLocation"]["region"],
        ) == (
            "raise-generic",
            {"startLine": 4, "startColumn": 9, "endLine": 4, "endColumn": 41},
        )

    def test_clean_tree_exits_0(self, tmp_path: Path) -> None:
        """No unmigrated site: exit 0."""
        (tmp_path / "ok.py").write_text("x = 1\n")
        assert run("scan", ".", "--no-cache", cwd=tmp_path).returncode == 0

    def test_bad_files_are_listed_and_exit_3(self, tmp_path: Path) -> None:
        """BR-21: the good file's raise is found, each bad file listed, exit 3."""
        proj = tmp_path / "proj"
        proj.mkdir()
        files = {
            "ok.py": b'raise ValueError("bad")\n',
            "py2_only.py": b"print 'hello'\n",
            "notes.py": b"The Zen of Python, by Tim Peters\n",
            "tabs.py": b"if x:\n\tpass\n        pass\n",
            "nul.py": b"x = 1\x00\n",
            "deep.py": ("x = " + "-" * 200_000 + "1\n").encode(),
        }
        for name, data in files.items():
            (proj / name).write_bytes(data)
        done = run("scan", "proj/", "--no-cache", cwd=tmp_path)
        assert done.returncode == 3
        assert (
            done.stdout
            == "proj/ok.py:1:1 raise-generic unmigrated raise of builtin ValueError\n"
        )
        skipped = sorted(
            line.split(": skipped")[0] for line in done.stderr.splitlines()[:-1]
        )
        assert skipped == [
            "proj/deep.py",
            "proj/notes.py:1",
            "proj/nul.py:1",
            "proj/py2_only.py:1",
            "proj/tabs.py:3",
        ]

    def test_bad_config_exits_2_naming_file_key_value(self, project: Path) -> None:
        """A config error names the file, the key and the value; exit status 2."""
        (project / "pyproject.toml").write_text(
            "[tool.errkit.modules.cart]\nrange = [300, 200]\n"
        )
        done = run("scan", ".", cwd=project)
        assert done.returncode == 2
        assert done.stderr == (
            "errkit: error: pyproject.toml: tool.errkit.modules.cart.range must be "
            "[first, last] with 0 <= first <= last, got [300, 200]\n"
        )

    def test_unknown_kind_is_a_usage_error(self, project: Path) -> None:
        """--kind must name a site kind: exit 2."""
        assert run("scan", "--kind", "nope", cwd=project).returncode == 2


class TestStatus:
    def test_markdown_and_json(self, project: Path) -> None:
        """The report names the project and counts; JSON carries the same numbers."""
        md = run("status", ".", "--format", "markdown", cwd=project)
        assert md.returncode == 0
        assert md.stdout.startswith("# Migration status: shop\n")
        assert "| done by sites | 0.0% (0/2) |" in md.stdout
        data = json.loads(run("status", "--format", "json", cwd=project).stdout)
        assert data["summary"]["sites"]["unmigrated"] == 2
        assert data["estimate"]["basis"] == "configured"

    def test_html_is_one_self_contained_page(self, project: Path) -> None:
        """--format html writes a page with the summary and no external resource."""
        done = run("status", ".", "--format", "html", cwd=project)
        assert done.returncode == 0
        assert done.stdout.startswith("<!DOCTYPE html>")
        assert '<tr><td>unmigrated</td><td class="n">2</td></tr>' in done.stdout
        assert "http" not in done.stdout and "<script" not in done.stdout

    def test_history_measures_velocity(self, project: Path) -> None:
        """--history N scans past commits and reports measured velocity."""
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost"]
        basket = project / "shop" / "cart" / "basket.py"
        subprocess.run([*git, "init", "-q"], cwd=project, check=True)
        for stamp, text in (
            ("2024-01-01T00:00:00Z", "raise ValueError('a')\nraise KeyError('b')\n"),
            ("2024-01-03T00:00:00Z", "raise ValueError('a')\n"),
        ):
            basket.write_text(text)
            subprocess.run([*git, "add", "-A"], cwd=project, check=True)
            subprocess.run(
                [*git, "commit", "-qm", "x", "--date", stamp],
                cwd=project,
                check=True,
                env={**os.environ, "GIT_COMMITTER_DATE": stamp},
            )
        data = json.loads(
            run("status", "--format", "json", "--history", "2", cwd=project).stdout
        )
        est = data["estimate"]
        assert (est["basis"], est["sites_per_day"], est["completion_date"]) == (
            "history",
            0.5,
            "2024-01-05",
        )


class TestInit:
    def test_writes_once_and_refuses_to_overwrite(self, tmp_path: Path) -> None:
        """init writes errkit.toml; a second run exits 2 unless --force."""
        (tmp_path / "shop" / "cart").mkdir(parents=True)
        (tmp_path / "shop" / "__init__.py").write_text("")
        (tmp_path / "shop" / "cart" / "__init__.py").write_text("")
        first = run("init", ".", "--reserve", "100-199", cwd=tmp_path)
        assert (first.returncode, first.stdout) == (
            0,
            "shop: 200-299 (shop/__init__.py)\ncart: 300-399 (shop/cart)\n",
        )
        again = run("init", ".", cwd=tmp_path)
        assert again.returncode == 2
        assert "use --force" in again.stderr
        assert run("init", ".", "--force", cwd=tmp_path).returncode == 0


class TestStartup:
    def test_scan_help_loads_no_scanner_rich_or_libcst(self) -> None:
        """The CLI imports lazily: `scan --help` loads no scanner, rich or libcst."""
        code = (
            "import sys; from click.testing import CliRunner;"
            "from errkit.cli.app import main;"
            "CliRunner().invoke(main, ['scan', '--help']);"
            "print(sorted(m for m in sys.modules if m.startswith("
            "('rich', 'libcst', 'errkit.analysis.scanner', 'errkit.rewriting'))))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout == "[]\n"
