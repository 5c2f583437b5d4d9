"""`errkit scan` output: text lines, JSON, and SARIF 2.1.0 for code-scanning upload.

Lines and columns are 1-based in every output (text, JSON, SARIF), as editors
and SARIF count them; the records keep `ast`'s 0-based column, and only these
renderers add one. SARIF logs name their schema (`$schema`), so editors and
upload tools validate them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from errkit.analysis.sites import FileScan, Site, SiteKind, SiteState

__all__ = ["to_json", "to_sarif", "to_text"]

_RULE_TEXT = {
    SiteKind.SPAWN_THREAD: "Thread started without errkit recovery",
    SiteKind.SPAWN_TASK: "asyncio task without a recording done-callback",
    SiteKind.SPAWN_EXECUTOR: "Executor future without a recording done-callback",
    SiteKind.RAISE_GENERIC: "Raise of a generic builtin instead of a coded error",
    SiteKind.RAISE_UNCHAINED: "Raise inside an except handler without 'from'",
    SiteKind.ERROR_CLASS: "Exception class not based on an errkit category type",
    SiteKind.MESSAGE_MATCH: "Failure matched by its message text",
    SiteKind.SWALLOW: "Broad except that swallows the failure",
    SiteKind.CODE_POLICY: "Error code breaks the registry policy",
}


def _path(root: str, path: str) -> str:
    return f"{root}/{path}" if root else path


def to_text(sites: Sequence[Site], root: str) -> str:
    """One `path:line:col kind state message` line per site."""
    lines = []
    for s in sites:
        tail = f" -- {s.reason}" if s.reason else ""
        lines.append(
            f"{_path(root, s.path)}:{s.line}:{s.col + 1} {s.kind.value} "
            f"{s.state.value} {s.message}{tail}"
        )
    return "".join(line + "\n" for line in lines)


def to_json(sites: Sequence[Site], scans: Sequence[FileScan], root: str) -> str:
    """The listed sites and the skipped files, for tools and shard merging."""
    data = {
        "root": root or ".",
        "files": len(scans),
        "lines": sum(s.lines for s in scans),
        "sites": [_json_site(s) for s in sites],
        "skipped": [
            {
                "path": s.path,
                "reason": s.skipped.reason.value,
                "error": s.skipped.error,
                "detail": s.skipped.detail,
                "line": s.skipped.line,
            }
            for s in scans
            if s.skipped is not None
        ],
    }
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def _json_site(site: Site) -> dict[str, Any]:
    """The record as a dict with 1-based `col` and `end_col`, like the text."""
    data = site.to_dict()
    data["col"] = site.col + 1
    data["end_col"] = max(site.end_col, site.col) + 1
    return data


#: The schema's identifier as the SARIF 2.1.0 standard publishes it (a name
#: for validators; errkit never fetches it).
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
)


def to_sarif(sites: Sequence[Site], root: str) -> str:
    """A SARIF 2.1.0 log with one rule per site kind."""
    from errkit import __version__

    kinds = list(SiteKind)
    results = [_result(s, root, kinds.index(s.kind)) for s in sites]
    log: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "errkit",
                        "version": __version__,
                        "rules": [
                            {
                                "id": kind.value,
                                "name": kind.name.title().replace("_", ""),
                                "shortDescription": {"text": _RULE_TEXT[kind]},
                                "defaultConfiguration": {"level": "warning"},
                            }
                            for kind in kinds
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _result(site: Site, root: str, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": site.kind.value,
        "ruleIndex": index,
        "level": "warning" if site.state is SiteState.UNMIGRATED else "note",
        "message": {"text": site.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _path(root, site.path)},
                    "region": {
                        "startLine": site.line,
                        "startColumn": site.col + 1,
                        "endLine": site.end_line,
                        "endColumn": max(site.end_col, site.col) + 1,
                    },
                }
            }
        ],
        "properties": {"state": site.state.value, **site.detail},
    }
    if site.state is SiteState.EXEMPT:
        result["suppressions"] = [
            {"kind": "inSource", "justification": site.reason or ""}
        ]
    return result
