"""A Grafana dashboard for the metrics errkit's runtime exports.

The dashboard is plain Grafana JSON (schema 39) with a Prometheus data-source
variable and a `module` variable, so one import serves every environment:
errors by module and by category, the top codes, recovered failures by
context, and the share of errors that are retryable. Queries use the same
metric names as the alert rules (`errkit.analysis.alerts`).
"""

from __future__ import annotations

import json
import re
from typing import Any

_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_DS = {"type": "prometheus", "uid": "${datasource}"}


def build_dashboard(
    namespace: str = "errkit", *, title: str | None = None, top: int = 10
) -> dict[str, Any]:
    """The dashboard as data; `top` is how many codes the top-codes panel lists."""
    if not _NAME.fullmatch(namespace):
        msg = (
            f"namespace must be a Prometheus metric-name prefix "
            f"([a-zA-Z_][a-zA-Z0-9_]*), got {namespace!r}"
        )
        raise ValueError(msg)
    if top < 1:
        msg = f"top must be at least 1, got {top!r}"
        raise ValueError(msg)

    errors = f'{namespace}_errors_total{{module=~"$module"}}'
    retryable = f'{namespace}_retryable_errors_total{{module=~"$module"}}'
    panics = f"{namespace}_panics_recovered_total"
    panels = [
        _timeseries(
            1,
            "Errors by module",
            0,
            0,
            f"sum by (module) (rate({errors}[$__rate_interval]))",
            "{{module}}",
            "Errors per second raised in each module.",
        ),
        _timeseries(
            2,
            "Errors by category",
            12,
            0,
            f"sum by (category) (rate({errors}[$__rate_interval]))",
            "{{category}}",
            "Errors per second by category (validation, not_found, ...).",
        ),
        _top_codes(3, errors, top),
        _timeseries(
            4,
            "Recovered failures by context",
            12,
            8,
            f"sum by (context) (increase({panics}[$__rate_interval]))",
            "{{context}}",
            "Background failures (threads, tasks, executor jobs) that were "
            "recovered, by the context label given to them.",
            unit="short",
        ),
        _retryable_share(5, errors, retryable),
    ]

    return {
        "title": title or f"{namespace} errors",
        "uid": f"{namespace}-errors",
        "tags": ["errkit", namespace],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": _variables(namespace)},
        "annotations": {"list": []},
        "panels": panels,
    }


def render_dashboard(namespace: str = "errkit", **options: Any) -> str:
    """The dashboard as indented JSON, ending with a newline."""
    return json.dumps(build_dashboard(namespace, **options), indent=2) + "\n"


# --- panels ---------------------------------------------------------------------


def _variables(namespace: str) -> list[dict[str, Any]]:
    return [
        {
            "name": "datasource",
            "label": "Data source",
            "type": "datasource",
            "query": "prometheus",
            "current": {},
            "hide": 0,
        },
        {
            "name": "module",
            "label": "Module",
            "type": "query",
            "datasource": _DS,
            "query": {
                "query": f"label_values({namespace}_errors_total, module)",
                "refId": "modules",
            },
            "definition": f"label_values({namespace}_errors_total, module)",
            "refresh": 2,
            "includeAll": True,
            "multi": True,
            "allValue": ".*",
            "current": {"text": "All", "value": "$__all"},
            "sort": 1,
            "hide": 0,
        },
    ]


def _target(expr: str, legend: str, ref: str = "A", **extra: Any) -> dict[str, Any]:
    return {
        "datasource": _DS,
        "expr": expr,
        "legendFormat": legend,
        "refId": ref,
        **extra,
    }


def _timeseries(
    pid: int,
    title: str,
    x: int,
    y: int,
    expr: str,
    legend: str,
    description: str,
    *,
    unit: str = "reqps",
) -> dict[str, Any]:
    return {
        "id": pid,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": _DS,
        "gridPos": {"h": 8, "w": 12, "x": x, "y": y},
        "fieldConfig": {
            "defaults": {"unit": unit, "custom": {"stacking": {"mode": "normal"}}},
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "table", "placement": "right"}},
        "targets": [_target(expr, legend)],
    }


def _top_codes(pid: int, errors: str, top: int) -> dict[str, Any]:
    expr = (
        f"topk({top}, sum by (module, code, category) (increase({errors}[$__range])))"
    )
    return {
        "id": pid,
        "type": "table",
        "title": f"Top {top} codes",
        "description": "The codes raised most often over the selected time "
        "range; look each up with `errkit explain module:code`.",
        "datasource": _DS,
        "gridPos": {"h": 8, "w": 12, "x": 0, "y": 8},
        "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []},
        "options": {"sortBy": [{"displayName": "Value", "desc": True}]},
        "transformations": [
            {
                "id": "organize",
                "options": {"excludeByName": {"Time": True}},
            }
        ],
        "targets": [_target(expr, "", format="table", instant=True)],
    }


def _retryable_share(pid: int, errors: str, retryable: str) -> dict[str, Any]:
    expr = (
        f"sum(rate({retryable}[$__rate_interval])) / "
        f"sum(rate({errors}[$__rate_interval]))"
    )
    return {
        "id": pid,
        "type": "timeseries",
        "title": "Retryable share",
        "description": "The fraction of errors a client may retry (external, "
        "timeout, rate limit). A rising share points at dependencies rather "
        "than at callers or bugs.",
        "datasource": _DS,
        "gridPos": {"h": 8, "w": 24, "x": 0, "y": 16},
        "fieldConfig": {
            "defaults": {"unit": "percentunit", "min": 0, "max": 1},
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [_target(expr, "retryable share")],
    }
