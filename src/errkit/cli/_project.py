"""Shared start of `check`, `catalog`, `explain`, `alerts` and `dashboard`.

They find and load the config the way every errkit command does
(`errkit.cli.app.load_target`: the nearest folder up from PATH with one; a bad
config exits with status 2) and scan through `errkit.cli.app.run_scan`, so
progress, caching and skipped-file reports look the same as `errkit scan`'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from errkit.analysis.config import ToolConfig
from errkit.analysis.sites import FileScan
from errkit.cli.app import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    fail,
    load_target,
    project_name,
    report_skipped,
    run_scan,
)

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_USAGE",
    "display_root",
    "fail",
    "load",
    "path_argument",
    "project_name",
    "scan",
    "scan_options",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])


def path_argument(func: F) -> F:
    """The optional PATH argument: the project (or a folder inside it)."""
    # Not `exists=True`: `load_target` gives the wording every command shares.
    return click.argument("path", default=".", type=click.Path())(func)


def scan_options(func: F) -> F:
    """`--jobs` and `--no-cache`, passed on to the scanner."""
    func = click.option(
        "--no-cache", is_flag=True,
        help="Scan every file again; do not read or write the cache.",
    )(func)  # fmt: skip
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Worker processes (default: one per CPU).",
    )(func)  # fmt: skip


def load(path: str) -> ToolConfig:
    """The config governing `path`; a bad one ends the command with status 2."""
    return load_target(path)[0]


def scan(
    path: str, *, jobs: int | None, no_cache: bool
) -> tuple[ToolConfig, list[FileScan]]:
    """Config and scans of `path`, with skipped files listed on stderr."""
    config, scans = run_scan(path, jobs=jobs, cache=not no_cache)
    report_skipped(scans, display_root(config))

    return config, scans


def display_root(config: ToolConfig) -> str:
    """The prefix that makes record paths (relative to the config) clickable here."""
    rel = os.path.relpath(config.root)
    return "" if rel == "." else Path(rel).as_posix()


def write_output(text: str, output: Path | None) -> None:
    """Write to `output`, or to stdout when none is given."""
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"errkit: wrote {output}", err=True)
