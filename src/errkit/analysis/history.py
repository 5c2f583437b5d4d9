"""Measuring migration velocity from git history (`errkit status --history N`).

For each of the last N commits that touched the scanned folder, the files as
they were at that commit are read straight from git (no checkout) and scanned
through the content-keyed cache, so a file unchanged across commits is parsed
once. Each commit gives one `Sample`: its time and its unmigrated site count.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from errkit.analysis.config import DEFAULT_EXCLUDES, ToolConfig
from errkit.analysis.status import Sample

__all__ = ["HistoryError", "measure_history"]

log = logging.getLogger("errkit.analysis")


class HistoryError(Exception):
    """The folder is not in a git work tree, or git failed."""


def measure_history(
    root: str | Path, config: ToolConfig, count: int, *, cache: bool = True
) -> list[Sample]:
    """One sample for each of the last `count` commits touching `root`, newest first.

    Raises:
        HistoryError: git is missing, or `root` is not inside a git work tree.
    """
    from errkit.analysis.scanner import scan_blobs

    if count < 1:
        msg = f"count must be 1 or more, got {count!r}"
        raise ValueError(msg)
    base = Path(config.root).resolve()
    top = Path(_git(base, "rev-parse", "--show-toplevel").strip())
    prefix = base.relative_to(top).as_posix() if base != top else ""
    target = (
        Path(root).resolve().relative_to(top).as_posix()
        if Path(root).resolve() != top
        else "."
    )
    lines = _git(top, "log", f"-n{count}", "--format=%H %ct", "--", target).split("\n")
    commits = [line.split() for line in lines if line.strip()]

    samples = []
    for sha, stamp in commits:
        blobs = list(_files_at(top, sha, prefix, target, config))
        scans = scan_blobs(blobs, config, cache=cache)
        unmigrated = sum(scan.unmigrated for scan in scans)
        samples.append(Sample(sha[:12], int(stamp), unmigrated))
        log.debug("history: %s has %d unmigrated sites", sha[:12], unmigrated)
    return samples


def _files_at(
    top: Path, sha: str, prefix: str, target: str, config: ToolConfig
) -> Iterator[tuple[str, bytes]]:
    """`(path relative to the config folder, bytes)` of the Python files at `sha`."""
    listing = _git(top, "ls-tree", "-r", "-z", sha, "--", target)
    wanted: list[tuple[str, str]] = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        if not path.endswith(".py") or meta.split()[1] != "blob":
            continue
        rel = path[len(prefix) + 1 :] if prefix else path
        parts = rel.split("/")[:-1]
        if any(fnmatch.fnmatchcase(p, pat) for p in parts for pat in DEFAULT_EXCLUDES):
            continue
        if config.is_excluded(rel):
            continue
        wanted.append((rel, meta.split()[2]))
    if not wanted:
        return
    batch = "".join(f"{blob}\n" for _, blob in wanted).encode()
    out = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input=batch,
        capture_output=True,
        check=True,
    ).stdout
    pos = 0
    for rel, _ in wanted:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        start = header_end + 1
        yield rel, out[start : start + size]
        pos = start + size + 1


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except OSError as exc:
        msg = f"cannot run git in {cwd}: {exc}"
        raise HistoryError(msg) from exc
    if done.returncode != 0:
        msg = f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}"
        raise HistoryError(msg)
    return done.stdout
