"""errkit migrate against a no-op libcst codemod on the same files.

The baseline is what a plain libcst codemod costs: libcst's own parallel runner
(`parallel_exec_transform_with_prettyprint`) applying a transform that changes
nothing, so every file is parsed and printed once. errkit is timed as the user
runs it: `errkit migrate --diff` (scan, plan with `ast`, allocate, rewrite with
libcst only the files that have sites, print the diff to /dev/null). Both get the
same files and the same number of worker processes. Usage:

    /work/venv/bin/python benchmarks/bench_migrate.py TREE [--jobs 2] [--repeat 3]

TREE gets an `errkit.toml` (one module over the whole tree, a wide code range)
unless it has one. The two are run one after the other, printed side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst
from libcst.codemod import (
    VisitorBasedCodemodCommand,
    parallel_exec_transform_with_prettyprint,
)

from errkit.rewriting import python_files

ERRKIT = [sys.executable, "-c", "from errkit.cli import main; main()"]


class NoOp(VisitorBasedCodemodCommand):
    """Visits every node and changes nothing."""

    DESCRIPTION = "no-op"

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated


def ensure_config(tree: Path) -> Path:
    config = tree / "errkit.toml"
    if not config.exists():
        config.write_text(
            '[modules.tree]\npaths = ["."]\nrange = [10000, 99999]\n', encoding="utf-8"
        )
    return config


def time_noop(files: list[str], jobs: int) -> tuple[float, str]:
    start = time.perf_counter()
    result = parallel_exec_transform_with_prettyprint(
        NoOp,
        files,
        jobs=jobs,
        hide_progress=True,
        hide_generated=True,
        hide_blacklisted=True,
        include_generated=True,
    )
    wall = time.perf_counter() - start
    return wall, (
        f"{result.successes} ok, {result.failures} failed, {result.skips} skipped"
    )


def time_errkit(tree: Path, config: Path, jobs: int) -> tuple[float, str]:
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        done = subprocess.run(
            [*ERRKIT, "migrate", "--config", str(config), "--jobs", str(jobs), "."],
            cwd=tree,
            stdout=sink,
            stderr=subprocess.PIPE,
            check=False,
        )
    wall = time.perf_counter() - start
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return wall, lines[-1] if lines else f"rc={done.returncode}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="alternating rounds")
    args = parser.parse_args()
    tree = args.tree.resolve()
    config = ensure_config(tree)
    files = [str(p) for p in python_files([tree], tree)]
    print(f"{tree}: {len(files)} files, {args.jobs} jobs", flush=True)

    # Alternate the two so load from elsewhere on the machine hits both alike;
    # report each one's median.
    noop_walls, errkit_walls = [], []
    for round_number in range(1, args.repeat + 1):
        noop_wall, noop_note = time_noop(files, args.jobs)
        errkit_wall, errkit_note = time_errkit(tree, config, args.jobs)
        noop_walls.append(noop_wall)
        errkit_walls.append(errkit_wall)
        print(
            f"round {round_number}: no-op {noop_wall:.1f} s, errkit {errkit_wall:.1f} s",
            flush=True,
        )
    noop_mid, errkit_mid = (
        statistics.median(noop_walls),
        statistics.median(errkit_walls),
    )
    print(f"no-op libcst codemod:  {noop_mid:8.1f} s  ({noop_note})", flush=True)
    print(f"errkit migrate --diff: {errkit_mid:8.1f} s  ({errkit_note})", flush=True)
    print(f"ratio errkit / no-op: {errkit_mid / noop_mid:.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
