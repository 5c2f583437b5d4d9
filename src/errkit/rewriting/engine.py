"""The migration run: plan with `ast`, allocate codes, rewrite with libcst.

Three steps, so that libcst only ever parses files that have something to rewrite
and codes are given in a fixed order whatever the number of workers:

1. plan (process pool): read each file and find its edits with `ast`;
2. allocate (this process): give codes to coded edits, file by file in path order;
3. rewrite (process pool): parse the planned files with libcst, refuse any file it
   does not print back byte for byte, apply the edits, and check the result with
   `ast` before it can be written.

Nothing here writes files: `errkit migrate --apply` writes the results.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from errkit.analysis.sites import Site, SiteKind, SiteState, Skipped
from errkit.rewriting.codes import CodeAllocator
from errkit.rewriting.config_codes import MigrateConfig, ModuleSpec
from errkit.rewriting.layout import LINE_LENGTH
from errkit.rewriting.planner import plan_source
from errkit.rewriting.results import FileOutcome, SkipWhy, Status
from errkit.rewriting.targets import (
    ChainEdit,
    ClassEdit,
    Declined,
    FilePlan,
    HandlerNameEdit,
    RaiseEdit,
    SpawnEdit,
)

if TYPE_CHECKING:
    from errkit.analysis.config import ToolConfig

log = logging.getLogger("errkit.rewriting")

#: Folders never migrated, on top of the config's `exclude`.
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    ".eggs",
    "site-packages",
)


@dataclass(frozen=True, slots=True)
class MigrateOptions:
    """What to rewrite and how."""

    kinds: frozenset[SiteKind]
    jobs: int | None = None  # None: one worker per core; 1: no pool
    #: The scanner's sites per absolute path (None for a file it skipped). When
    #: given, only files with unmigrated sites are planned, and only at those
    #: sites; without it the planner's own site rules decide.
    sites: Mapping[str, tuple[Site, ...] | None] | None = None
    #: Files the scanner skipped, per absolute path: reported with the scanner's
    #: own tag and message (the same line `errkit scan` prints), never re-parsed.
    skips: Mapping[str, Skipped] = field(default_factory=dict)
    #: Codes already used in the tree, per module (the scanner's declarations).
    taken: Mapping[str, frozenset[int]] = field(default_factory=dict)
    #: Lines a rewrite makes longer than this are spread over lines.
    line_length: int = LINE_LENGTH


@dataclass
class MigrateRun:
    """Every file's outcome and the codes this run allocated, per module."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    allocations: dict[str, dict[int, str]] = field(default_factory=dict)

    def by_status(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status is status]

    def rewritten(self) -> Counter[str]:
        """Sites migrated, per kind name, over all files."""
        total: Counter[str] = Counter()
        for outcome in self.outcomes:
            total.update(dict(outcome.rewritten))
        return total


# --- file selection ----------------------------------------------------------------


def python_files(
    roots: Iterable[Path], base: Path, exclude: Sequence[str] = ()
) -> list[Path]:
    """Python files under `roots`, minus excluded folders and globs, sorted."""
    found: set[Path] = set()
    for root in roots:
        if root.is_file():
            found.add(root.resolve())
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in DEFAULT_EXCLUDE)
            for name in files:
                if name.endswith(".py"):
                    found.add((Path(folder) / name).resolve())

    def excluded(path: Path) -> bool:
        try:
            relative = path.relative_to(base.resolve()).as_posix()
        except ValueError:
            return False
        return any(fnmatch.fnmatch(relative, pattern) for pattern in exclude)

    return sorted(p for p in found if not excluded(p))


# --- the three steps -----------------------------------------------------------------


def migrate(
    files: Sequence[Path], config: MigrateConfig, options: MigrateOptions
) -> MigrateRun:
    """Plan, allocate and rewrite `files`; returns the outcomes, writes nothing."""
    run = MigrateRun()
    jobs: list[tuple[str, str, frozenset[SiteKind], tuple[Site, ...] | None]] = []
    for path in files:
        spec = config.module_for(path)
        if spec is None:
            run.outcomes.append(FileOutcome(str(path), Status.NOT_IN_MODULE))
            continue
        skip = options.skips.get(str(path))
        if skip is not None:
            run.outcomes.append(
                FileOutcome(
                    str(path),
                    Status.SKIPPED,
                    module=spec.name,
                    why=SkipWhy(skip.reason.value),
                    error=skip.error,
                    detail=skip.detail,
                    line=skip.line,
                )
            )
            continue
        sites: tuple[Site, ...] | None = None
        if options.sites is not None:
            sites = options.sites.get(str(path))
            if sites is not None and not any(
                site.kind in options.kinds and site.state is SiteState.UNMIGRATED
                for site in sites
            ):
                # Nothing to rewrite: not even `ast` needs to read this file.
                run.outcomes.append(
                    FileOutcome(str(path), Status.UNCHANGED, module=spec.name)
                )
                continue
        jobs.append((str(path), spec.name, options.kinds, sites))

    workers = _Workers(options.jobs)
    try:
        return _run(jobs, config, options, workers, run)
    finally:
        workers.close()


def _run(
    jobs: list[tuple[str, str, frozenset[SiteKind], tuple[Site, ...] | None]],
    config: MigrateConfig,
    options: MigrateOptions,
    workers: _Workers,
    run: MigrateRun,
) -> MigrateRun:
    planned: list[FileOutcome | FilePlan] = _pool_map(
        _plan_job, jobs, workers, lambda job: _crashed(job[0])
    )
    plans: list[FilePlan] = []
    taken: dict[str, set[int]] = {k: set(v) for k, v in options.taken.items()}
    for result in planned:
        if isinstance(result, FilePlan):
            for module, code in result.declared:
                taken.setdefault(module, set()).add(code)
    for job, result in zip(jobs, planned):
        if isinstance(result, FileOutcome):
            run.outcomes.append(result)
        elif result.edits:
            plans.append(result)
        else:
            run.outcomes.append(
                FileOutcome(
                    job[0], Status.UNCHANGED, module=job[1], declined=result.declined
                )
            )

    modules = {spec.name: spec for spec in config.modules}
    plans = _allocate(plans, modules, config, run, taken)
    module_of = {job[0]: job[1] for job in jobs}
    rewrite_jobs = [(plan, module_of[plan.path], options.line_length) for plan in plans]
    run.outcomes.extend(
        _pool_map(
            _rewrite_job, rewrite_jobs, workers, lambda job: _crashed(job[0].path)
        )
    )
    run.outcomes.sort(key=lambda outcome: outcome.path)
    return run


def scanner_view(
    root: Path, jobs: int | None = None, tool: ToolConfig | None = None
) -> tuple[
    dict[str, tuple[Site, ...] | None],
    dict[str, frozenset[int]],
    dict[str, Skipped],
]:
    """The scanner's sites per absolute path, the codes used, and skipped files.

    Uses the analysis layer's own config (`tool`, else loaded from `root`) and
    scanner, without its cache so a `--diff` run writes nothing.
    """
    from errkit.analysis.config import load_config
    from errkit.analysis.scanner import scan_tree

    if tool is None:
        tool = load_config(root)
    sites: dict[str, tuple[Site, ...] | None] = {}
    skips: dict[str, Skipped] = {}
    taken: dict[str, set[int]] = {}
    for scan in scan_tree(root, tool, jobs=jobs, cache=False):
        where = str((root / scan.path).resolve())
        sites[where] = None if scan.skipped is not None else scan.sites
        if scan.skipped is not None:
            skips[where] = scan.skipped
        for declared in scan.codes:
            taken.setdefault(declared.module, set()).add(declared.code)
    codes = {module: frozenset(found) for module, found in taken.items()}
    return sites, codes, skips


def _allocate(
    plans: list[FilePlan],
    modules: dict[str, ModuleSpec],
    config: MigrateConfig,
    run: MigrateRun,
    taken: dict[str, set[int]],
) -> list[FilePlan]:
    """Give every coded edit its code, in path order; drop what a full block stops.

    Codes already written in the tree (`taken`) are never handed out again, so a
    new class cannot collide with a hand-written one at import time.
    """
    allocators = {
        name: CodeAllocator(
            name, spec.low, spec.high, spec.codes, taken.get(name, set())
        )
        for name, spec in modules.items()
    }
    result = []
    for plan in sorted(plans, key=lambda p: p.path):
        spec = config.module_for(Path(plan.path))
        assert spec is not None  # only owned files were planned
        allocator = allocators[spec.name]
        codes: dict[tuple[int, int], int | None] = {}
        declined = list(plan.declined)
        for edit in plan.edits:
            if isinstance(edit, (RaiseEdit, ClassEdit)) and edit.request is not None:
                request = edit.request
                code = allocator.allocate(request.category, request.key)
                codes[(edit.line, edit.col)] = code
                if code is None:
                    kind = (
                        SiteKind.RAISE_GENERIC
                        if isinstance(edit, RaiseEdit)
                        else SiteKind.ERROR_CLASS
                    )
                    declined.append(
                        Declined(
                            kind,
                            edit.line,
                            edit.col,
                            f"the {request.category} block of module {spec.name!r} "
                            f"({spec.low}-{spec.high}) is full",
                        )
                    )
        plan = replace(plan.with_codes(codes), declined=tuple(declined))
        if not any(_needs_errkit(e) for e in plan.edits):
            plan = replace(plan, import_before=None)
        if plan.edits:
            result.append(plan)
        else:
            run.outcomes.append(
                FileOutcome(
                    plan.path,
                    Status.UNCHANGED,
                    module=spec.name,
                    declined=plan.declined,
                )
            )
    run.allocations = {name: a.new for name, a in allocators.items() if a.new}
    return result


def _needs_errkit(edit: object) -> bool:
    return not isinstance(edit, (ChainEdit, HandlerNameEdit))


def count_kinds(plan: FilePlan) -> tuple[tuple[str, int], ...]:
    """Sites migrated by `plan`, per kind name."""
    counts: Counter[str] = Counter()
    for edit in plan.edits:
        if isinstance(edit, RaiseEdit):
            counts[SiteKind.RAISE_GENERIC.value] += 1
        elif isinstance(edit, ChainEdit):
            counts[SiteKind.RAISE_UNCHAINED.value] += 1
        elif isinstance(edit, ClassEdit):
            kind = SiteKind.ERROR_CLASS if edit.request else SiteKind.SPAWN_THREAD
            counts[kind.value] += 1
        elif isinstance(edit, SpawnEdit):
            counts[edit.kind.value] += 1
    return tuple(sorted(counts.items()))


def rewrite_source(
    data: bytes,
    allocator: CodeAllocator,
    kinds: frozenset[SiteKind] | None = None,
    path: str = "<source>",
    line_length: int = LINE_LENGTH,
) -> bytes:
    """One file's bytes migrated in this process, codes from `allocator`.

    For tests and tools that hold a source in memory; raises what the parsers raise.
    """
    from errkit.rewriting.kinds import REWRITE_KINDS

    plan = plan_source(data, path, allocator.module, kinds or frozenset(REWRITE_KINDS))
    codes = {
        (edit.line, edit.col): allocator.allocate(
            edit.request.category, edit.request.key
        )
        for edit in plan.edits
        if isinstance(edit, (RaiseEdit, ClassEdit)) and edit.request is not None
    }
    plan = plan.with_codes(codes)
    if not any(_needs_errkit(e) for e in plan.edits):
        plan = replace(plan, import_before=None)
    if not plan.edits:
        return data
    return rewrite_bytes(data, plan, allocator.module, line_length)


# --- workers: each returns a value for every file, never raises ------------------------


def parse_failure(exc: BaseException) -> SkipWhy:
    """The scanner's tag for a parser failure, or `UNPARSABLE` for libcst's own.

    The same file gets the same tag from `errkit scan` and `errkit migrate`.
    """
    if isinstance(exc, UnicodeError) or (
        isinstance(exc, SyntaxError) and "encoding" in str(exc)
    ):
        return SkipWhy.UNDECODABLE
    if isinstance(exc, (SyntaxError, ValueError)) and type(exc).__module__ in (
        "builtins",
        "exceptions",
    ):
        return SkipWhy.SYNTAX_ERROR
    if isinstance(exc, (MemoryError, RecursionError)):
        return SkipWhy.TOO_COMPLEX
    return SkipWhy.UNPARSABLE


def _failure(
    path: str, why: SkipWhy, exc: BaseException, module: str | None = None
) -> FileOutcome:
    if why is SkipWhy.UNPARSABLE:
        why = parse_failure(exc)
    line = getattr(exc, "lineno", None)
    if line is None:
        line = getattr(getattr(exc, "raw_line", None), "__int__", lambda: None)()
    return FileOutcome(
        path,
        Status.SKIPPED,
        module=module,
        why=why,
        error=type(exc).__name__,
        detail=_message(exc),
        line=line if isinstance(line, int) else None,
    )


def _message(exc: BaseException) -> str:
    """The first line of `exc`'s message; a SyntaxError's without its location."""
    if isinstance(exc, SyntaxError) and exc.msg:
        return exc.msg
    text = str(exc)
    return text.splitlines()[0] if text else ""


def _crashed(path: str) -> FileOutcome:
    return FileOutcome(
        path,
        Status.SKIPPED,
        why=SkipWhy.WORKER_CRASHED,
        error="BrokenProcessPool",
        detail="the worker process died",
    )


def _plan_job(
    job: tuple[str, str, frozenset[SiteKind], tuple[Site, ...] | None],
) -> FileOutcome | FilePlan:
    path, module, kinds, sites = job
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _failure(path, SkipWhy.UNREADABLE, exc, module)
    try:
        return plan_source(data, path, module, kinds, sites)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - any parser failure skips the file
        return _failure(path, SkipWhy.UNPARSABLE, exc, module)


def _rewrite_job(job: tuple[FilePlan, str, int]) -> FileOutcome:
    plan, module, line_length = job
    path = plan.path
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _failure(path, SkipWhy.UNREADABLE, exc, module)
    if hashlib.sha256(data).hexdigest() != plan.digest:
        return FileOutcome(
            path, Status.SKIPPED, module=module, why=SkipWhy.CHANGED_ON_DISK
        )
    try:
        after = rewrite_bytes(data, plan, module, line_length)
    except (KeyboardInterrupt, SystemExit):
        raise
    except _Skip as skip:
        return _failure(path, skip.why, skip.cause, module)
    except BaseException as exc:  # noqa: BLE001 - pyo3 panics are BaseExceptions
        return _failure(path, SkipWhy.UNPARSABLE, exc, module)
    return FileOutcome(
        path,
        Status.CHANGED if after != data else Status.UNCHANGED,
        module=module,
        before=data,
        after=after,
        rewritten=count_kinds(plan),
        declined=plan.declined,
    )


class _Skip(Exception):
    """Not an error of errkit: carries why a file is left alone to the worker."""

    def __init__(self, why: SkipWhy, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.why = why
        self.cause = cause


def rewrite_bytes(
    data: bytes, plan: FilePlan, module: str, line_length: int = LINE_LENGTH
) -> bytes:
    """`data` with `plan` applied; raises `_Skip` (or the parser's error) on failure."""
    import libcst as cst

    from errkit.rewriting.transformer import (
        NodeMismatchError,
        RoundTripError,
        rewrite_module,
    )

    tree = cst.parse_module(data)
    try:
        after = rewrite_module(tree, data, plan, module, line_length)
    except RoundTripError as exc:
        raise _Skip(SkipWhy.ROUND_TRIP, exc) from exc
    except NodeMismatchError as exc:
        raise _Skip(SkipWhy.MISMATCH, exc) from exc
    except UnicodeEncodeError as exc:
        raise _Skip(SkipWhy.UNENCODABLE, exc) from exc
    try:
        _check_future_imports(ast.parse(after))
    except (SyntaxError, ValueError) as exc:
        raise _Skip(SkipWhy.BROKEN_OUTPUT, exc) from exc
    return after


def _check_future_imports(tree: ast.Module) -> None:
    """Raise SyntaxError if a `__future__` import no longer opens the file.

    `ast.parse` accepts a misplaced one; only the compiler rejects it.
    """
    body = tree.body
    start = 1 if body and isinstance(body[0], ast.Expr) else 0
    header = True
    for statement in body[start:]:
        future = isinstance(statement, ast.ImportFrom) and (
            statement.module == "__future__"
        )
        if future and not header:
            msg = "from __future__ imports must occur at the beginning of the file"
            raise SyntaxError(msg)
        header = header and future


# --- the pool ------------------------------------------------------------------------

_Job = TypeVar("_Job")
_Result = TypeVar("_Result")


class _Workers:
    """One process pool shared by the plan and rewrite steps, made on first use.

    Sharing saves starting (and importing into) a second set of processes; a pool
    broken by a dying worker is replaced.
    """

    def __init__(self, workers: int | None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def discard(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _pool_map(
    work: Callable[[_Job], _Result],
    jobs: Sequence[_Job],
    workers: _Workers,
    crashed: Callable[[_Job], _Result],
) -> list[_Result]:
    """`work` over `jobs`, in order; a job whose worker died gets `crashed(job)`."""
    if not jobs:
        return []
    if workers.workers == 1 or len(jobs) == 1:
        return [work(job) for job in jobs]
    results: list[_Result | None] = [None] * len(jobs)
    lost: list[int] = []
    pool = workers.pool()
    chunk = max(1, min(32, len(jobs) // (workers.workers * 4)))
    futures: list[Future[list[_Result]]] = [
        pool.submit(_run_chunk, work, list(jobs[i : i + chunk]))
        for i in range(0, len(jobs), chunk)
    ]
    for start, future in zip(range(0, len(jobs), chunk), futures):
        try:
            for offset, value in enumerate(future.result()):
                results[start + offset] = value
        except BrokenProcessPool:
            lost.extend(range(start, min(start + chunk, len(jobs))))
    if lost:
        workers.discard()
    for index in lost:
        # One process per lost job, so a file that kills its worker costs only itself.
        results[index] = _isolated(work, jobs[index], crashed)
    return [r for r in results if r is not None]


def _run_chunk(work: Callable[[_Job], _Result], jobs: list[_Job]) -> list[_Result]:
    return [work(job) for job in jobs]


def _isolated(
    work: Callable[[_Job], _Result], job: _Job, crashed: Callable[[_Job], _Result]
) -> _Result:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(work, job).result()
        except BrokenProcessPool:
            log.warning("a worker died while migrating one file")
            return crashed(job)


def iter_diff_lines(outcome: FileOutcome, root: Path) -> Iterator[str]:
    """A unified diff of one changed file, relative to `root`."""
    import difflib

    from errkit.rewriting.planner import decode_source

    assert outcome.before is not None and outcome.after is not None
    try:
        name = Path(outcome.path).relative_to(root.resolve()).as_posix()
    except ValueError:
        name = outcome.path
    yield from difflib.unified_diff(
        decode_source(outcome.before).splitlines(keepends=True),
        decode_source(outcome.after).splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
