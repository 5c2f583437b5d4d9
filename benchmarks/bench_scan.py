"""Scanner speed against its floor and its neighbours, in one run on one tree.

    python benchmarks/bench_scan.py [TREE] [--repeat N] [--no-pylint]

TREE defaults to a fresh copy of the running interpreter's standard library in
a temporary folder (the scanner writes its cache next to what it scans, and
ruff its own). Everything runs on the same files, as subprocesses, start-up and
imports included:

- errkit scan, cold (no cache) and warm (cache filled by the cold run);
- the floor: a bare `ast.parse` of every file in a 2-process pool;
- ruff check -s --no-cache --select TRY002,TRY004,B904,BLE001,S110, and the
  same with ruff's cache warm;
- pylint restricted to W0707,W0718,W0719 (its closest checks), once;
- peak resident memory of one scanner worker.

Fast commands are repeated and interleaved (best of N), so a busy machine
slows both sides of a ratio alike. Goals (issue 4): cold <= 1.3x bare parse,
warm <= 1.2x ruff warm, >= 20x faster than pylint, <= 250 MB per worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RUFF_RULES = "TRY002,TRY004,B904,BLE001,S110"

BARE_PARSE = r"""
import ast, os, sys
from concurrent.futures import ProcessPoolExecutor
SKIP = {"site-packages", "__pycache__", ".errkit_cache", ".ruff_cache"}
def parse(path):
    try:
        with open(path, "rb") as fh:
            ast.parse(fh.read())
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        pass
    return 0
if __name__ == "__main__":
    files = []
    for folder, dirs, names in os.walk(sys.argv[1]):
        dirs[:] = [d for d in dirs if d not in SKIP]
        files += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(parse, files, chunksize=8))
    print(len(files))
"""

WORKER_MEMORY = r"""
import resource, sys
from errkit.analysis.config import load_config
from errkit.analysis.scanner import scan_tree
scans = scan_tree(sys.argv[1], load_config(sys.argv[1]), jobs=2, cache=False)
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(children // 1024, main // 1024)
"""


CPU: dict[str, list[float]] = {}


def cpu_seconds() -> float:
    """User + system time of every finished child process (pool workers too)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    label: str, cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> float:
    """Wall seconds of one run; its CPU seconds are kept in CPU[label]."""
    before = cpu_seconds()
    start = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    CPU.setdefault(label, []).append(cpu_seconds() - before)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree", nargs="?", help="folder to scan (default: stdlib copy)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pylint", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="errkit-bench-"))
    if args.tree:
        tree = Path(args.tree).resolve()
    else:
        tree = work / "stdlib"
        stdlib = sysconfig.get_paths()["stdlib"]
        ignore = shutil.ignore_patterns("site-packages", "__pycache__")
        shutil.copytree(stdlib, tree, symlinks=True, ignore=ignore)
    cache = work / "errkit-cache"
    env = {**os.environ, "ERRKIT_CACHE_DIR": str(cache)}
    errkit = [str(BIN / "errkit"), "scan", str(tree), "-j", "2"]
    ruff = [
        str(BIN / "ruff"),
        "check",
        "-s",
        "--select",
        RUFF_RULES,
        "--exit-zero",
        str(tree),
    ]
    bare = [sys.executable, "-c", BARE_PARSE, str(tree)]
    files = subprocess.run(
        bare, capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"tree: {tree} ({files} .py files outside site-packages)")

    results: dict[str, list[float]] = {
        k: []
        for k in (
            "errkit cold",
            "bare parse",
            "ruff no-cache",
            "errkit warm",
            "ruff warm",
        )
    }
    for _ in range(args.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        results["errkit cold"].append(timed("errkit cold", errkit, tree, env))
        results["bare parse"].append(timed("bare parse", bare, tree))
        no_cache = [*ruff[:2], "--no-cache", *ruff[2:]]
        results["ruff no-cache"].append(timed("ruff no-cache", no_cache, tree))
    timed("ruff fill", ruff, tree)  # fill ruff's cache
    for _ in range(args.repeat + 2):
        results["errkit warm"].append(timed("errkit warm", errkit, tree, env))
        results["ruff warm"].append(timed("ruff warm", ruff, tree))
    best = {k: min(v) for k, v in results.items()}

    pylint = None
    if not args.no_pylint and (BIN / "pylint").exists():
        pylint = timed(
            "pylint",
            [
                str(BIN / "pylint"),
                "--disable=all",
                "--enable=W0707,W0718,W0719",
                "-j",
                "2",
                "--recursive=y",
                "--ignore=site-packages",
                "--exit-zero",
                str(tree),
            ],
            tree,
        )
    worker_mb, main_mb = subprocess.run(
        [sys.executable, "-c", WORKER_MEMORY, str(tree)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    # CPU time (every process of a run) is steadier than wall time on a busy
    # machine, though it leaves out what running in parallel gains or loses
    cpu = {k: CPU[k] for k in ("errkit cold", "bare parse", "errkit warm", "ruff warm")}
    print(f"\n{'command':<16}{'best s':>9}   all runs")
    for name, runs in results.items():
        print(f"{name:<16}{best[name]:>9.3f}   {' '.join(f'{r:.3f}' for r in runs)}")
    for name, runs in cpu.items():
        shown = " ".join(f"{r:.3f}" for r in runs)
        print(f"{name + ' cpu':<16}{min(runs):>9.3f}   {shown}")
    if pylint is not None:
        print(f"{'pylint':<16}{pylint:>9.3f}")
    print(f"\npeak RSS: {worker_mb} MB per worker, {main_mb} MB main process")
    print("\nratios (goal):")
    print(
        f"  cold / bare parse  {best['errkit cold'] / best['bare parse']:.2f}x"
        "  (<= 1.3x)"
    )
    print(
        f"  warm / ruff warm   {best['errkit warm'] / best['ruff warm']:.2f}x"
        "  (<= 1.2x)"
    )
    if pylint is not None:
        print(f"  pylint / cold      {pylint / best['errkit cold']:.1f}x  (>= 20x)")
    print(f"  worker memory      {worker_mb} MB  (<= 250 MB)")
    print(
        f"  cold / bare, CPU   {min(cpu['errkit cold']) / min(cpu['bare parse']):.2f}x"
        "  (user+system time of all processes)"
    )
    if pylint is not None:
        print(f"  pylint / cold, CPU {CPU['pylint'][0] / min(cpu['errkit cold']):.1f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
