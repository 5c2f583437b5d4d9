"""Loading a project for `check`, `catalog`, `explain`, `alerts` and `dashboard`.

Every one of these commands starts the same way: find the config at PATH,
turn a bad config into exit status 2 with the file, key and value on stderr,
and (for the ones that read the source) scan the tree through the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from errkit.analysis.config import ToolConfig, load_config
from errkit.analysis.sites import FileScan
from errkit.core import ConfigError

#: Exit statuses shared with the linters (DESIGN.md, "Commands").
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


def path_argument(func: F) -> F:
    """The optional PATH argument: the project folder holding the config."""
    return click.argument(
        "path",
        default=".",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
    )(func)


def scan_options(func: F) -> F:
    """`--jobs` and `--no-cache`, passed on to the scanner."""
    func = click.option(
        "--no-cache", is_flag=True, help="Rescan every file, ignoring the cache."
    )(func)
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Worker processes for scanning (default: CPU count).",
    )(func)  # fmt: skip


def fail(message: str, status: int = EXIT_USAGE) -> NoReturn:
    """Print `errkit: message` on stderr and exit with `status`."""
    click.echo(f"errkit: {message}", err=True)
    raise SystemExit(status)


def load(path: Path) -> ToolConfig:
    """The config at `path`; a bad one ends the command with status 2."""
    try:
        return load_config(path)
    except ConfigError as exc:
        fail(str(exc))


def scan(
    path: Path, config: ToolConfig, *, jobs: int | None, no_cache: bool
) -> list[FileScan]:
    """Every file under `path`, telling stderr how many could not be scanned."""
    from errkit.analysis.scanner import scan_tree

    scans = scan_tree(path, config, jobs=jobs, cache=not no_cache)
    skipped = [s for s in scans if s.skipped is not None]
    for s in skipped:
        assert s.skipped is not None
        line = f":{s.skipped.line}" if s.skipped.line else ""
        click.echo(
            f"errkit: skipped {s.path}{line}: {s.skipped.reason.value} "
            f"({s.skipped.error}: {s.skipped.detail})",
            err=True,
        )

    return scans


def write_output(text: str, output: Path | None) -> None:
    """Write to `output`, or to stdout when none is given."""
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"errkit: wrote {output}", err=True)
