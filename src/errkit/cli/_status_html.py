"""`errkit status --format html`: the status document as one self-contained page.

Same content and order as the Markdown document, with no external resources
(no scripts, fonts or style sheets from anywhere), so it can be attached to a
CI run or opened from disk.
"""

from __future__ import annotations

from html import escape

from errkit.analysis.sites import SiteKind, SiteState
from errkit.analysis.status import StatusReport, Tally
from errkit.cli._status_output import _current, _estimate, _next_files, _pct

__all__ = ["to_html"]

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 64em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; }
td.n { text-align: right; }
progress { width: 10em; }
li.done { color: #2a7a2a; }
"""


def to_html(report: StatusReport) -> str:
    """The whole status document as HTML."""
    title = (
        f"Migration status: {report.project}" if report.project else "Migration status"
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        "<h2>Summary</h2>",
        _summary(report),
        "<h3>Sites by kind</h3>",
        _kinds(report.tally),
        "<h2>Modules by priority</h2>",
        _modules(report),
        "<h2>Module checklists</h2>",
        _checklists(report),
    ]
    for heading, lines in (
        ("Next files to migrate", _next_files(report)[2:]),
        ("Estimate of remaining effort", _estimate(report)[2:]),
    ):
        out.append(f"<h2>{heading}</h2><ul>")
        out += [f"<li>{escape(_plain(line))}</li>" for line in lines if line.strip()]
        out.append("</ul>")
    out.append("<h2>Skipped files</h2>")
    if report.skipped:
        rows = [
            [f.path, f.skipped.reason.value, f"{f.skipped.error}: {f.skipped.detail}",
             str(f.skipped.line or "-")]
            for f in report.skipped if f.skipped is not None
        ]  # fmt: skip
        out.append(_table(["file", "reason", "error", "line"], rows))
    else:
        out.append("<p>None: every file was read and parsed.</p>")
    out += ["<h2>Current status</h2>", f"<p>{escape(_plain(_current(report)))}</p>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _summary(report: StatusReport) -> str:
    t = report.tally
    rows: list[tuple[str, object]] = [
        ("modules", len(report.modules)),
        ("files scanned", len(report.files)),
        ("lines", f"{report.lines:,}"),
        ("sites", t.total),
        ("migrated", t.count(state=SiteState.MIGRATED)),
        ("exempt", t.count(state=SiteState.EXEMPT)),
        ("unmigrated", t.unmigrated),
        ("done by sites", f"{_pct(t.percent)} ({t.done}/{t.total})"),
        ("done by files", (f"{_pct(report.files_percent)} "
         f"({report.files_done}/{report.files_with_sites})")),
        ("skipped files", len(report.skipped)),
    ]  # fmt: skip
    return _table(["measure", "value"], [[str(a), str(b)] for a, b in rows])


def _kinds(tally: Tally) -> str:
    rows = [
        [kind.value, str(tally.count(kind, SiteState.MIGRATED)),
         str(tally.count(kind, SiteState.EXEMPT)),
         str(tally.count(kind, SiteState.UNMIGRATED)), str(tally.count(kind))]
        for kind in SiteKind if tally.count(kind)
    ]  # fmt: skip
    return _table(["kind", "migrated", "exempt", "unmigrated", "total"], rows)


def _modules(report: StatusReport) -> str:
    head = ["priority", "module", "range", "owner", "files done", "sites done",
            "progress", "unmigrated"]  # fmt: skip
    rows = []
    for m in report.modules:
        pct = m.tally.percent
        rows.append(
            [str(m.priority) if m.configured else "-", m.name,
             f"{m.range[0]}-{m.range[1]}" if m.range else "-", m.owner or "-",
             f"{m.files_done}/{m.files_with_sites}", f"{m.tally.done}/{m.tally.total}",
             f'<progress max="100" value="{pct:.1f}"></progress> {_pct(pct)}',
             str(m.tally.unmigrated)]
        )  # fmt: skip
    return _table(head, rows, raw_column=6)


def _checklists(report: StatusReport) -> str:
    out = []
    for m in report.modules:
        head = f"{m.name}: {m.description}" if m.description else m.name
        out.append(f"<h3>{escape(head)}</h3><ul>")
        for f in m.files:
            if f.skipped is not None:
                out.append(f"<li>&#9744; {escape(f.path)}: skipped</li>")
            elif f.done:
                out.append(
                    f'<li class="done">&#9745; {escape(f.path)}: '
                    f"{f.tally.total} sites, all done</li>"
                )
            elif f.tally.total:
                out.append(
                    f"<li>&#9744; {escape(f.path)}: {f.tally.unmigrated} of "
                    f"{f.tally.total} unmigrated</li>"
                )
        out.append("</ul>")
    return "\n".join(out)


def _table(head: list[str], rows: list[list[str]], raw_column: int = -1) -> str:
    cells = ["<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        tds = []
        for i, value in enumerate(row):
            text = value if i == raw_column else escape(value)
            numeric = value.replace(",", "").replace("/", "").isdigit()
            tds.append(f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>")
        cells.append("<tr>" + "".join(tds) + "</tr>")
    return "\n".join(cells) + "</table>"


def _plain(text: str) -> str:
    """Markdown list text without its markers and backticks."""
    text = text.strip()
    for marker in ("- ", "* "):
        text = text.removeprefix(marker)
    return text.replace("`", "")
