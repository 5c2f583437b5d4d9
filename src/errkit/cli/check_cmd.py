"""`errkit check`: the CI gate over registry rules and the migration baseline.

Exit status: 0 clean; 1 when a registry rule is broken (warnings too, with
`--strict`) or an unmigrated count grew past the baseline; 2 for a bad config,
a bad baseline file or a missing one without `--update-baseline`.
Findings go to stdout (text or JSON), the summary and notes to stderr.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from errkit.analysis.baseline import (
    BaselineError,
    Growth,
    compare,
    count_unmigrated,
    parse_baseline,
    render_baseline,
    tighten,
)
from errkit.analysis.config import ToolConfig
from errkit.analysis.policy import Finding, Level, ModuleRange, check_policy
from errkit.analysis.sites import FileScan, SiteKind
from errkit.cli._project import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    display_root,
    fail,
    path_argument,
    scan,
    scan_options,
)


@click.command("check")
@path_argument
@click.option(
    "--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Fail when a module's count of unmigrated sites of a kind grows past "
    "this file's.",
)  # fmt: skip
@click.option(
    "--update-baseline", is_flag=True,
    help="Lower the baseline's counts to the tree's (never raise them); "
    "creates the file if missing.",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="Output format on stdout.",
)  # fmt: skip
@scan_options
def check(
    path: str,
    baseline_path: Path | None,
    update_baseline: bool,
    strict: bool,
    fmt: str,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Check the code registry rules and the migration baseline of PATH.

    Exit status: 0 clean; 1 a registry error (or a warning, with --strict) or
    an unmigrated count grown past the baseline; 2 a usage, config or
    baseline-file error. See docs/ci.md.
    """
    if update_baseline and baseline_path is None:
        fail("--update-baseline needs --baseline FILE")
    baseline = _read_baseline(baseline_path, update_baseline)
    config, scans = scan(path, jobs=jobs, no_cache=no_cache)
    if update_baseline and Path(path).resolve() != Path(config.root).resolve():
        # Modules outside PATH would count zero and vanish from the baseline.
        fail(
            "--update-baseline needs the whole project: run it on "
            f"{os.path.relpath(config.root)!r}, "
            f"not {path!r}"
        )

    findings = registry_findings(config, scans)
    # Code-policy sites are the registry findings above, gated on their own.
    current = {
        key: n
        for key, n in count_unmigrated(scans, config.module_for).items()
        if key[1] != SiteKind.CODE_POLICY.value
    }
    grown: list[Growth] = []
    if baseline is not None:  # None: no baseline yet, or one being created
        grown = compare(baseline, current, scans, config.module_for)
    if update_baseline and baseline_path is not None:
        _write_baseline(baseline_path, baseline, current)

    errors = sum(1 for f in findings if f.level is Level.ERROR)
    warnings = len(findings) - errors
    if fmt == "json":
        click.echo(json.dumps(_as_json(findings, grown, current), indent=2))
    else:
        _print_text(findings, grown, display_root(config))
    click.echo(
        f"errkit check: {errors} error(s), {warnings} warning(s), "
        f"{len(grown)} baseline count(s) grown",
        err=True,
    )
    failed = errors > 0 or bool(grown) or (strict and warnings > 0)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def registry_findings(config: ToolConfig, scans: list[FileScan]) -> list[Finding]:
    """The registry policy findings for a loaded config and its scanned tree."""
    ranges = [
        ModuleRange(m.name, m.range[0], m.range[1]) for m in config.modules if m.range
    ]
    source = None
    if config.source is not None:
        source = Path(config.source)
        if source.is_relative_to(config.root):
            source = source.relative_to(config.root)

    return check_policy(
        ranges,
        [decl for s in scans for decl in s.codes],
        reserved=config.reserved,
        config_codes={module: list(codes) for module, codes in config.codes.items()},
        config_path=source.as_posix() if source is not None else None,
    )


def _read_baseline(
    path: Path | None, update: bool
) -> dict[tuple[str, str], int] | None:
    if path is None:
        return None
    if not path.exists():
        if update:
            return None
        fail(f"--baseline: {path} does not exist; create it with --update-baseline")
    try:
        return parse_baseline(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"--baseline: cannot read {path}: {exc}")
    except BaselineError as exc:
        fail(str(exc))


def _write_baseline(
    path: Path,
    baseline: dict[tuple[str, str], int] | None,
    current: dict[tuple[str, str], int],
) -> None:
    new = tighten(baseline, current)
    text = render_baseline(new)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        click.echo(f"errkit: baseline {path} is up to date", err=True)
        return
    path.write_text(text, encoding="utf-8")
    if baseline is None:
        total = sum(new.values())
        click.echo(
            f"errkit: wrote baseline {path} ({total} unmigrated sites)", err=True
        )
        return
    lowered = sum(baseline.values()) - sum(new.values())
    click.echo(f"errkit: baseline {path} lowered by {lowered} site(s)", err=True)


def _print_text(findings: list[Finding], grown: list[Growth], root: str) -> None:
    prefix = f"{root}/" if root else ""
    for f in findings:
        where = f"{prefix}{f.location}: " if f.location else ""
        click.echo(f"{where}{f.level.value} [{f.rule}] {f.message}")
    for g in grown:
        click.echo(
            f"baseline: {g.module} {g.kind}: {g.actual} unmigrated, baseline "
            f"allows {g.allowed} (+{g.excess})"
        )
        for file, count in g.files.items():
            click.echo(f"    {prefix}{file}: {count}")


def _as_json(
    findings: list[Finding], grown: list[Growth], current: dict[tuple[str, str], int]
) -> dict[str, Any]:
    return {
        "findings": [
            {
                "rule": f.rule,
                "level": f.level.value,
                "message": f.message,
                "path": f.path,
                "line": f.line,
                "module": f.module,
                "code": f.code,
            }
            for f in findings
        ],
        "grown": [
            {
                "module": g.module,
                "kind": g.kind,
                "allowed": g.allowed,
                "actual": g.actual,
                "files": dict(g.files),
            }
            for g in grown
        ],
        "unmigrated": [
            {"module": module, "kind": kind, "count": count}
            for (module, kind), count in sorted(current.items())
        ],
    }
