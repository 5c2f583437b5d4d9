"""The scan cache: per-file results keyed by the file's content.

An entry is found by `(path, digest of the bytes)`, so an unchanged file is
never parsed twice, and a file whose content returns to an earlier version (a
git checkout, a past commit scanned by `--history`) hits again. To avoid even
reading unchanged files, a stat index (`mtime_ns`, size) points at the digest
last seen for each path. The whole cache is invalidated by a new errkit
version or a different configuration, because results depend on both (module
ownership, code policy).

The cache lives in one pickle file per key under `.errkit_cache/` at the scan
root (or `$ERRKIT_CACHE_DIR`); it is written atomically and a corrupt or
unreadable cache is treated as empty.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
from pathlib import Path

from errkit.analysis.sites import FileScan

__all__ = ["SCHEMA", "ScanCache", "cache_key", "digest"]

log = logging.getLogger("errkit.analysis")

#: Bumped whenever the scanner's results change shape or meaning.
SCHEMA = "scan-9"

_Stat = tuple[int, int, str]  # mtime_ns, size, digest


def digest(data: bytes) -> str:
    """The content key of one file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_key(config_fingerprint: str) -> str:
    """One key per errkit version, scanner schema and configuration."""
    from errkit import __version__

    text = f"{__version__}\0{SCHEMA}\0{config_fingerprint}"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class ScanCache:
    """Content-keyed `FileScan`s for one cache key; `save()` writes what was used."""

    def __init__(self, folder: str | Path, key: str) -> None:
        self.path = Path(folder) / f"scan-{key}.pickle"
        self._scans: dict[tuple[str, str], FileScan] = {}
        self._stats: dict[str, _Stat] = {}
        self._used: set[tuple[str, str]] = set()
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("ignoring unreadable scan cache %s: %s", self.path, exc)
            return
        # Tens of thousands of acyclic records: pausing the cyclic collector
        # while they are created makes a warm start several times faster.
        enabled = gc.isenabled()
        gc.disable()
        try:
            stats, scans = pickle.loads(data)
        except Exception as exc:  # noqa: BLE001 - a broken cache is an empty cache
            log.warning("ignoring unreadable scan cache %s: %s", self.path, exc)
            return
        finally:
            if enabled:
                gc.enable()
        self._stats, self._scans = stats, scans

    def by_stat(self, path: str, mtime_ns: int, size: int) -> FileScan | None:
        """The scan of `path` if it has not changed since it was cached."""
        seen = self._stats.get(path)
        if seen is None or seen[0] != mtime_ns or seen[1] != size:
            return None
        return self.get(path, seen[2])

    def get(self, path: str, key: str) -> FileScan | None:
        """The scan of `path` with content digest `key`, if cached."""
        scan = self._scans.get((path, key))
        if scan is not None:
            self._used.add((path, key))
        return scan

    def put(
        self, path: str, key: str, scan: FileScan, stat: tuple[int, int] | None = None
    ) -> None:
        """Remember a fresh scan (and the file's stat, when it came from disk)."""
        self._scans[(path, key)] = scan
        self._used.add((path, key))
        if stat is not None:
            self._stats[path] = (stat[0], stat[1], key)
        self._dirty = True

    def save(self) -> None:
        """Write the cache atomically; failures only log.

        A path seen in this run keeps only the content it has now (older
        versions are dropped); paths this run did not look at (a scan of a
        sub-folder) keep their entries.
        """
        if not self._dirty and len(self._used) == len(self._scans):
            return
        seen = {path for path, _ in self._used}
        scans = {
            k: v for k, v in self._scans.items() if k in self._used or k[0] not in seen
        }
        stats = {p: s for p, s in self._stats.items() if (p, s[2]) in scans}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by errkit\n*\n", encoding="utf-8")
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump((stats, scans), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("cannot write scan cache %s: %s", self.path, exc)
