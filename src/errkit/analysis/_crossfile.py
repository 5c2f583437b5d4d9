"""The tree-wide pass: what one file cannot know about itself.

Two rules look across files. A class based on another file's class is a
`spawn-thread` site when its bases lead to `threading.Thread` (DESIGN.md); and
code declarations are checked against the config and each other
(`code-policy`: out of range, duplicate, wrong category block), using the
registry rules in `errkit.analysis.policy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from errkit.analysis._names import THREAD_CLASSES
from errkit.analysis.config import ToolConfig
from errkit.analysis.sites import ClassRecord, FileScan, Site, SiteKind, SiteState

__all__ = ["link_tree"]


def link_tree(scans: Sequence[FileScan], config: ToolConfig) -> list[FileScan]:
    """The scans with the sites only the whole tree reveals added to their files."""
    extra: dict[str, list[Site]] = {}
    for scan, record, state in _thread_subclasses(scans):
        extra.setdefault(scan.path, []).append(_thread_site(scan, record, state))
    for site in _policy_sites(scans, config):
        extra.setdefault(site.path, []).append(site)
    if not extra:
        return list(scans)

    linked = []
    for scan in scans:
        added = extra.get(scan.path)
        if added:
            sites = sorted(
                (*scan.sites, *added), key=lambda s: (s.line, s.col, s.kind.value)
            )
            scan = replace(scan, sites=tuple(sites))
        linked.append(scan)
    return linked


# ------------------------------------------------------------ Thread subclasses


def _thread_subclasses(
    scans: Sequence[FileScan],
) -> list[tuple[FileScan, ClassRecord, SiteState]]:
    known: dict[str, SiteState] = {q: SiteState.UNMIGRATED for q in THREAD_CLASSES}
    known["errkit.RecoveredThread"] = SiteState.MIGRATED
    records: dict[str, tuple[FileScan, ClassRecord]] = {}
    exports: dict[str, dict[str, str]] = {}
    for scan in scans:
        if scan.exports:
            exports[scan.module_name] = dict(scan.exports)
        for site in scan.sites:
            if site.kind is SiteKind.SPAWN_THREAD and site.detail.get("subclass"):
                name = site.detail["class"]
                dotted = _join(scan.module_name, site.scope, name)
                known[dotted] = (
                    SiteState.UNMIGRATED
                    if site.state is SiteState.UNMIGRATED
                    else SiteState.MIGRATED
                )
        for record in scan.classes:
            records[_join(scan.module_name, "", record.name)] = (scan, record)
    if not records:
        return []

    memo: dict[str, SiteState | None] = {}

    def state_of(qual: str, depth: int = 0) -> SiteState | None:
        if qual in known:
            return known[qual]
        if qual in memo or depth > 50:
            return memo.get(qual)
        memo[qual] = None  # breaks cycles
        found = None
        if qual in records:
            for base in records[qual][1].bases:
                found = state_of(base, depth + 1)
                if found is not None:
                    break
        else:
            module, _, name = qual.rpartition(".")
            target = exports.get(module, {}).get(name)
            if target is not None and target != qual:
                found = state_of(target, depth + 1)
        memo[qual] = found
        return found

    found = []
    for qual, (scan, record) in records.items():
        state = state_of(qual)
        if state is not None:
            found.append((scan, record, state))
    return found


def _thread_site(scan: FileScan, record: ClassRecord, state: SiteState) -> Site:
    short = record.name.rpartition(".")[2]
    reason = dict(record.exemptions).get(SiteKind.SPAWN_THREAD.value)
    detail: dict[str, object] = {"class": short, "subclass": True, "via": "tree"}
    if state is SiteState.UNMIGRATED and reason is not None:
        if reason:
            state = SiteState.EXEMPT
        else:
            detail["exemption"] = "missing reason"
    verb = "with errkit recovery" if state is SiteState.MIGRATED else "without recovery"
    return Site(
        scan.path,
        record.line,
        record.col,
        record.end_line,
        record.end_col,
        SiteKind.SPAWN_THREAD,
        state,
        f"thread class {short} runs {verb}",
        detail,
        reason or None if state is SiteState.EXEMPT else None,
        record.scope,
    )


def _join(module: str, scope: str, name: str) -> str:
    return ".".join(p for p in (module, scope, name) if p)


# ------------------------------------------------------------------ code policy


def _policy_sites(scans: Sequence[FileScan], config: ToolConfig) -> list[Site]:
    codes = [code for scan in scans for code in scan.codes]
    if not codes or not config.modules:
        return []
    from errkit.analysis.policy import ModuleRange, check_policy

    ranges = [
        ModuleRange(m.name, m.range[0], m.range[1]) for m in config.modules if m.range
    ]
    findings = check_policy(
        ranges,
        codes,
        reserved=config.reserved,
        config_codes={m: list(c) for m, c in config.codes.items()},
        config_path=config.source,
    )
    sites = []
    for finding in findings:
        if (
            finding.path is None
            or finding.line is None
            or finding.path == config.source
        ):
            continue
        sites.append(
            Site(
                finding.path,
                finding.line,
                0,
                finding.line,
                0,
                SiteKind.CODE_POLICY,
                SiteState.UNMIGRATED,
                finding.message,
                {
                    "rule": finding.rule,
                    "level": finding.level.value,
                    "module": finding.module,
                    "code": finding.code,
                },
            )
        )
    return sites
