"""The bundled example migrated end to end: same test results, 100% auto kinds."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from errkit.analysis.config import load_config
from errkit.analysis.scanner import scan_tree
from errkit.analysis.sites import SiteState

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"
ERRKIT = [sys.executable, "-c", "from errkit.cli import main; main()"]


def suite_outcomes(project: Path, tag: str) -> dict[str, str]:
    """Run the project's own tests; outcome per test id."""
    report = project.parent / f"{tag}.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
        ],
        cwd=project,
        capture_output=True,
        check=False,
    )
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        kinds = [
            child.tag for child in case if child.tag in ("failure", "error", "skipped")
        ]
        outcomes[test_id] = kinds[0] if kinds else "passed"
    return outcomes


@pytest.mark.slow
class TestExampleService:
    def test_migrated_whole(self, tmp_path: Path) -> None:
        """Same per-test outcomes, every auto kind at 100%, a second run no diff."""
        project = tmp_path / "service"
        shutil.copytree(
            EXAMPLE, project, ignore=shutil.ignore_patterns(".*cache*", "__pycache__")
        )
        before = suite_outcomes(project, "before")
        assert before and set(before.values()) == {"passed"}

        applied = subprocess.run(
            [*ERRKIT, "migrate", "--apply", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert applied.returncode == 0, applied.stderr
        assert suite_outcomes(project, "after") == before

        config = load_config(project)
        left = [
            (site.path, site.line, site.kind.value)
            for scan in scan_tree(project, config, jobs=1, cache=False)
            for site in scan.sites
            if site.kind.auto_rewrite and site.state is SiteState.UNMIGRATED
        ]
        assert left == []

        again = subprocess.run(
            [*ERRKIT, "migrate", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (again.returncode, again.stdout) == (0, "")
