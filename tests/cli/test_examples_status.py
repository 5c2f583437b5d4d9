"""examples/STATUS.md is the bundled example's status report, regenerated here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVICE = REPO / "examples" / "service"
STATUS = REPO / "examples" / "STATUS.md"


@pytest.mark.skipif(not SERVICE.is_dir(), reason="the bundled example is not present")
def test_committed_status_document_is_current(tmp_path: Path) -> None:
    """`errkit status examples/service --format markdown` gives examples/STATUS.md."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "errkit.cli",
            "status",
            "examples/service",
            "--format",
            "markdown",
            "--no-cache",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == STATUS.read_text(encoding="utf-8"), (
        "examples/STATUS.md is stale: regenerate it with "
        "`errkit status examples/service --format markdown -o examples/STATUS.md`"
    )
