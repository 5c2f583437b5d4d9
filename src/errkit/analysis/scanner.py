"""The scanner: every site of the migration checklist in a file or a tree.

`scan_source` scans one file's bytes and never raises for bad input: a file
that cannot be decoded or parsed comes back as a `FileScan` whose `skipped`
says why and where. `scan_tree` finds the Python files under a root (minus the
default and configured excludes), scans them in a process pool, reuses cached
results for unchanged content, and then runs the tree-wide pass (Thread
subclasses across files, code policy). Paths in the records are posix paths
relative to the config's folder, so reports do not depend on where they ran.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from errkit.analysis.config import DEFAULT_EXCLUDES, ToolConfig
from errkit.analysis.sites import FileScan, Skipped, SkipReason

if TYPE_CHECKING:
    from errkit.analysis.cache import ScanCache

__all__ = ["discover", "scan_blobs", "scan_file", "scan_source", "scan_tree"]

log = logging.getLogger("errkit.analysis")

Progress = Callable[[int, int], None]

#: Below this many files to parse, a process pool costs more than it saves.
_POOL_THRESHOLD = 24


def scan_source(
    data: bytes,
    path: str,
    config: ToolConfig | None = None,
    *,
    module_name: str | None = None,
) -> FileScan:
    """Scan one file's bytes; `path` is how the records name it (posix, relative).

    `module_name` is the dotted name the file is imported as, for resolving
    relative imports and classes across files; by default it is derived from
    `path`.
    """
    from errkit.analysis._names import module_name_for
    from errkit.analysis._source import (
        SkipFile,
        count_lines,
        decode_source,
        parse_source,
    )
    from errkit.analysis._visitor import FileVisitor

    config = config or ToolConfig()
    if module_name is None:
        module_name = module_name_for(path)
    try:
        parsed = parse_source(data, path)
    except SkipFile as skip:
        try:
            lines = count_lines(decode_source(data)[0])
        except SkipFile:
            lines = data.count(b"\n")
        return FileScan(path, lines, skipped=skip.skipped, module_name=module_name)
    visitor = FileVisitor(parsed, path, module_name, config.module_for(path))
    try:
        visitor.run()
    except RecursionError as exc:  # nesting the parser took but our walk cannot
        skipped = Skipped(SkipReason.TOO_COMPLEX, "RecursionError", str(exc), None)
        return FileScan(
            path, count_lines(parsed.text), skipped=skipped, module_name=module_name
        )
    except Exception as exc:  # a scanner bug must not end the run, nor hide
        log.exception("errkit failed to scan %s", path)
        detail = f"{exc} (a bug in errkit's scanner; please report it)"
        skipped = Skipped(SkipReason.SCANNER_ERROR, type(exc).__name__, detail, None)
        return FileScan(
            path, count_lines(parsed.text), skipped=skipped, module_name=module_name
        )

    return FileScan(
        path=path,
        lines=count_lines(parsed.text),
        sites=tuple(visitor.sites),
        codes=tuple(visitor.codes),
        module_name=module_name,
        encoding=parsed.encoding,
        classes=tuple(visitor.classes),
        exports=tuple(visitor.exports),
    )


def scan_file(abspath: str | Path, rel: str, config: ToolConfig) -> FileScan:
    """Read and scan one file; an unreadable file is a skipped `FileScan`."""
    try:
        data = Path(abspath).read_bytes()
    except OSError as exc:
        skipped = Skipped(SkipReason.UNREADABLE, type(exc).__name__, str(exc), None)
        return FileScan(rel, skipped=skipped)
    return scan_source(data, rel, config)


def discover(root: str | Path, config: ToolConfig) -> list[tuple[str, str]]:
    """`(relative posix path, absolute path)` of every Python file to scan, sorted.

    `root` may be a file or a folder; paths are relative to `config.root` when
    `root` lies inside it, else to `root`.
    """
    root = os.path.abspath(root)
    base = os.path.abspath(config.root)
    if os.path.commonpath([root, base]) != base:
        base = root if os.path.isdir(root) else os.path.dirname(root)
    if os.path.isfile(root):
        return [(_rel(root, base), root)]
    plain = {p for p in DEFAULT_EXCLUDES if not _is_pattern(p)}
    patterns = [p for p in DEFAULT_EXCLUDES if _is_pattern(p)]
    found: list[tuple[str, str]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if name in plain or any(fnmatch.fnmatchcase(name, p) for p in patterns):
                    continue
                if config.exclude and config.is_excluded(_rel(entry.path, base)):
                    continue
                if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue  # a virtual environment, whatever its name
                stack.append(entry.path)
            elif name.endswith(".py") and entry.is_file():
                rel = _rel(entry.path, base)
                if not (config.exclude and config.is_excluded(rel)):
                    found.append((rel, entry.path))
    found.sort()

    return found


def scan_tree(
    root: str | Path,
    config: ToolConfig,
    *,
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> list[FileScan]:
    """Scan every Python file under `root`; results sorted by path.

    `jobs` is the number of worker processes (default: the CPU count); `cache`
    reuses results for unchanged content from `cache_dir` (default
    `$ERRKIT_CACHE_DIR` or `.errkit_cache` in the config's folder).
    """
    from errkit.analysis._crossfile import link_tree

    files = discover(root, config)
    store = _open_cache(config, cache_dir) if cache else None
    results: dict[str, FileScan] = {}
    todo: list[tuple[str, str, tuple[int, int] | None]] = []
    for rel, path in files:
        stat = None
        if store is not None:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is not None:
                stat = (st.st_mtime_ns, st.st_size)
                hit = store.by_stat(rel, *stat)
                if hit is not None:
                    results[rel] = hit
                    continue
        todo.append((rel, path, stat))
    if todo:
        for rel, key, scan, stat in _scan_many(
            todo, config, jobs, store, progress, len(files)
        ):
            results[rel] = scan
            if store is not None and key is not None:
                store.put(rel, key, scan, stat)
    if store is not None:
        store.save()

    return link_tree([results[rel] for rel, _ in files], config)


def scan_blobs(
    blobs: Iterable[tuple[str, bytes]],
    config: ToolConfig,
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> list[FileScan]:
    """Scan in-memory file contents (a past commit), through the content cache."""
    from errkit.analysis._crossfile import link_tree
    from errkit.analysis.cache import digest

    # past versions live in their own cache file, so the working tree's scans
    # and the history's do not evict each other
    store = _open_cache(config, cache_dir, "history") if cache else None
    scans = []
    for rel, data in blobs:
        key = digest(data)
        scan = store.get(rel, key) if store is not None else None
        if scan is None:
            scan = scan_source(data, rel, config)
            if store is not None:
                store.put(rel, key, scan)
        scans.append(scan)
    if store is not None:
        store.save()
    return link_tree(scans, config)


# ----------------------------------------------------------------- internals


def _open_cache(
    config: ToolConfig, cache_dir: str | Path | None, kind: str = "tree"
) -> ScanCache:
    from errkit.analysis.cache import ScanCache, cache_key

    folder = (
        cache_dir
        or os.environ.get("ERRKIT_CACHE_DIR")
        or (Path(config.root) / ".errkit_cache")
    )
    return ScanCache(folder, f"{kind}-{cache_key(config.fingerprint())}")


def _scan_many(
    todo: Sequence[tuple[str, str, tuple[int, int] | None]],
    config: ToolConfig,
    jobs: int | None,
    store: object,
    progress: Progress | None,
    total: int,
) -> Iterable[tuple[str, str | None, FileScan, tuple[int, int] | None]]:
    done = total - len(todo)
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(todo) < _POOL_THRESHOLD:
        for item in todo:
            with _no_gc():
                result = _scan_one(item, config, store)
            yield result
            done += 1
            if progress:
                progress(done, total)
        return

    from concurrent.futures import ProcessPoolExecutor

    # Small chunks keep both workers busy to the end; big files come first so
    # the last chunk is not the slowest.
    ordered = sorted(todo, key=lambda t: -_size(t[1]))
    size = max(1, min(32, len(ordered) // (jobs * 8)))
    chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(config,)
    ) as pool:
        for batch in pool.map(_scan_chunk, chunks):
            for result in batch:
                yield result
                done += 1
            if progress:
                progress(done, total)


def _scan_one(
    item: tuple[str, str, tuple[int, int] | None], config: ToolConfig, store: object
) -> tuple[str, str | None, FileScan, tuple[int, int] | None]:
    from errkit.analysis.cache import ScanCache, digest

    rel, path, stat = item
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        skipped = Skipped(SkipReason.UNREADABLE, type(exc).__name__, str(exc), None)
        return rel, None, FileScan(rel, skipped=skipped), None
    key = digest(data)
    if isinstance(store, ScanCache):
        hit = store.get(rel, key)
        if hit is not None:
            return rel, key, hit, stat
    module = _import_name(path, rel)
    return rel, key, scan_source(data, rel, config, module_name=module), stat


_WORKER_CONFIG: ToolConfig | None = None


def _init_worker(config: ToolConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _scan_chunk(
    items: list[tuple[str, str, tuple[int, int] | None]],
) -> list[tuple[str, str | None, FileScan, tuple[int, int] | None]]:
    config = _WORKER_CONFIG or ToolConfig()
    with _no_gc():
        return [_scan_one(item, config, None) for item in items]


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing.

    An `ast` tree is acyclic and freed by reference counting, but its hundreds
    of thousands of nodes trigger collections that traverse them all: with the
    collector paused, parsing the standard library takes about 40% less time.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_PACKAGES: dict[str, str | None] = {}


def _import_name(abspath: str, rel: str) -> str:
    """The dotted name a file is imported as, from the `__init__.py` files above it.

    Scanning `src/pkg/sub` must still call `src/pkg/sub/mod.py` `pkg.sub.mod`,
    or imports of `pkg.sub.mod.X` in other files would not resolve. A file
    outside any regular package falls back to its path under the scan root.
    """
    from errkit.analysis._names import module_name_for

    folder, name = os.path.split(abspath)
    package = _package_of(folder)
    if package is None:
        return module_name_for(rel)
    stem = name.removesuffix(".py")
    return package if stem == "__init__" else f"{package}.{stem}"


def _package_of(folder: str) -> str | None:
    """`a.b` for a folder `.../a/b` whose chain of `__init__.py` starts at `a`."""
    if folder in _PACKAGES:
        return _PACKAGES[folder]
    if not os.path.isfile(os.path.join(folder, "__init__.py")):
        found = None
    else:
        parent, base = os.path.split(folder)
        above = _package_of(parent) if parent != folder else None
        found = f"{above}.{base}" if above else base
    _PACKAGES[folder] = found
    return found


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _rel(path: str, base: str) -> str:
    prefix = base.rstrip(os.sep) + os.sep
    if path.startswith(prefix):  # the common case, without relpath's cost
        rel = path[len(prefix) :]
    else:
        rel = os.path.relpath(path, base)
    return rel.replace(os.sep, "/")


def _is_pattern(text: str) -> bool:
    return any(ch in text for ch in "*?[")
