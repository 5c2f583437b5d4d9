"""`errkit alerts` and `errkit dashboard`: Prometheus rules and a Grafana dashboard.

Both read only the config (namespace, modules and owners, and the
`[tool.errkit.alerts]` thresholds), never the source. Options given on the
command line override the config. Exit status 2 for a bad config or value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from errkit.analysis.alerts import load_alert_settings, render_rules
from errkit.analysis.dashboard import render_dashboard
from errkit.cli._project import fail, load, path_argument, write_output

_OUTPUT = click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write to this file instead of stdout.",
)  # fmt: skip


@click.command("alerts")
@path_argument
@_OUTPUT
@click.option(
    "--runbook-url", default=None,
    help="Runbook link pattern; {alert}, {slug}, {module} and {category} are filled.",
)  # fmt: skip
@click.option("--window", default=None, help="Rate window, e.g. 5m.")
@click.option(
    "--for", "for_duration", default=None,
    help="How long a rate must hold before its alert fires, e.g. 5m.",
)  # fmt: skip
@click.option(
    "--error-rate-warning", type=float, default=None,
    help="Errors/s of all modules that raise the warning alert.",
)  # fmt: skip
@click.option(
    "--error-rate-critical", type=float, default=None,
    help="Errors/s of all modules that raise the critical alert.",
)  # fmt: skip
def alerts(
    path: str,
    output: Path | None,
    runbook_url: str | None,
    window: str | None,
    for_duration: str | None,
    error_rate_warning: float | None,
    error_rate_critical: float | None,
) -> None:
    """Prometheus alert rules for the error metrics of PATH's services."""
    config = load(path)
    given: dict[str, Any] = {
        "runbook_url": runbook_url,
        "window": window,
        "for_duration": for_duration,
        "error_rate_warning": error_rate_warning,
        "error_rate_critical": error_rate_critical,
    }
    overrides = {key: value for key, value in given.items() if value is not None}
    try:
        settings = load_alert_settings(config, **overrides)
    except ValueError as exc:
        fail(str(exc))
    write_output(render_rules(settings), output)


@click.command("dashboard")
@path_argument
@_OUTPUT
@click.option("--title", default=None, help="Dashboard title.")
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True,
    help="How many codes the top-codes panel lists.",
)  # fmt: skip
def dashboard(path: str, output: Path | None, title: str | None, top: int) -> None:
    """A Grafana dashboard (JSON) for the error metrics of PATH's services."""
    config = load(path)
    write_output(render_dashboard(config.namespace, title=title, top=top), output)
