"""The bundled example service's own test suite passes, with every test counted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

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
        check=False,
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
        unexpected = {"failed", "error", "errors", "skipped", "xfailed"} & set(counts)
        assert not unexpected, summary


def load_example_config() -> dict[str, Any]:
    with (EXAMPLE / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["tool"]["errkit"]


class TestExampleConfig:
    def test_every_package_file_belongs_to_one_module(self) -> None:
        """Each bazaar/*.py file is under exactly one configured module path."""
        modules = load_example_config()["modules"]
        owners: dict[str, list[str]] = {}
        for path in sorted((EXAMPLE / "bazaar").rglob("*.py")):
            relative = path.relative_to(EXAMPLE).as_posix()
            owners[relative] = [
                name
                for name, spec in modules.items()
                if any(
                    relative == p or relative.startswith(f"{p}/") for p in spec["paths"]
                )
            ]
        assert {path: names for path, names in owners.items() if len(names) != 1} == {}
        assert len(modules) == 10

    def test_ranges_are_blocks_of_100_skipping_reserved(self) -> None:
        """Ranges run 100-199, 200-299, ... in file order, skipping the reserved 900s."""
        config = load_example_config()
        ranges = [tuple(spec["range"]) for spec in config["modules"].values()]
        starts = [s for s in range(100, 1200, 100) if s != 900]
        assert ranges == [(s, s + 99) for s in starts]
        assert config["reserved"] == [[900, 999]]
        priorities = {spec["priority"] for spec in config["modules"].values()}
        assert priorities == {1, 2, 3}
