"""The bundled example service's own test suite passes, with every test counted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "service"

#: Tests in examples/service/tests. A migration of the example must keep every one of
#: them passing; change this number only together with the example's tests.
EXPECTED_PASSED = 136


def run_example_suite() -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the example's conftest puts bazaar on the path
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.slow
class TestExampleSuite:
    def test_passes_with_exact_count(self) -> None:
        """`pytest` in examples/service passes exactly EXPECTED_PASSED tests."""
        result = run_example_suite()
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-6000:]

        summary = result.stdout.strip().splitlines()[-1]
        counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", summary)}
        assert counts.get("passed") == EXPECTED_PASSED, summary
        assert not {"failed", "error", "errors", "skipped", "xfailed"} & set(counts), summary
