"""The `errkit` command: a click group and the scan / status / init commands.

Other commands live in their own `errkit.cli.<name>_cmd` modules and are
registered at the bottom of this file, one line each. Everything heavy (the
scanner, rich) is imported inside the commands, so `errkit --help` and a warm
`errkit scan` start fast.

Exit codes (like linters):

| code | meaning |
| --- | --- |
| 0 | clean: nothing unmigrated (scan), report written (status, init) |
| 1 | findings: unmigrated sites (scan), a failed gate (check) |
| 2 | usage or configuration error |
| 3 | some files could not be read or parsed and were skipped (listed on stderr) |

Results go to stdout; progress (on a terminal only), warnings and the closing
count summary go to stderr.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from errkit.analysis.config import ToolConfig
    from errkit.analysis.sites import FileScan

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy: dict[str, str] = {}

    def add_lazy_command(self, name: str, target: str) -> None:
        """Register `name` as `"package.module:attribute"`, imported on first use."""
        self._lazy[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self._lazy.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        import importlib

        module, _, attr = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        self.add_command(command, cmd_name)
        del self._lazy[cmd_name]
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="errkit", prog_name="errkit")
def main() -> None:
    """errkit: move a codebase onto one standard way to fail, and measure it.

    Exit codes: 0 clean, 1 findings or a failed gate, 2 usage or config error,
    3 some files were skipped (could not be read or parsed).
    """
    _install_log_handler()


class _StderrLog(logging.Handler):
    """errkit's warnings as one `errkit: warning: ...` line each on stderr.

    The library logs what it ignores (an unknown config key, an unreadable
    cache); the command line shows it in its own words, once per message,
    without a traceback or the Python source line a raw warning would show.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"errkit: {record.levelname.lower()}: {record.getMessage()}"
        except (TypeError, ValueError):
            self.handleError(record)
            return
        if text not in self.seen:
            self.seen.add(text)
            click.echo(text, err=True)


def _install_log_handler() -> None:
    """Route the `errkit` loggers to stderr for this run (idempotent)."""
    logger = logging.getLogger("errkit")
    for handler in logger.handlers:
        if isinstance(handler, _StderrLog):
            handler.seen.clear()
            return
    logger.addHandler(_StderrLog())


def fail(message: str) -> NoReturn:
    """Stop with a usage/config error: the message on stderr, exit status 2."""
    click.echo(f"errkit: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def require_path(path: str, *, folder: bool = False) -> Path:
    """`path` as a Path, or exit 2 with the one wording every command uses.

    Commands take PATH as a plain string and call this (directly or through
    `load_target`), so a missing path reads the same from all of them:
    `errkit: error: path 'x' does not exist`.
    """
    target = Path(path)
    if not target.exists():
        fail(f"path {path!r} does not exist")
    if folder and not target.is_dir():
        fail(f"path {path!r} is not a folder")
    return target


def load_target(path: str) -> tuple[ToolConfig, Path]:
    """The config governing `path` (nearest folder up with one) and the scan root.

    Exits with status 2 when the config is invalid. Public for the other
    commands, so all of them find the config the same way.
    """
    from errkit.analysis.config import ConfigError, find_config_file, load_config

    target = require_path(path)
    start = target if target.is_dir() else target.parent
    try:
        for folder in (start, *start.resolve().parents):
            if find_config_file(folder) is not None:
                return load_config(folder), target
    except ConfigError as exc:
        fail(str(exc))
    from errkit.analysis.config import ToolConfig

    return ToolConfig(root=str(start)), target


def run_scan(
    path: str, *, jobs: int | None, cache: bool, quiet: bool = False
) -> tuple[ToolConfig, list[FileScan]]:
    """Scan `path` with a progress bar on a terminal; shared by the commands."""
    from errkit.analysis.scanner import scan_tree

    config, target = load_target(path)
    progress = None if quiet else _progress_bar()
    try:
        scans = scan_tree(target, config, jobs=jobs, cache=cache, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    return config, scans


def skipped_line(
    path: str, reason: str, error: str, detail: str, line: int | None = None
) -> str:
    """The one wording of a skipped file, for every command that skips files.

    `path` is as the user should see it (`display_path`), `reason` a tag in
    `SkipReason` spelling (`syntax-error`, `undecodable`, ... ; kebab-case for
    a new one), `error` the exception's type name:
    `pkg/nul.py:3: skipped (syntax-error): SyntaxError: source code cannot ...`.
    """
    where = f":{line}" if line else ""
    return f"{path}{where}: skipped ({reason}): {error}: {detail}"


def display_path(config: ToolConfig, path: str) -> str:
    """A record path (relative to the config's folder) as seen from the cwd."""
    return _display(_display_root("", config), path)


def report_skipped(scans: list[FileScan], root: str) -> int:
    """List skipped files on stderr; the exit status they call for (3 or 0)."""
    skipped = [s for s in scans if s.skipped is not None]
    for scan in skipped:
        info = scan.skipped
        assert info is not None
        click.echo(
            skipped_line(
                _display(root, scan.path),
                info.reason.value,
                info.error,
                info.detail,
                info.line,
            ),
            err=True,
        )
    return EXIT_SKIPPED if skipped else EXIT_CLEAN


_jobs = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per CPU).",
)
_no_cache = click.option(
    "--no-cache",
    is_flag=True,
    help="Scan every file again; do not read or write the cache.",
)


@main.command()
@click.argument("path", default=".", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--all", "show_all", is_flag=True, help="Also list migrated and exempt sites."
)
@click.option(
    "--kind", "kinds", multiple=True, help="Only sites of this kind (repeatable)."
)
@_jobs
@_no_cache
def scan(
    path: str,
    fmt: str,
    show_all: bool,
    kinds: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
) -> None:
    """List the sites under PATH: `path:line:col kind state message`.

    Only unmigrated sites unless --all. Lines and columns are 1-based in
    every format (JSON `col`/`end_col` too). Exit 1 if any unmigrated site is
    listed, 3 if files were skipped, else 0.
    """
    from errkit.analysis.sites import SiteKind, SiteState

    valid = {k.value for k in SiteKind}
    for kind in kinds:
        if kind not in valid:
            fail(f"--kind must be one of {sorted(valid)}, got {kind!r}")
    config, scans = run_scan(path, jobs=jobs, cache=not no_cache)
    root = _display_root(path, config)
    sites = [
        site
        for s in scans
        for site in s.sites
        if (show_all or site.state is SiteState.UNMIGRATED)
        and (not kinds or site.kind.value in kinds)
    ]
    from errkit.cli import _scan_output

    out = sys.stdout
    if fmt == "json":
        out.write(_scan_output.to_json(sites, scans, root))
    elif fmt == "sarif":
        out.write(_scan_output.to_sarif(sites, root))
    else:
        out.write(_scan_output.to_text(sites, root))
    out.flush()

    unmigrated = sum(1 for s in sites if s.state is SiteState.UNMIGRATED)
    skipped = report_skipped(scans, root)
    click.echo(
        f"{len(scans)} files, {len(sites)} sites listed, {unmigrated} unmigrated, "
        f"{sum(1 for s in scans if s.skipped)} skipped",
        err=True,
    )
    sys.exit(skipped or (EXIT_FINDINGS if unmigrated else EXIT_CLEAN))


@main.command()
@click.argument("path", default=".", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "markdown", "json", "html"]),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--history",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help="Measure velocity over the last N git commits for the estimate.",
)
@click.option(
    "--next",
    "next_count",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="How many next files to list.",
)
@_jobs
@_no_cache
def status(
    path: str,
    fmt: str,
    output: str | None,
    history: int | None,
    next_count: int,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """The migration status of PATH, per module and per file.

    Exit 0 when the report is written, 3 if files were skipped.
    """
    from errkit.analysis.status import build_status

    config, scans = run_scan(path, jobs=jobs, cache=not no_cache)
    samples: list[Any] = []
    if history:
        from errkit.analysis.history import HistoryError, measure_history

        try:
            samples = measure_history(path, config, history, cache=not no_cache)
        except HistoryError as exc:
            fail(f"--history {history}: {exc}")
    project = project_name(Path(config.root))
    report = build_status(
        scans, config, project=project, next_count=next_count, samples=samples
    )
    from errkit.cli import _status_output

    if fmt == "markdown":
        text = _status_output.to_markdown(report)
    elif fmt == "json":
        text = _status_output.to_json(report)
    elif fmt == "html":
        from errkit.cli._status_html import to_html

        text = to_html(report)
    else:
        text = None
    if text is None:
        _status_output.to_terminal(report, output)
    elif output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    sys.exit(report_skipped(scans, _display_root(path, config)))


@main.command()
@click.argument("path", default=".", type=click.Path())
@click.option("--force", is_flag=True, help="Replace an existing errkit config.")
@click.option(
    "--reserve",
    "reserved",
    multiple=True,
    metavar="FIRST-LAST",
    help="A code range no module may take, e.g. 900-999 (repeatable).",
)
def init(path: str, force: bool, reserved: tuple[str, ...]) -> None:
    """Write a first errkit config for the packages under PATH.

    One module per sub-package of a single package (plus one for the
    package's own files), else per package; tests, docs, examples and
    scripts are excluded. Each module gets a range of 100 codes: the block
    holding the codes it already declares, else the next free one from 100
    upward, skipping reserved ranges. The metrics namespace is the project
    name. An existing config is kept unless --force.
    """
    from errkit.analysis.bootstrap import metrics_namespace, write_config
    from errkit.analysis.config import ConfigError

    require_path(path, folder=True)
    ranges = []
    for text in reserved:
        first, sep, last = text.partition("-")
        if not (sep and first.isdigit() and last.isdigit() and int(first) <= int(last)):
            fail(f"--reserve must be FIRST-LAST with FIRST <= LAST, got {text!r}")
        ranges.append((int(first), int(last)))
    try:
        written, modules = write_config(
            path,
            force=force,
            reserved=ranges,
            namespace=metrics_namespace(project_name(Path(path))),
        )
    except ConfigError as exc:
        fail(str(exc))
    for module in modules:
        assert module.range is not None
        more = len(module.paths) - 1
        where = module.paths[0] + (f" and {more} more" if more else "")
        click.echo(f"{module.name}: {module.range[0]}-{module.range[1]} ({where})")
    plural = "" if len(modules) == 1 else "s"
    click.echo(f"wrote {len(modules)} module{plural} to {written}", err=True)


# ---------------------------------------------------------------- helpers


def _display_root(path: str, config: ToolConfig) -> str:
    """How to prefix record paths (relative to the config folder) for display."""
    import os

    rel = os.path.relpath(config.root)
    return "" if rel == "." else rel


def project_name(root: Path) -> str:
    """`[project].name` from the root's pyproject.toml, else the folder's name.

    Shared by status (the report's title), catalog (its default title) and
    init (the metrics namespace).
    """
    import tomllib

    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        name = data["project"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        return root.resolve().name
    return name if isinstance(name, str) else root.resolve().name


def _display(root: str, path: str) -> str:
    return f"{root}/{path}" if root else path


class _Bar:
    """A rich progress bar on stderr, shown only once a scan runs long."""

    def __init__(self) -> None:
        import time

        self._start = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        import time

        if self._progress is None:
            if time.monotonic() - self._start < 0.5:
                return
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("scanning", total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _progress_bar() -> _Bar | None:
    return _Bar() if sys.stderr.isatty() else None


# ----------------------------------------------------- commands from other modules
# One line each, imported only when the command runs (keeps `errkit scan` fast):
#     main.add_lazy_command("<name>", "errkit.cli.<name>_cmd:<name>")
# (`main.add_command(<command>)` after an import works too, but loads the module
# on every run.)
assert isinstance(main, LazyGroup)
main.add_lazy_command("migrate", "errkit.cli.migrate_cmd:migrate_command")
main.add_lazy_command("check", "errkit.cli.check_cmd:check")
main.add_lazy_command("catalog", "errkit.cli.catalog_cmd:catalog")
main.add_lazy_command("explain", "errkit.cli.catalog_cmd:explain")
main.add_lazy_command("alerts", "errkit.cli.alerts_cmd:alerts")
main.add_lazy_command("dashboard", "errkit.cli.alerts_cmd:dashboard")
