"""`errkit status` on real trees: files, lines, sites by kind, skipped files, times.

    python benchmarks/scan_corpus.py TREE [TREE ...]
    python benchmarks/scan_corpus.py --counts FOLDER [FOLDER ...]

Each tree is scanned twice through the `errkit` command (2 workers): cold with an
empty cache, then warm. Prints one Markdown table row per tree, as recorded in
benchmarks/RESULTS.md. Trees are, for instance, a copy of the standard library
and the projects of /tmp/corpus/src (see the shared corpus README).

`--counts` prints instead, per folder, the counts the corpus README lists as
grep figures (raise ValueError, raise in except without from (unmigrated
raise-unchained sites; chained ones are migrated sites), threads,
submit/run_in_executor, create_task/ensure_future), as the scanner finds them;
point it at each project's library folder to compare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

KINDS = (
    "spawn-thread", "spawn-task", "spawn-executor", "raise-generic", "raise-unchained",
    "error-class", "message-match", "swallow", "code-policy",
)  # fmt: skip


def status(tree: str, env: dict[str, str]) -> tuple[dict, int, float]:  # type: ignore[type-arg]
    errkit = str(Path(sys.executable).parent / "errkit")
    start = time.perf_counter()
    done = subprocess.run(
        [errkit, "status", tree, "--format", "json", "-j", "2"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    return json.loads(done.stdout), done.returncode, time.perf_counter() - start


def print_counts(folders: list[str]) -> None:
    errkit = str(Path(sys.executable).parent / "errkit")
    print("| folder | files | raise ValueError | raise-unchained | spawn-thread "
          "| submit / run_in_executor | spawn-task |")  # fmt: skip
    print("|---|--:|--:|--:|--:|--:|--:|")
    for folder in folders:
        done = subprocess.run(
            [errkit, "scan", folder, "--all", "--format", "json", "--no-cache"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        data = json.loads(done.stdout)
        n = _counter(data["sites"])
        print(
            f"| {folder} | {data['files']} "
            f"| {n('raise-generic', builtin='ValueError')} "
            f"| {n('raise-unchained', state='unmigrated')} | {n('spawn-thread')} "
            f"| {n('spawn-executor', call='submit')} / "
            f"{n('spawn-executor', call='run_in_executor')} | {n('spawn-task')} |"
        )


def _counter(sites: list[dict]) -> Callable[..., int]:  # type: ignore[type-arg]
    def n(kind: str, state: str | None = None, **detail: object) -> int:
        return sum(
            1
            for s in sites
            if s["kind"] == kind
            and (state is None or s["state"] == state)
            and all(s["detail"].get(k) == v for k, v in detail.items())
        )

    return n


def main() -> None:
    if sys.argv[1:2] == ["--counts"]:
        print_counts(sys.argv[2:])
        return
    head = [
        "tree",
        "files",
        "lines",
        *KINDS,
        "sites",
        "skipped",
        "exit",
        "cold s",
        "warm s",
    ]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "--:|" * (len(head) - 1))
    for tree in sys.argv[1:]:
        cache = tempfile.mkdtemp(prefix="errkit-corpus-")
        env = {**os.environ, "ERRKIT_CACHE_DIR": cache}
        data, code, cold = status(tree, env)
        _, _, warm = status(tree, env)
        shutil.rmtree(cache, ignore_errors=True)
        summary = data["summary"]
        by_kind = summary["sites"]["by_kind"]
        counts = [sum(by_kind.get(k, {}).values()) for k in KINDS]
        row = [
            Path(tree).name, summary["files"], summary["lines"], *counts,
            summary["sites"]["total"], summary["skipped_files"], code,
            f"{cold:.2f}", f"{warm:.2f}",
        ]  # fmt: skip
        print("| " + " | ".join(map(str, row)) + " |", flush=True)


if __name__ == "__main__":
    main()
