"""Cost of ``import errkit``: this tree against a git revision, side by side.

For each tree it reports, in fresh interpreters run alternately:

- the best of ``--runs`` ``python -X importtime -c "import errkit"`` totals (the
  cumulative microseconds on the top-level ``errkit`` line);
- the wall time of ``python -c "import errkit"`` (best and median of
  ``--wall-runs``), next to ``python -c pass`` for the interpreter alone;
- how many modules the import adds to ``sys.modules``.

Both with the bytecode cache (what an installed service sees; the cache goes
to a temporary ``PYTHONPYCACHEPREFIX``) and without it (``PYTHONDONTWRITEBYTECODE``
set and no cache, every module compiled from source, as in a fresh checkout).

Usage::

    python benchmarks/bench_import.py --baseline 8bd2bb3
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| errkit$")


def _env(src: Path, cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(src)
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _importtime(env: dict[str, str]) -> int:
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import errkit"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return next(int(m[1]) for line in err.splitlines() if (m := _LINE.match(line)))


def _wall(env: dict[str, str], code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def _module_count(env: dict[str, str]) -> int:
    code = (
        "import sys; n = len(sys.modules); import errkit; print(len(sys.modules) - n)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout)


def _baseline_src(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="git revision to compare against")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--wall-runs", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        trees = {"current": ROOT / "src"}
        if args.baseline:
            base = Path(tmp) / "baseline"
            base.mkdir()
            trees = {
                f"baseline {args.baseline}": _baseline_src(args.baseline, base),
                **trees,
            }
        print(
            f"python {sys.version.split()[0]}; best of {args.runs} importtime, "
            f"{args.wall_runs} wall runs"
        )
        for mode in ("bytecode cache", "no bytecode cache"):
            envs = {}
            for i, (name, src) in enumerate(trees.items()):
                cache = Path(tmp) / f"pyc{i}" if mode == "bytecode cache" else None
                envs[name] = _env(src, cache)
                _wall(envs[name], "import errkit")  # fills the cache
            times: dict[str, list[int]] = {name: [] for name in envs}
            walls: dict[str, list[float]] = {name: [] for name in envs}
            bare: list[float] = []
            for _ in range(args.runs):
                for name, env in envs.items():
                    times[name].append(_importtime(env))
            for _ in range(args.wall_runs):
                bare.append(_wall(next(iter(envs.values())), "pass"))
                for name, env in envs.items():
                    walls[name].append(_wall(env, "import errkit"))
            print(f"\n{mode}:")
            print(
                f"  {'tree':22} {'importtime':>11} {'wall best':>10} "
                f"{'wall median':>12} {'modules':>8}"
            )
            print(
                f"  {'python -c pass':22} {'':>11} {min(bare) * 1e3:8.1f}ms "
                f"{statistics.median(bare) * 1e3:10.1f}ms"
            )
            for name, env in envs.items():
                print(
                    f"  {name:22} {min(times[name]) / 1e3:9.1f}ms "
                    f"{min(walls[name]) * 1e3:8.1f}ms "
                    f"{statistics.median(walls[name]) * 1e3:10.1f}ms "
                    f"{_module_count(env):8d}"
                )
            if len(envs) == 2:
                first, second = (min(t) for t in times.values())
                print(f"  importtime ratio current/baseline: {second / first:.2f}")


if __name__ == "__main__":
    main()
