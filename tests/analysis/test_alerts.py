"""Alert settings, rule construction and the YAML they are written as."""

from __future__ import annotations

import pytest
import yaml

from errkit.analysis._yaml import dump_yaml
from errkit.analysis.alerts import (
    DEFAULT_CATEGORY_RATES,
    AlertSettings,
    ModuleAlert,
    alert_settings_from,
    build_rules,
    render_rules,
)


def _rules(settings: AlertSettings) -> dict[str, dict[str, object]]:
    """Rules by alert name (module rules by `alert/module`)."""
    out = {}
    for group in build_rules(settings)["groups"]:
        for rule in group["rules"]:
            module = rule["labels"].get("module")
            out[rule["alert"] + (f"/{module}" if module else "")] = rule
    return out


class TestBuildRules:
    def test_default_alert_names(self) -> None:
        """Without modules: overall, critical severity, recovery and five categories."""
        assert sorted(_rules(AlertSettings())) == [
            "ErrkitCriticalSeverityErrors",
            "ErrkitErrorRateCritical",
            "ErrkitErrorRateHigh",
            "ErrkitExternalErrors",
            "ErrkitRateLimitErrors",
            "ErrkitRecoveredFailure",
            "ErrkitRecoveredFailuresFrequent",
            "ErrkitTimeoutErrors",
            "ErrkitUnauthorizedErrors",
            "ErrkitValidationErrors",
        ]

    def test_thresholds_windows_and_namespace_reach_the_expressions(self) -> None:
        """Configured values appear verbatim in PromQL and in `for`."""
        rules = _rules(
            AlertSettings(
                namespace="bazaar",
                window="2m",
                for_duration="90s",
                error_rate_warning=0.25,
                category_rates={"timeout": 0.05},
            )
        )

        assert rules["BazaarErrorRateHigh"]["expr"] == (
            "sum(rate(bazaar_errors_total[2m])) > 0.25"
        )
        assert rules["BazaarErrorRateHigh"]["for"] == "90s"
        assert rules["BazaarTimeoutErrors"]["expr"] == (
            'sum by (module) (rate(bazaar_errors_total{category="timeout"}[2m])) > 0.05'
        )
        assert "BazaarValidationErrors" not in rules

    def test_module_rules_carry_module_owner_and_own_threshold(self) -> None:
        """Each configured module gets a rule routed to its owner."""
        rules = _rules(
            AlertSettings(
                modules=(
                    ModuleAlert("escrow", "team-payments", 0.1),
                    ModuleAlert("mfa"),
                )
            )
        )

        escrow = rules["ErrkitModuleErrorRate/escrow"]
        assert (
            escrow["expr"]
            == 'sum(rate(errkit_errors_total{module="escrow"}[5m])) > 0.1'
        )
        assert escrow["labels"] == {
            "severity": "warning",
            "module": "escrow",
            "team": "team-payments",
        }
        assert rules["ErrkitModuleErrorRate/mfa"]["expr"].endswith(" > 1")

    def test_runbook_pattern_is_filled_per_rule(self) -> None:
        """`{slug}`, `{module}` and `{category}` are filled for each rule."""
        rules = _rules(
            AlertSettings(
                modules=(ModuleAlert("mfa"),),
                runbook_url="https://wiki.invalid/{slug}?m={module}&c={category}",
            )
        )

        annotations = {k: r["annotations"]["runbook_url"] for k, r in rules.items()}
        assert annotations["ErrkitTimeoutErrors"] == (
            "https://wiki.invalid/errkit-timeout-errors?m=&c=timeout"
        )
        assert annotations["ErrkitModuleErrorRate/mfa"] == (
            "https://wiki.invalid/errkit-module-error-rate?m=mfa&c="
        )

    def test_without_runbook_pattern_there_is_no_runbook_annotation(self) -> None:
        """The default points nowhere rather than at a made-up host."""
        assert all(
            "runbook_url" not in r["annotations"]
            for r in _rules(AlertSettings()).values()
        )

    def test_rendered_yaml_reads_back_as_the_rules(self) -> None:
        """The YAML writer round-trips through a real YAML parser."""
        settings = AlertSettings(modules=(ModuleAlert("mfa", "team-trust"),))

        assert yaml.safe_load(render_rules(settings)) == build_rules(settings)


class TestSettings:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            pytest.param(
                {"namespace": "bad-name"},
                "namespace must be a Prometheus metric-name prefix "
                "([a-zA-Z_][a-zA-Z0-9_]*), got 'bad-name'",
                id="namespace",
            ),
            pytest.param(
                {"window": "5 minutes"},
                "window must be a Prometheus duration like '5m', got '5 minutes'",
                id="window",
            ),
            pytest.param(
                {"category_rates": {"conflict": 1.0}},
                "category_rates: alerts exist for ['external', 'rate_limit', "
                "'timeout', 'unauthorized', 'validation'], got unknown ['conflict']",
                id="category",
            ),
            pytest.param(
                {"error_rate_warning": "high"},
                "error_rate_warning must be a number >= 0, got 'high'",
                id="not-a-number",
            ),
            pytest.param(
                {"category_rates": {"timeout": -1}},
                "category_rates.timeout must be a number >= 0, got -1",
                id="negative-category-rate",
            ),
            pytest.param(
                {"modules": (ModuleAlert("mfa", error_rate=True),)},
                "modules.mfa must be a number >= 0, got True",
                id="module-rate-bool",
            ),
            pytest.param(
                {"runbook_url": "https://x.invalid/{name}"},
                "runbook_url may use only {alert}, {slug}, {module} and {category}, "
                "got 'https://x.invalid/{name}' (KeyError('name'))",
                id="runbook-field",
            ),
        ],
    )
    def test_bad_values_name_the_parameter_and_value(
        self, kwargs: dict[str, object], message: str
    ) -> None:
        """Invalid settings raise ValueError with the field and the rejected value."""
        with pytest.raises(ValueError) as caught:
            AlertSettings(**kwargs)  # type: ignore[arg-type]

        assert str(caught.value) == message

    def test_table_merges_over_defaults(self) -> None:
        """A `[tool.errkit.alerts]` table overrides only what it names."""
        settings = alert_settings_from(
            {
                "error_rate_warning": 2.0,
                "categories": {"timeout": 0.1},
                "modules": {"escrow": 0.05},
            },
            namespace="bazaar",
            modules=[ModuleAlert("escrow", "team-payments"), ModuleAlert("mfa")],
        )

        assert settings.namespace == "bazaar"
        assert settings.error_rate_warning == 2.0
        assert settings.error_rate_critical == 5.0
        assert settings.category_rates == {**DEFAULT_CATEGORY_RATES, "timeout": 0.1}
        assert settings.modules == (
            ModuleAlert("escrow", "team-payments", 0.05),
            ModuleAlert("mfa"),
        )

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            pytest.param(
                {"error_rate": 1},
                "[tool.errkit.alerts]: unknown keys ['error_rate']; known: [",
                id="unknown-key",
            ),
            pytest.param(
                {"modules": {"billing": 1}},
                "[tool.errkit.alerts.modules]: no configured module named ['billing']",
                id="unknown-module",
            ),
        ],
    )
    def test_table_rejects_unknown_keys(
        self, table: dict[str, object], message: str
    ) -> None:
        """Typos in the alerts table are errors, not silently ignored."""
        with pytest.raises(ValueError) as caught:
            alert_settings_from(table, modules=[ModuleAlert("mfa")])

        assert str(caught.value).startswith(message)


class TestYaml:
    def test_writes_nested_data_that_parses_back(self) -> None:
        """Mappings, lists, quotes, newlines and numbers survive a YAML parser."""
        data = {
            "a": [{"b": 'x{y="1"}', "c": [1, 2.5, True, None]}, "plain"],
            "multi line": "first\nsecond",
            "empty": {},
            "none": [],
            "colon": "a: b # c",
        }

        assert yaml.safe_load(dump_yaml(data)) == data

    def test_rejects_other_types(self) -> None:
        """Unsupported values are a TypeError naming the value."""
        with pytest.raises(TypeError) as caught:
            dump_yaml({"x": {1, 2}})

        assert str(caught.value) == (
            "dump_yaml: value {1, 2} of type set is not a mapping, list, string, "
            "number, boolean or None"
        )
