"""The generated alert rules, checked and unit-tested by the real `promtool`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from errkit.analysis._yaml import dump_yaml
from errkit.analysis.alerts import AlertSettings, ModuleAlert, build_rules, render_rules
from errkit.analysis.config import load_config
from errkit.analysis.dashboard import build_dashboard
from errkit.cli.app import main

SETTINGS = AlertSettings(
    modules=(
        ModuleAlert("inventory", owner="team-stock"),
        ModuleAlert("orders", error_rate=0.2),
    ),
    runbook_url="https://runbooks.invalid/errkit/{slug}",
)


def _errors(module: str, category: str, severity: str = "warning") -> str:
    return (
        f'errkit_errors_total{{module="{module}",code="{module}:101",'
        f'category="{category}",severity="{severity}"}}'
    )


def _panics(context: str) -> str:
    return f'errkit_panics_recovered_total{{context="{context}"}}'


def _per_second(rate: float) -> str:
    """A counter rising by `rate` per second, sampled each minute for 30 minutes.

    It starts at 1000 so Prometheus' extrapolation is not clipped at zero and
    rate() gives `rate` exactly.
    """
    return f"1000+{rate * 60:g}x30"


@dataclass(frozen=True)
class Case:
    """One alert: series above its threshold (fires) and below it (quiet)."""

    alert: str
    above: list[tuple[str, str]]
    below: list[tuple[str, str]]
    labels: dict[str, str]  # the firing alert's labels, without alertname
    value: str  # the humanized $value the annotations show
    eval_time: str = "15m"


CASES = [
    Case(
        "ErrkitErrorRateHigh",
        above=[(_errors("inventory", "conflict"), _per_second(2))],
        below=[(_errors("inventory", "conflict"), _per_second(0.5))],
        labels={"severity": "warning"},
        value="2",
    ),
    Case(
        "ErrkitErrorRateCritical",
        above=[
            (_errors("inventory", "conflict"), _per_second(4)),
            (_errors("orders", "internal"), _per_second(6)),
        ],
        below=[(_errors("inventory", "conflict"), _per_second(4))],
        labels={"severity": "critical"},
        value="10",
    ),
    Case(
        "ErrkitCriticalSeverityErrors",
        above=[(_errors("orders", "internal", "critical"), _per_second(1))],
        below=[
            (_errors("orders", "internal", "critical"), "7+0x30"),
            (_errors("orders", "internal", "error"), _per_second(3)),
        ],
        labels={"severity": "critical", "module": "orders", "code": "orders:101"},
        value="1",
    ),
    Case(
        "ErrkitRecoveredFailure",
        # Quiet means: nothing new for a whole window (15m) of a known series.
        above=[(_panics("bids:poll"), "0+0x10 1+0x20")],
        below=[(_panics("bids:poll"), "3+0x30")],
        labels={"severity": "warning", "context": "bids:poll"},
        value="1",
        eval_time="20m",
    ),
    Case(
        # The first sample of a new series: invisible to increase(), still an alert.
        "ErrkitRecoveredFailure",
        above=[(_panics("usage:flush"), "_ _ _ _ 1 1 1")],
        below=[(_panics("usage:flush"), "_ _ _ _ 0 0 0")],
        labels={"severity": "warning", "context": "usage:flush"},
        value="1",
        eval_time="6m",
    ),
    Case(
        "ErrkitRecoveredFailuresFrequent",
        above=[(_panics("bids:poll"), "0+1x30")],
        below=[(_panics("bids:poll"), "0+0.2x30")],
        labels={"severity": "critical", "context": "bids:poll"},
        value="15",
        eval_time="20m",
    ),
    *[
        Case(
            f"Errkit{title}Errors",
            above=[(_errors("inventory", category), _per_second(rate * 2))],
            below=[
                (_errors("inventory", category), _per_second(rate / 2)),
                (_errors("inventory", "not_found"), _per_second(50)),
            ],
            labels={"severity": "warning", "module": "inventory"},
            value=f"{rate * 2:g}",
        )
        for category, title, rate in [
            ("validation", "Validation", 1.0),
            ("unauthorized", "Unauthorized", 0.5),
            ("external", "External", 0.5),
            ("timeout", "Timeout", 0.5),
            ("rate_limit", "RateLimit", 1.0),
        ]
    ],
    Case(
        "ErrkitModuleErrorRate",
        above=[(_errors("inventory", "state"), _per_second(2))],
        below=[
            (_errors("inventory", "state"), _per_second(0.5)),
            (_errors("catalog", "state"), _per_second(50)),
        ],
        labels={"severity": "warning", "module": "inventory", "team": "team-stock"},
        value="2",
    ),
    Case(
        # orders has its own threshold (0.2/s), lower than the default 1/s
        "ErrkitModuleErrorRate",
        above=[(_errors("orders", "state"), _per_second(0.5))],
        below=[(_errors("orders", "state"), _per_second(0.1))],
        labels={"severity": "warning", "module": "orders"},
        value="500m",
    ),
]


def _rule(alert: str, labels: dict[str, str]) -> dict[str, Any]:
    """The generated rule for `alert` (the module rule matching `labels`)."""
    for group in build_rules(SETTINGS)["groups"]:
        for rule in group["rules"]:
            module = rule["labels"].get("module")
            if rule["alert"] == alert and module in (None, labels.get("module")):
                return rule
    raise AssertionError(f"no rule {alert} for {labels}")


def _render(template: str, labels: dict[str, str], value: str) -> str:
    """Expand the two template forms the rules use, as Prometheus does."""
    text = template.replace("{{ $value | humanize }}", value)
    return re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels[m.group(1)], text)


def _unit_test_file(case: Case) -> dict[str, Any]:
    rule = _rule(case.alert, case.labels)
    expected = {
        "exp_labels": case.labels,
        "exp_annotations": {
            key: _render(text, case.labels, case.value)
            for key, text in rule["annotations"].items()
        },
    }

    def group(series: list[tuple[str, str]], alerts: list[Any]) -> dict[str, Any]:
        return {
            "interval": "1m",
            "input_series": [{"series": s, "values": v} for s, v in series],
            "alert_rule_test": [
                {
                    "eval_time": case.eval_time,
                    "alertname": case.alert,
                    "exp_alerts": alerts,
                }
            ],
        }

    return {
        "rule_files": ["rules.yml"],
        "evaluation_interval": "1m",
        "tests": [group(case.above, [expected]), group(case.below, [])],
    }


class TestCheckRules:
    @pytest.mark.parametrize(
        "settings",
        [
            pytest.param(AlertSettings(), id="defaults"),
            pytest.param(SETTINGS, id="modules-and-runbooks"),
            pytest.param(
                AlertSettings(
                    namespace="bazaar_api",
                    window="2m",
                    for_duration="90s",
                    category_rates={"timeout": 0.05},
                ),
                id="custom-namespace-and-thresholds",
            ),
        ],
    )
    def test_promtool_accepts_generated_rules(
        self, tmp_path: Path, run_promtool: Callable[..., str], settings: AlertSettings
    ) -> None:
        """`promtool check rules` accepts the file and counts every rule."""
        count = sum(len(g["rules"]) for g in build_rules(settings)["groups"])
        (tmp_path / "rules.yml").write_text(render_rules(settings))

        output = run_promtool("check", "rules", "rules.yml", cwd=tmp_path)

        assert f"SUCCESS: {count} rules found" in output

    def test_promtool_accepts_the_bundled_examples_rules(
        self, tmp_path: Path, run_promtool: Callable[..., str]
    ) -> None:
        """`errkit alerts examples/service` gives a valid file with a rule per module."""
        example = Path(__file__).resolve().parents[2] / "examples" / "service"
        rules = tmp_path / "rules.yml"
        result = CliRunner().invoke(main, ["alerts", str(example), "-o", str(rules)])
        modules = len(load_config(example).modules)

        output = run_promtool("check", "rules", "rules.yml", cwd=tmp_path)

        assert result.exit_code == 0, result.stderr
        assert f"SUCCESS: {10 + modules} rules found" in output
        assert modules >= 8

    def test_dashboard_queries_are_valid_promql(
        self, tmp_path: Path, run_promtool: Callable[..., str]
    ) -> None:
        """Every dashboard query parses as PromQL once Grafana's variables are filled."""
        exprs = [
            target["expr"]
            for panel in build_dashboard()["panels"]
            for target in panel["targets"]
        ]
        filled = [
            e.replace("$__rate_interval", "1m")
            .replace("$__range", "1h")
            .replace("$module", ".*")
            for e in exprs
        ]
        rules = [
            {"record": f"dashboard:query{i}", "expr": e} for i, e in enumerate(filled)
        ]
        (tmp_path / "dashboard.yml").write_text(
            dump_yaml({"groups": [{"name": "dashboard", "rules": rules}]})
        )

        output = run_promtool("check", "rules", "dashboard.yml", cwd=tmp_path)

        assert f"SUCCESS: {len(exprs)} rules found" in output


class TestUnitRules:
    def test_every_rule_has_a_case(self) -> None:
        """Each generated alert name is unit-tested below."""
        names = {
            r["alert"] for g in build_rules(SETTINGS)["groups"] for r in g["rules"]
        }

        assert names == {case.alert for case in CASES}

    @pytest.mark.parametrize(
        "case",
        CASES,
        ids=[f"{c.alert}-{'-'.join(c.labels.values())}" for c in CASES],
    )
    def test_alert_fires_above_and_stays_quiet_below(
        self, tmp_path: Path, run_promtool: Callable[..., str], case: Case
    ) -> None:
        """The alert fires with exact labels and annotations above its threshold only."""
        (tmp_path / "rules.yml").write_text(render_rules(SETTINGS))
        (tmp_path / "test.yml").write_text(json.dumps(_unit_test_file(case), indent=1))

        output = run_promtool("test", "rules", "test.yml", cwd=tmp_path)

        assert "SUCCESS" in output
