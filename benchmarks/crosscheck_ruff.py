"""Accuracy cross-check of errkit's scanner against ruff's nearest rules.

    python benchmarks/crosscheck_ruff.py TREE

Runs `errkit scan TREE --all --format json` and `ruff check --select
TRY002,B904,BLE001,S110 --output-format json`, matches findings by (file,
line), and prints, per pair of checks, how many both report and every
difference with its source line, so each can be explained (a different
definition) or fixed (a scanner bug). Pairs: raise-unchained (unmigrated
only) / B904,
swallow / S110, swallow / BLE001, raise-generic of `Exception` / TRY002.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PAIRS = (
    ("raise-unchained", "B904"),
    ("swallow", "S110"),
    ("swallow", "BLE001"),
    ("raise Exception", "TRY002"),
)


def main() -> None:
    tree = Path(sys.argv[1]).resolve()
    bin_dir = Path(sys.executable).parent
    scan = subprocess.run(
        [str(bin_dir / "errkit"), "scan", str(tree), "--all", "--format", "json",
         "--no-cache"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    lint = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--no-cache", "--select",
         "TRY002,B904,BLE001,S110", "--output-format", "json", "--exit-zero",
         str(tree)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    errkit: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for site in json.loads(scan.stdout)["sites"]:
        if site["kind"] == "raise-unchained" and site["state"] != "unmigrated":
            continue  # chained with `from`: migrated, and no B904 finding
        key = (str(tree / site["path"]), site["line"])
        errkit[site["kind"]].add(key)
        if (
            site["kind"] == "raise-generic"
            and site["detail"].get("builtin") == "Exception"
        ):
            errkit["raise Exception"].add(key)
    ruff: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for finding in json.loads(lint.stdout):
        ruff[finding["code"]].add((finding["filename"], finding["location"]["row"]))

    print("| errkit | ruff | errkit | ruff | both | errkit only | ruff only |")
    print("| --- | --- | --: | --: | --: | --: | --: |")
    details = []
    for mine, theirs in PAIRS:
        a, b = errkit[mine], ruff[theirs]
        print(f"| {mine} | {theirs} | {len(a)} | {len(b)} | {len(a & b)} | "
              f"{len(a - b)} | {len(b - a)} |")  # fmt: skip
        details.append((f"{mine} only (vs {theirs})", sorted(a - b)))
        details.append((f"{theirs} only (vs {mine})", sorted(b - a)))
    for title, places in details:
        print(f"\n{title}: {len(places)}")
        for path, line in places:
            text = (
                Path(path)
                .read_bytes()
                .split(b"\n")[line - 1]
                .decode("utf-8", "replace")
            )
            print(f"  {Path(path).relative_to(tree)}:{line}: {text.strip()[:80]}")


if __name__ == "__main__":
    main()
