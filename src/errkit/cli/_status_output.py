"""`errkit status` output: a complete Markdown status document, JSON, and rich tables.

The Markdown is deterministic (no timestamps, no absolute paths) so a committed
status document can be regenerated and compared in a test.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from errkit.analysis.sites import SiteKind, SiteState
from errkit.analysis.status import FileStatus, ModuleStatus, StatusReport, Tally

__all__ = ["to_json", "to_markdown", "to_terminal"]

_BAR = 20
_TERMINAL_BAR = 10  # keeps the modules table within 80 columns


def to_json(report: StatusReport) -> str:
    """The report's data as JSON."""
    return json.dumps(report.to_dict(), indent=2) + "\n"


def to_markdown(report: StatusReport) -> str:
    """The whole status document."""
    out: list[str] = []
    title = (
        f"Migration status: {report.project}" if report.project else "Migration status"
    )
    out += [f"# {title}", ""]
    out += [
        (
            "Computed from the source by `errkit status --format markdown`; regenerate it "
            "rather than editing it. A site is done when it is migrated or exempt (a "
            "reviewed `# errkit: ignore[kind] -- reason`); a file is done when it has "
            "sites and none is left unmigrated."
        ),
        "",
    ]
    out += _summary(report)
    out += _by_kind(report.tally)
    out += _priorities(report)
    out += _checklists(report)
    out += _next_files(report)
    out += _estimate(report)
    out += _skipped(report)
    out += ["## Current status", "", _current(report), ""]
    return "\n".join(out)


# ------------------------------------------------------------------ sections


def _summary(report: StatusReport) -> list[str]:
    tally = report.tally
    return [
        "## Summary",
        "",
        "| measure | value |",
        "| --- | --: |",
        f"| modules | {len(report.modules)} |",
        f"| files scanned | {len(report.files)} |",
        f"| lines | {report.lines:,} |",
        f"| sites | {tally.total} |",
        f"| migrated | {tally.count(state=SiteState.MIGRATED)} |",
        f"| exempt | {tally.count(state=SiteState.EXEMPT)} |",
        f"| unmigrated | {tally.unmigrated} |",
        f"| done by sites | {_pct(tally.percent)} ({tally.done}/{tally.total}) |",
        (
            f"| done by files | {_pct(report.files_percent)} "
            f"({report.files_done}/{report.files_with_sites} files with sites) |"
        ),
        f"| skipped files | {len(report.skipped)} |",
        "",
    ]


def _by_kind(tally: Tally) -> list[str]:
    lines = [
        "### Sites by kind",
        "",
        "| kind | migrated | exempt | unmigrated | total | done |",
        "| --- | --: | --: | --: | --: | --: |",
    ]
    for kind in SiteKind:
        total = tally.count(kind)
        if not total:
            continue
        migrated = tally.count(kind, SiteState.MIGRATED)
        exempt = tally.count(kind, SiteState.EXEMPT)
        unmigrated = tally.count(kind, SiteState.UNMIGRATED)
        done = 100.0 * (migrated + exempt) / total
        lines.append(
            f"| `{kind.value}` | {migrated} | {exempt} | {unmigrated} | {total} | "
            f"{_pct(done)} |"
        )
    return [*lines, ""]


def _priorities(report: StatusReport) -> list[str]:
    lines = ["## Modules by priority", ""]
    tiers: dict[int, list[ModuleStatus]] = {}
    for module in report.modules:
        tiers.setdefault(module.priority, []).append(module)
    for priority, modules in tiers.items():
        label = f"Priority {priority}" if modules[0].configured else "Not in the config"
        lines += [
            f"### {label}",
            "",
            (
                "| module | range | owner | files done | sites done | progress "
                "| unmigrated |"
            ),
            "| --- | --- | --- | --: | --: | --- | --: |",
        ]
        for m in modules:
            rng = f"{m.range[0]}-{m.range[1]}" if m.range else "-"
            lines.append(
                f"| `{m.name}` | {rng} | {m.owner or '-'} | "
                f"{m.files_done}/{m.files_with_sites} | "
                f"{m.tally.done}/{m.tally.total} | "
                f"`{_bar(m.tally.percent)}` {_pct(m.tally.percent)} | "
                f"{m.tally.unmigrated} |"
            )
        lines.append("")
    return lines


def _checklists(report: StatusReport) -> list[str]:
    lines = ["## Module checklists", ""]
    for m in report.modules:
        head = f"### `{m.name}`"
        if m.description:
            head += f": {m.description}"
        lines += [head, ""]
        facts = [f"priority {m.priority}" if m.configured else "not in the config"]
        if m.range:
            facts.append(f"codes {m.range[0]}-{m.range[1]}")
        if m.owner:
            facts.append(f"owner {m.owner}")
        facts.append(f"{len(m.files)} files, {m.lines:,} lines")
        facts.append(f"{_pct(m.tally.percent)} of {m.tally.total} sites done")
        lines += ["_" + "; ".join(facts) + "._", ""]
        quiet = 0
        for f in m.files:
            if f.skipped is not None:
                lines.append(f"- [ ] `{f.path}`: skipped ({f.skipped.reason.value})")
            elif not f.tally.total:
                quiet += 1
            elif f.done:
                lines.append(f"- [x] `{f.path}`: {f.tally.total} sites, all done")
            else:
                lines.append(
                    f"- [ ] `{f.path}`: {f.tally.unmigrated} of {f.tally.total} "
                    f"unmigrated ({_kinds(f.tally)})"
                )
        if quiet:
            lines.append(f"- {quiet} file{'s' if quiet != 1 else ''} without sites")
        if not m.files:
            lines.append("- no files found under the module's paths")
        lines.append("")
    return lines


def _next_files(report: StatusReport) -> list[str]:
    lines = ["## Next files to migrate", ""]
    if not report.next_files:
        return [*lines, "Nothing left to migrate.", ""]
    by_name = {m.name: m for m in report.modules}
    for i, f in enumerate(report.next_files, 1):
        module = by_name[f.module]
        tier = f"priority {module.priority}" if module.configured else "not configured"
        lines.append(
            f"{i}. `{f.path}` (`{f.module}`, {tier}): {f.tally.unmigrated} unmigrated "
            f"({_kinds(f.tally)})"
        )
    return [*lines, ""]


def _estimate(report: StatusReport) -> list[str]:
    est = report.estimate
    lines = ["## Estimate of remaining effort", ""]
    lines.append(f"- Unmigrated sites: {est.remaining}")
    if est.basis == "history":
        lines.append(
            f"- Measured velocity: {est.sites_per_day:.2f} sites per day ({est.note})"
        )
        lines.append(f"- Projected completion: {est.completion}")
        lines.append("- Samples (newest last):")
        for s in est.samples:
            lines.append(f"  - `{s.commit}`: {s.unmigrated} unmigrated")
    else:
        hours = est.hours or 0.0
        lines.append(
            f"- Effort: about {hours:.1f} hours at {est.minutes_per_site:g} minutes "
            "per "
            "site (`effort_per_site_minutes`)"
        )
        lines.append(
            "- Basis: the configured effort per site, not measured velocity"
            + (
                f"; {est.note}"
                if est.note
                else "; run `errkit status --history N` "
                "in a git work tree to measure it"
            )
        )
    return [*lines, ""]


def _skipped(report: StatusReport) -> list[str]:
    lines = ["## Skipped files", ""]
    if not report.skipped:
        return [*lines, "None: every file was read and parsed.", ""]
    lines += ["| file | reason | error | line |", "| --- | --- | --- | --: |"]
    for f in report.skipped:
        s = f.skipped
        assert s is not None
        lines.append(
            f"| `{f.path}` | {s.reason.value} | {s.error}: {_cell(s.detail)} | "
            f"{s.line if s.line is not None else '-'} |"
        )
    return [*lines, ""]


def _current(report: StatusReport) -> str:
    tally = report.tally
    if not tally.total:
        return "No sites found: nothing in this tree needs migrating."
    text = (
        f"{_pct(tally.percent)} of {tally.total} sites and "
        f"{_pct(report.files_percent)} "
        f"of {report.files_with_sites} files with sites are done."
    )
    pending = [m for m in report.modules if m.tally.unmigrated]
    if not pending:
        return text + " Every module is fully migrated."
    by_name = {m.name: m for m in report.modules}
    first = by_name[report.next_files[0].module] if report.next_files else pending[0]
    done = [m.name for m in report.modules if m.tally.total and not m.tally.unmigrated]
    text += (
        f" Next up is `{first.name}` ({first.tally.unmigrated} unmigrated sites"
        + (f", priority {first.priority}" if first.configured else "")
        + ")."
    )
    if done:
        text += " Fully migrated: " + ", ".join(f"`{n}`" for n in done) + "."
    est = report.estimate
    if est.basis == "history":
        text += (
            f" At the measured pace the migration completes around {est.completion}."
        )
    else:
        text += (
            f" {est.remaining} sites remain, about {(est.hours or 0):.1f} hours at the "
            "configured effort per site."
        )
    return text


# ------------------------------------------------------------------ terminal


def to_terminal(
    report: StatusReport, output: str | None = None, *, width: int | None = None
) -> None:
    """Rich tables: summary, modules, files with work left, next files, estimate.

    Laid out for 80 columns: compact progress cells that never wrap, file
    paths relative to their module's folder (shown once under the module's
    name) and folded rather than cut, and the same section headings as the
    Markdown document.
    """
    from rich.console import Console

    if output:
        handle = open(output, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        console = Console(file=handle, width=width or 120)
    else:
        handle = None
        console = Console(width=width)
    tally = report.tally
    console.print(
        f"[bold]{report.project or 'migration'}[/]: {len(report.files)} files, "
        f"{report.lines:,} lines, {tally.total} sites: "
        f"[green]{tally.count(state=SiteState.MIGRATED)} migrated[/], "
        f"{tally.count(state=SiteState.EXEMPT)} exempt, "
        f"[red]{tally.unmigrated} unmigrated[/]; "
        f"done {_pct(tally.percent)} by sites, {_pct(report.files_percent)} by files"
    )
    console.print(_kinds_table(tally))
    console.print(_modules_table(report))
    files = _files_table(report)
    if files.row_count:
        console.print(files)
    _print_section(console, _next_files(report))
    _print_section(console, _estimate(report))
    if handle is not None:
        handle.close()


def _kinds_table(tally: Tally) -> Any:
    from rich.table import Table

    kinds = Table(title="Sites by kind", title_justify="left")
    for col in ("kind", "migrated", "exempt", "unmigrated", "total"):
        kinds.add_column(col, justify="left" if col == "kind" else "right")
    for kind in SiteKind:
        if tally.count(kind):
            kinds.add_row(
                kind.value,
                str(tally.count(kind, SiteState.MIGRATED)),
                str(tally.count(kind, SiteState.EXEMPT)),
                str(tally.count(kind, SiteState.UNMIGRATED)),
                str(tally.count(kind)),
            )
    return kinds


def _modules_table(report: StatusReport) -> Any:
    from rich.table import Table

    modules = Table(title="Modules by priority", title_justify="left")
    modules.add_column("prio", justify="right", no_wrap=True)
    modules.add_column("module", overflow="fold")
    modules.add_column("range", no_wrap=True)
    modules.add_column("files", justify="right", no_wrap=True)
    modules.add_column("sites", justify="right", no_wrap=True)
    modules.add_column("progress", no_wrap=True)
    modules.add_column("left", justify="right", no_wrap=True)
    for m in report.modules:
        modules.add_row(
            str(m.priority) if m.configured else "-",
            m.name,
            f"{m.range[0]}-{m.range[1]}" if m.range else "-",
            f"{m.files_done}/{m.files_with_sites}",
            f"{m.tally.done}/{m.tally.total}",
            f"{_bar(m.tally.percent, _TERMINAL_BAR)} {m.tally.percent:5.1f}%",
            str(m.tally.unmigrated),
        )
    return modules


def _files_table(report: StatusReport) -> Any:
    from rich.table import Table

    files = Table(
        title="Files with work left (paths inside the module's folder)",
        title_justify="left",
    )
    files.add_column("module", overflow="fold", max_width=16)
    files.add_column("file", overflow="fold")
    files.add_column("left", justify="right", no_wrap=True)
    files.add_column("of", justify="right", no_wrap=True)
    files.add_column("kinds", overflow="fold")
    for m in report.modules:
        pending = [f for f in m.files if f.tally.unmigrated]
        if not pending:
            continue
        folder = _folder(m)
        for i, f in enumerate(pending):
            label = ""
            if i == 0:
                label = f"{m.name}\n[dim]{folder}/[/]" if folder else m.name
            files.add_row(
                label,
                f.path[len(folder) + 1 :] if folder else f.path,
                str(f.tally.unmigrated),
                str(f.tally.total),
                _kinds(f.tally),
                end_section=i == len(pending) - 1,
            )
    return files


def _print_section(console: Any, lines: list[str]) -> None:
    """A Markdown section as terminal text: bold heading, list items indented."""
    from rich.table import Table

    heading, items = lines[0].lstrip("# "), [line for line in lines[1:] if line]
    console.print()
    console.print(f"[bold]{heading}[/]")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        mark, _, text = item.strip().partition(" ")
        if not (mark == "-" or mark.rstrip(".").isdigit()):
            mark, text = "", item.strip()
        indent = "  " * ((len(item) - len(item.lstrip())) // 2)
        grid.add_row(indent + mark, text.replace("`", ""))
    console.print(grid, markup=False, highlight=False)


def _folder(module: ModuleStatus) -> str:
    """The deepest folder holding all of a module's files, "" for the root."""
    import posixpath

    parents = [posixpath.dirname(f.path) for f in module.files]
    if not parents:
        return ""
    common = posixpath.commonpath(parents) if all(parents) else ""
    return "" if common == "." else common


# ------------------------------------------------------------------ helpers


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _bar(percent: float, width: int = _BAR) -> str:
    full = round(percent / 100 * width)
    return "#" * full + "." * (width - full)


def _kinds(tally: Tally) -> str:
    parts: Iterable[str] = (
        f"{kind.value} {tally.count(kind, SiteState.UNMIGRATED)}"
        for kind in SiteKind
        if tally.count(kind, SiteState.UNMIGRATED)
    )
    return ", ".join(parts) or "none"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def file_line(f: FileStatus) -> str:
    """One file as a checklist line (used by other reports)."""
    mark = "x" if f.done else " "
    return f"- [{mark}] `{f.path}`"
