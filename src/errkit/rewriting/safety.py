"""Start-up and pre-write checks: the libcst version, and dirty git files.

libcst must be new enough to print current syntax back exactly (older releases
panicked on mixed line endings, migration case BR-19). A migration refuses to
write over uncommitted changes, so `git diff` always shows exactly what the
migration did and `git checkout` can undo it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

#: The oldest libcst that round-trips the syntax errkit rewrites.
MIN_LIBCST = (1, 9, 0)


class LibcstVersionError(RuntimeError):
    """The installed libcst is older than the pinned version (or missing)."""


class DirtyFilesError(RuntimeError):
    """Files the migration would write have uncommitted changes."""

    def __init__(self, paths: list[str]) -> None:
        shown = ", ".join(repr(p) for p in paths[:5])
        more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
        super().__init__(
            f"files to rewrite must have no uncommitted changes; {shown}{more} "
            "do (commit or stash them, or pass --allow-dirty)"
        )
        self.paths = paths


def require_libcst() -> str:
    """The installed libcst version; raises `LibcstVersionError` if too old."""
    try:
        version = metadata.version("libcst")
    except metadata.PackageNotFoundError as exc:
        msg = "errkit migrate needs libcst; install errkit[cli]"
        raise LibcstVersionError(msg) from exc
    if _parse(version) < MIN_LIBCST:
        wanted = ".".join(map(str, MIN_LIBCST))
        msg = (
            f"libcst must be >= {wanted} to rewrite files without changing their "
            f"bytes; found {version!r} (install errkit[cli] to get the pinned one)"
        )
        raise LibcstVersionError(msg)
    return version


def _parse(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(c for c in piece if c.isdigit()) or "0"
        parts.append(int(digits))
    return tuple(parts)


def dirty_files(paths: Iterable[Path]) -> list[str]:
    """Those of `paths` with uncommitted changes in their git work tree.

    Untracked files count as uncommitted. A path outside any git work tree, or a
    machine without git, has nothing to lose to version control and is not listed.
    """
    by_root: dict[Path, list[Path]] = {}
    for path in paths:
        root = _work_tree(path.resolve().parent)
        if root is not None:
            by_root.setdefault(root, []).append(path.resolve())
    dirty: list[str] = []
    for root, files in by_root.items():
        result = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--", *map(str, files)],
            cwd=root,
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            continue
        for entry in result.stdout.decode("utf-8", "replace").split("\0"):
            if len(entry) > 3:
                dirty.append(str(root / entry[3:]))
    return sorted(dirty)


def outside_git(paths: Iterable[Path]) -> bool:
    """Whether any of `paths` lies outside every git work tree (or git is missing).

    Such a file cannot be restored with `git checkout` after it is rewritten.
    """
    roots: dict[Path, bool] = {}
    for path in paths:
        folder = path.resolve().parent
        if folder not in roots:
            roots[folder] = _work_tree(folder) is None
        if roots[folder]:
            return True
    return False


def _work_tree(folder: Path) -> Path | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return Path(result.stdout.decode().strip())
