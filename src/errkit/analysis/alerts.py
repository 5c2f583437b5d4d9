"""Prometheus alert rules for the metrics errkit's runtime exports.

The rules read only the three counters the runtime defines (names under the
configured namespace, `errkit` by default):

- `<ns>_errors_total{module, code, category, severity}`
- `<ns>_panics_recovered_total{context}`
- `<ns>_retryable_errors_total{module, category}`

Rates are errors per second over a window, since errkit does not count
requests; thresholds are therefore absolute and every one is configurable
(`AlertSettings`, filled from `[tool.errkit.alerts]` by `alert_settings_from`).
`build_rules` returns the rule file as data and `render_rules` as YAML that
`promtool check rules` accepts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from errkit.analysis._yaml import dump_yaml

if TYPE_CHECKING:
    from errkit.analysis.config import ToolConfig

#: The categories that get an alert of their own, with default thresholds in
#: errors per second: the ones a caller or an operator can act on.
DEFAULT_CATEGORY_RATES: Mapping[str, float] = {
    "validation": 1.0,
    "unauthorized": 0.5,
    "external": 0.5,
    "timeout": 0.5,
    "rate_limit": 1.0,
}

_DURATION = re.compile(r"(\d+(ms|s|m|h|d|w|y))+")
_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


@dataclass(frozen=True, slots=True)
class ModuleAlert:
    """One configured module: its own error-rate alert, routed to its owner."""

    name: str
    owner: str | None = None
    #: Errors per second above which the module alerts; None takes the default.
    error_rate: float | None = None


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """Thresholds and windows for the generated rules; every field has a default.

    Durations are Prometheus durations (`"5m"`, `"90s"`). `runbook_url` is a
    pattern whose `{alert}`, `{slug}`, `{module}` and `{category}` fields are
    filled per rule; without it the rules carry no runbook annotation.
    """

    namespace: str = "errkit"
    window: str = "5m"
    for_duration: str = "5m"
    error_rate_warning: float = 1.0
    error_rate_critical: float = 5.0
    #: Critical-severity errors per second; the default 0 fires on any.
    critical_rate: float = 0.0
    recovered_window: str = "15m"
    #: Recovered failures of one context within `recovered_window`.
    recovered_frequent: int = 5
    category_rates: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_CATEGORY_RATES)
    )
    module_error_rate: float = 1.0
    modules: tuple[ModuleAlert, ...] = ()
    runbook_url: str | None = None

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.namespace):
            msg = (
                f"namespace must be a Prometheus metric-name prefix "
                f"([a-zA-Z_][a-zA-Z0-9_]*), got {self.namespace!r}"
            )
            raise ValueError(msg)
        for name in ("window", "for_duration", "recovered_window"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _DURATION.fullmatch(value):
                msg = f"{name} must be a Prometheus duration like '5m', got {value!r}"
                raise ValueError(msg)
        if self.runbook_url is not None:
            try:
                self.runbook_url.format(alert="A", slug="a", module="m", category="c")
            except (KeyError, IndexError, ValueError) as exc:
                msg = (
                    "runbook_url may use only {alert}, {slug}, {module} and "
                    f"{{category}}, got {self.runbook_url!r} ({exc!r})"
                )
                raise ValueError(msg) from exc
        numbers = {
            name: getattr(self, name)
            for name in (
                "error_rate_warning",
                "error_rate_critical",
                "critical_rate",
                "recovered_frequent",
                "module_error_rate",
            )
        }
        numbers |= {f"category_rates.{k}": v for k, v in self.category_rates.items()}
        numbers |= {
            f"modules.{m.name}": m.error_rate
            for m in self.modules
            if m.error_rate is not None
        }
        for name, value in numbers.items():
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or value < 0:
                msg = f"{name} must be a number >= 0, got {value!r}"
                raise ValueError(msg)
        unknown = sorted(set(self.category_rates) - set(DEFAULT_CATEGORY_RATES))
        if unknown:
            msg = (
                f"category_rates: alerts exist for {sorted(DEFAULT_CATEGORY_RATES)}, "
                f"got unknown {unknown!r}"
            )
            raise ValueError(msg)


def alert_settings_from(
    table: Mapping[str, Any],
    *,
    namespace: str = "errkit",
    modules: Sequence[ModuleAlert] = (),
) -> AlertSettings:
    """Settings from a `[tool.errkit.alerts]` table, over the defaults.

    The table may hold any `AlertSettings` field except `namespace` and
    `modules` (taken from the rest of the config), a `categories` table of
    per-category rates merged over the defaults, and a `modules` table of
    per-module rates. Unknown keys raise ValueError naming the key.
    """
    allowed = {f.name for f in fields(AlertSettings)} - {"namespace", "modules"}
    allowed |= {"categories"}
    values = dict(table)
    unknown = sorted(set(values) - allowed - {"modules"})
    if unknown:
        msg = (
            f"[tool.errkit.alerts]: unknown keys {unknown!r}; known: {sorted(allowed)}"
        )
        raise ValueError(msg)

    rates = dict(DEFAULT_CATEGORY_RATES)
    rates.update(values.pop("categories", {}))
    per_module: Mapping[str, float] = values.pop("modules", {})
    merged = [
        replace(m, error_rate=per_module.get(m.name, m.error_rate)) for m in modules
    ]
    missing = sorted(set(per_module) - {m.name for m in modules})
    if missing:
        msg = f"[tool.errkit.alerts.modules]: no configured module named {missing!r}"
        raise ValueError(msg)

    return AlertSettings(
        namespace=namespace, modules=tuple(merged), category_rates=rates, **values
    )


def load_alert_settings(config: ToolConfig, **overrides: Any) -> AlertSettings:
    """Settings for a loaded toolkit config: its namespace, its modules with their
    owners, its `[tool.errkit.alerts]` table, then `overrides` (from the CLI).

    Raises ValueError naming the file when the alerts table is invalid.
    """
    table: Mapping[str, Any] = {}
    if config.source is not None:
        data = tomllib.loads(Path(config.source).read_text(encoding="utf-8"))
        if Path(config.source).name == "pyproject.toml":
            data = data.get("tool", {}).get("errkit", {})
        table = data.get("alerts", {})
    modules = [ModuleAlert(m.name, m.owner or None) for m in config.modules]
    try:
        settings = alert_settings_from(
            table, namespace=config.namespace, modules=modules
        )
        return replace(settings, **overrides)
    except (TypeError, ValueError) as exc:
        msg = f"{config.source or '<defaults>'}: {exc}"
        raise ValueError(msg) from exc


# --- rule construction --------------------------------------------------------


def build_rules(settings: AlertSettings) -> dict[str, Any]:
    """The Prometheus rule file as data: a group for error rates, one for recovery."""
    ns = settings.namespace
    prefix = "".join(part.capitalize() for part in ns.split("_"))
    errors = f"{ns}_errors_total"
    panics = f"{ns}_panics_recovered_total"
    window, hold = settings.window, settings.for_duration
    b = _Builder(settings, prefix)

    overall = f"sum(rate({errors}[{window}]))"
    b.add(
        "ErrorRateHigh",
        f"{overall} > {_num(settings.error_rate_warning)}",
        "warning",
        hold,
        "Error rate {{ $value | humanize }}/s is above "
        f"{_num(settings.error_rate_warning)}/s",
        f"All modules together raise more errors than usual over {window}. "
        f"See {errors} by module and code.",
    )
    b.add(
        "ErrorRateCritical",
        f"{overall} > {_num(settings.error_rate_critical)}",
        "critical",
        hold,
        "Error rate {{ $value | humanize }}/s is above "
        f"{_num(settings.error_rate_critical)}/s",
        f"All modules together raise errors at a critical rate over {window}.",
    )
    b.add(
        "CriticalSeverityErrors",
        f'sum by (module, code) (rate({errors}{{severity="critical"}}[{window}]))'
        f" > {_num(settings.critical_rate)}",
        "critical",
        "0m",
        "{{ $labels.module }}:{{ $labels.code }} raises critical-severity errors",
        "Errors declared critical are being raised ({{ $value | humanize }}/s).",
    )
    errors_group = b.take()

    # A counter's first sample is invisible to increase(), so a context that
    # fails once right after its process starts would never alert; the second
    # clause catches a series that is new within the window and already > 0.
    rwin = settings.recovered_window
    b.add(
        "RecoveredFailure",
        f"sum by (context) (increase({panics}[{rwin}])) > 0\n"
        f"or sum by (context) ({panics} unless {panics} offset {rwin}) > 0",
        "warning",
        "0m",
        "A background failure was recovered in {{ $labels.context }}",
        "A thread, task or executor job failed and was recovered (recorded "
        "and logged, not re-raised). Its traceback is in the service log "
        "under this context.",
    )
    b.add(
        "RecoveredFailuresFrequent",
        f"sum by (context) (increase({panics}[{rwin}]))"
        f" > {_num(settings.recovered_frequent)}",
        "critical",
        "0m",
        "{{ $labels.context }} recovered {{ $value | humanize }} failures "
        f"in {rwin}",
        "Background work under this context keeps failing: more than "
        f"{_num(settings.recovered_frequent)} recovered failures in {rwin}.",
    )
    recovery_group = b.take()

    for category, rate in settings.category_rates.items():
        title = "".join(part.capitalize() for part in category.split("_"))
        b.add(
            f"{title}Errors",
            f'sum by (module) (rate({errors}{{category="{category}"}}[{window}]))'
            f" > {_num(rate)}",
            "warning",
            hold,
            f"{{{{ $labels.module }}}} raises {category} errors at "
            "{{ $value | humanize }}/s",
            _CATEGORY_HINTS[category],
            category=category,
        )
    for module in settings.modules:
        own = module.error_rate
        threshold = settings.module_error_rate if own is None else own
        extra = {"team": module.owner} if module.owner else {}
        b.add(
            "ModuleErrorRate",
            f'sum(rate({errors}{{module="{module.name}"}}[{window}]))'
            f" > {_num(threshold)}",
            "warning",
            hold,
            f"{module.name} raises errors at {{{{ $value | humanize }}}}/s, "
            f"above {_num(threshold)}/s",
            f"Module {module.name} raises more errors than its threshold.",
            module=module.name,
            labels={"module": module.name, **extra},
        )
    category_group = b.take()

    groups = [
        {"name": f"{ns}-errors", "rules": errors_group + category_group},
        {"name": f"{ns}-recovery", "rules": recovery_group},
    ]
    return {"groups": groups}


def render_rules(settings: AlertSettings) -> str:
    """The rule file as YAML, with a header saying where it came from."""
    header = (
        "# Prometheus alert rules generated by `errkit alerts`; regenerate, "
        "do not edit.\n"
    )
    return header + dump_yaml(build_rules(settings))


_CATEGORY_HINTS: Mapping[str, str] = {
    "validation": "Callers send requests the module rejects; a client release "
    "or a changed contract is the usual cause.",
    "unauthorized": "Requests are refused for missing or wrong credentials; "
    "check expiring keys and tokens, or probing clients.",
    "external": "A dependency of the module is failing; check the services it calls.",
    "timeout": "Operations of the module time out; check latency of its "
    "dependencies and its own saturation.",
    "rate_limit": "Calls are being rate limited; check for a retry storm or a "
    "limit that no longer fits the traffic.",
}


class _Builder:
    """Collects rules, filling the common labels and annotations."""

    def __init__(self, settings: AlertSettings, prefix: str) -> None:
        self._settings = settings
        self._prefix = prefix
        self._rules: list[dict[str, Any]] = []

    def add(
        self,
        name: str,
        expr: str,
        severity: str,
        hold: str,
        summary: str,
        description: str,
        *,
        module: str = "",
        category: str = "",
        labels: Mapping[str, str] | None = None,
    ) -> None:
        alert = self._prefix + name
        annotations = {"summary": summary, "description": description}
        pattern = self._settings.runbook_url
        if pattern:
            annotations["runbook_url"] = pattern.format(
                alert=alert, slug=_slug(alert), module=module, category=category
            )
        rule: dict[str, Any] = {"alert": alert, "expr": expr}
        if hold != "0m":
            rule["for"] = hold
        rule["labels"] = {"severity": severity, **(labels or {})}
        rule["annotations"] = annotations
        self._rules.append(rule)

    def take(self) -> list[dict[str, Any]]:
        rules, self._rules = self._rules, []
        return rules


def _slug(alert: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", alert).lower()


def _num(value: float) -> str:
    """A threshold as PromQL reads it: `1` rather than `1.0`."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
