"""Fixtures for the tests that run the real Prometheus tools."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed (Debian package 'prometheus'; .ci/run installs "
            "it): the generated rules are not checked by the real tool here"
        )
    return path


@pytest.fixture(scope="session")
def promtool() -> str:
    """Path of `promtool`; the test is skipped, saying why, if it is absent."""
    return _tool("promtool")


@pytest.fixture(scope="session")
def prometheus_bin() -> str:
    """Path of the `prometheus` server; skipped, saying why, if it is absent."""
    return _tool("prometheus")


@pytest.fixture
def run_promtool(promtool: str) -> Callable[..., str]:
    """Run promtool in a folder, failing the test with its output unless it succeeds."""

    def run(*args: str | Path, cwd: Path) -> str:
        proc = subprocess.run(
            [promtool, *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"promtool {' '.join(map(str, args))}:\n{output}"
        return output

    return run
