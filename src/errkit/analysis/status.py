"""The migration status report, computed from scan results.

This is the data behind `errkit status`: per module and per file the sites by
kind and state, percent done by sites and by whole files, the next files to
migrate by module priority, and an estimate of the remaining effort. Renderers
(terminal, Markdown, JSON) live in the CLI layer and only format this data.

Definitions, so the numbers mean one thing everywhere:

- a site is *done* when it is migrated or exempt;
- percent by sites = done sites / all sites (100 when there are none);
- a file *needs work* when it has an unmigrated site; a file with sites and
  none unmigrated is *done*; percent by files = done files / files with sites;
- files outside every configured module are grouped by their top folder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from errkit.analysis.config import ModuleConfig, ToolConfig
from errkit.analysis.sites import FileScan, SiteKind, SiteState, Skipped

__all__ = [
    "Estimate",
    "FileStatus",
    "ModuleStatus",
    "Sample",
    "StatusReport",
    "Tally",
    "build_status",
    "estimate",
]

KINDS: tuple[SiteKind, ...] = tuple(SiteKind)
STATES: tuple[SiteState, ...] = tuple(SiteState)


@dataclass(frozen=True, slots=True)
class Tally:
    """Site counts by (kind, state)."""

    counts: dict[tuple[SiteKind, SiteState], int] = field(default_factory=dict)

    @classmethod
    def of(cls, scans: Sequence[FileScan]) -> Tally:
        counter: Counter[tuple[SiteKind, SiteState]] = Counter(
            (site.kind, site.state) for scan in scans for site in scan.sites
        )
        return cls(dict(counter))

    def count(
        self, kind: SiteKind | None = None, state: SiteState | None = None
    ) -> int:
        """Sites of `kind` (any if None) in `state` (any if None)."""
        return sum(
            n
            for (k, s), n in self.counts.items()
            if (kind is None or k is kind) and (state is None or s is state)
        )

    @property
    def total(self) -> int:
        return self.count()

    @property
    def unmigrated(self) -> int:
        return self.count(state=SiteState.UNMIGRATED)

    @property
    def done(self) -> int:
        return self.total - self.unmigrated

    @property
    def percent(self) -> float:
        """Percent of sites done (migrated or exempt); 100 when there are none."""
        return 100.0 if not self.total else 100.0 * self.done / self.total

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "migrated": self.count(state=SiteState.MIGRATED),
            "exempt": self.count(state=SiteState.EXEMPT),
            "unmigrated": self.unmigrated,
            "percent": round(self.percent, 1),
            "by_kind": {
                kind.value: {
                    state.value: self.counts.get((kind, state), 0) for state in STATES
                }
                for kind in KINDS
                if self.count(kind)
            },
        }


@dataclass(frozen=True, slots=True)
class FileStatus:
    """One file's place in the migration."""

    path: str
    module: str
    lines: int
    tally: Tally
    skipped: Skipped | None = None

    @property
    def done(self) -> bool:
        """Has sites, none of them unmigrated."""
        return self.tally.total > 0 and self.tally.unmigrated == 0

    def to_dict(self) -> dict[str, Any]:
        data = {"path": self.path, "module": self.module, "lines": self.lines}
        data.update(self.tally.to_dict())
        data["done"] = self.done
        if self.skipped is not None:
            data["skipped"] = _skipped_dict(self.skipped)
        return data


@dataclass(frozen=True, slots=True)
class ModuleStatus:
    """One module: its config and the status of its files."""

    name: str
    priority: int
    description: str
    owner: str
    range: tuple[int, int] | None
    files: tuple[FileStatus, ...]
    tally: Tally
    configured: bool = True

    @property
    def lines(self) -> int:
        return sum(f.lines for f in self.files)

    @property
    def files_with_sites(self) -> int:
        return sum(1 for f in self.files if f.tally.total)

    @property
    def files_done(self) -> int:
        return sum(1 for f in self.files if f.done)

    @property
    def files_percent(self) -> float:
        """Percent of the files with sites that are done; 100 when none have sites."""
        with_sites = self.files_with_sites
        return 100.0 if not with_sites else 100.0 * self.files_done / with_sites

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "priority": self.priority,
            "description": self.description,
            "owner": self.owner,
            "range": list(self.range) if self.range else None,
            "configured": self.configured,
            "files": len(self.files),
            "lines": self.lines,
            "files_with_sites": self.files_with_sites,
            "files_done": self.files_done,
            "files_percent": round(self.files_percent, 1),
            "sites": self.tally.to_dict(),
            "file_list": [f.to_dict() for f in self.files],
        }


@dataclass(frozen=True, slots=True)
class Sample:
    """The unmigrated site count at one past commit."""

    commit: str
    timestamp: int  # commit time, seconds since the epoch
    unmigrated: int


@dataclass(frozen=True, slots=True)
class Estimate:
    """Remaining effort, from measured velocity or from the configured rate."""

    remaining: int
    basis: str  # "history" or "configured"
    hours: float | None
    minutes_per_site: float
    sites_per_day: float | None = None
    completion: str | None = None  # ISO date, from history only
    samples: tuple[Sample, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "remaining_sites": self.remaining,
            "basis": self.basis,
            "hours": None if self.hours is None else round(self.hours, 1),
            "minutes_per_site": self.minutes_per_site,
            "sites_per_day": None
            if self.sites_per_day is None
            else round(self.sites_per_day, 2),
            "completion_date": self.completion,
            "samples": [
                {
                    "commit": s.commit,
                    "timestamp": s.timestamp,
                    "unmigrated": s.unmigrated,
                }
                for s in self.samples
            ],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Everything `errkit status` shows."""

    project: str
    modules: tuple[ModuleStatus, ...]  # by priority, then name
    tally: Tally
    skipped: tuple[FileStatus, ...]
    next_files: tuple[FileStatus, ...]
    estimate: Estimate

    @property
    def files(self) -> tuple[FileStatus, ...]:
        return tuple(f for m in self.modules for f in m.files)

    @property
    def lines(self) -> int:
        return sum(m.lines for m in self.modules)

    @property
    def files_with_sites(self) -> int:
        return sum(m.files_with_sites for m in self.modules)

    @property
    def files_done(self) -> int:
        return sum(m.files_done for m in self.modules)

    @property
    def files_percent(self) -> float:
        with_sites = self.files_with_sites
        return 100.0 if not with_sites else 100.0 * self.files_done / with_sites

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "summary": {
                "modules": len(self.modules),
                "files": len(self.files),
                "lines": self.lines,
                "files_with_sites": self.files_with_sites,
                "files_done": self.files_done,
                "files_percent": round(self.files_percent, 1),
                "skipped_files": len(self.skipped),
                "sites": self.tally.to_dict(),
            },
            "modules": [m.to_dict() for m in self.modules],
            "next_files": [
                {"path": f.path, "module": f.module, "unmigrated": f.tally.unmigrated}
                for f in self.next_files
            ],
            "estimate": self.estimate.to_dict(),
            "skipped": [
                {"path": f.path, **_skipped_dict(f.skipped)}
                for f in self.skipped
                if f.skipped is not None
            ],
        }


def build_status(
    scans: Sequence[FileScan],
    config: ToolConfig,
    *,
    project: str = "",
    next_count: int = 10,
    samples: Sequence[Sample] = (),
) -> StatusReport:
    """The status report of a scanned tree; `samples` come from `--history`."""
    configured = {m.name: m for m in config.modules}
    grouped: dict[str, list[FileStatus]] = {}
    for scan in sorted(scans, key=lambda s: s.path):
        module = config.module_for(scan.path) or _implicit_module(scan.path)
        status = FileStatus(
            scan.path, module, scan.lines, Tally.of([scan]), scan.skipped
        )
        grouped.setdefault(module, []).append(status)

    modules = []
    for name in set(grouped) | set(configured):
        files = tuple(grouped.get(name, ()))
        conf = configured.get(name) or ModuleConfig(name, (name,), priority=_LAST)
        tally = _merge(f.tally for f in files)
        modules.append(
            ModuleStatus(
                name,
                conf.priority,
                conf.description,
                conf.owner,
                conf.range,
                files,
                tally,
                configured=name in configured,
            )
        )
    modules.sort(key=lambda m: (m.priority, m.name))
    tally = _merge(m.tally for m in modules)

    pending = [f for m in modules for f in m.files if f.tally.unmigrated]
    # highest priority tier first; inside a tier, the files with most work left
    priority = {m.name: m.priority for m in modules}
    pending.sort(key=lambda f: (priority[f.module], -f.tally.unmigrated, f.path))
    skipped = tuple(f for m in modules for f in m.files if f.skipped is not None)

    return StatusReport(
        project=project,
        modules=tuple(modules),
        tally=tally,
        skipped=tuple(sorted(skipped, key=lambda f: f.path)),
        next_files=tuple(pending[:next_count]),
        estimate=estimate(tally.unmigrated, config, samples),
    )


def estimate(remaining: int, config: ToolConfig, samples: Sequence[Sample]) -> Estimate:
    """Velocity from the history samples if they show progress, else the config rate."""
    rate = config.effort_per_site_minutes
    configured = Estimate(
        remaining=remaining,
        basis="configured",
        hours=remaining * rate / 60.0,
        minutes_per_site=rate,
        samples=tuple(samples),
    )
    if not samples:
        return configured
    ordered = sorted(samples, key=lambda s: s.timestamp)
    first, last = ordered[0], ordered[-1]
    days = (last.timestamp - first.timestamp) / 86400.0
    progress = first.unmigrated - last.unmigrated
    if len(ordered) < 2 or days <= 0 or progress <= 0:
        note = (
            f"the last {len(ordered)} commits show no reduction of unmigrated sites; "
            "using the configured effort per site"
        )
        return Estimate(
            **{**_fields(configured), "note": note, "samples": tuple(ordered)}
        )
    per_day = progress / days
    remaining_days = remaining / per_day
    import datetime as dt

    end = dt.datetime.fromtimestamp(last.timestamp, dt.UTC) + dt.timedelta(
        days=remaining_days
    )
    return Estimate(
        remaining=remaining,
        basis="history",
        hours=None,
        minutes_per_site=rate,
        sites_per_day=per_day,
        completion=end.date().isoformat(),
        samples=tuple(ordered),
        note=(
            f"{progress} sites migrated in {days:.1f} days over the last "
            f"{len(ordered)} commits"
        ),
    )


_LAST = 10**6  # unconfigured folders sort after every configured priority


def _implicit_module(path: str) -> str:
    head, sep, _ = path.partition("/")
    return head if sep else head.removesuffix(".py")


def _merge(tallies: Any) -> Tally:
    total: Counter[tuple[SiteKind, SiteState]] = Counter()
    for tally in tallies:
        total.update(tally.counts)
    return Tally(dict(total))


def _fields(est: Estimate) -> dict[str, Any]:
    return {name: getattr(est, name) for name in Estimate.__slots__}


def _skipped_dict(skipped: Skipped) -> dict[str, Any]:
    return {
        "reason": skipped.reason.value,
        "error": skipped.error,
        "detail": skipped.detail,
        "line": skipped.line,
    }
