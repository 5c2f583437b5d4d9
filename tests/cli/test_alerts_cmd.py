"""`errkit alerts` and `errkit dashboard` on a project's config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from errkit.cli.alerts_cmd import alerts, dashboard

CONFIG = """\
[tool.errkit]
namespace = "shop"

[tool.errkit.modules.inventory]
range = [100, 199]
owner = "team-stock"

[tool.errkit.modules.orders]
range = [200, 299]

[tool.errkit.alerts]
error_rate_warning = 2.5
runbook_url = "https://RUNBOOK-HOST/{slug}"

[tool.errkit.alerts.categories]
timeout = 0.1

[tool.errkit.alerts.modules]
orders = 0.2
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config with a namespace, two modules and an alerts table."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    return tmp_path


def _exprs(text: str) -> dict[str, str]:
    rules = [r for g in yaml.safe_load(text)["groups"] for r in g["rules"]]
    return {
        r["alert"] + (f"/{r['labels']['module']}" if "module" in r["labels"] else ""): (
            r["expr"]
        )
        for r in rules
    }


class TestAlerts:
    def test_config_table_sets_thresholds_modules_and_runbooks(
        self, project: Path
    ) -> None:
        """Namespace, per-category and per-module thresholds come from the config."""
        result = CliRunner().invoke(alerts, ["."])

        assert result.exit_code == 0
        exprs = _exprs(result.stdout)
        assert exprs["ShopErrorRateHigh"] == "sum(rate(shop_errors_total[5m])) > 2.5"
        assert exprs["ShopTimeoutErrors"].endswith(" > 0.1")
        assert exprs["ShopModuleErrorRate/orders"] == (
            'sum(rate(shop_errors_total{module="orders"}[5m])) > 0.2'
        )
        assert exprs["ShopModuleErrorRate/inventory"].endswith(" > 1")
        assert 'runbook_url: "https://RUNBOOK-HOST/shop-error-rate-high"' in (
            result.stdout
        )

    def test_options_override_the_config(self, project: Path) -> None:
        """Command-line values win over the alerts table."""
        result = CliRunner().invoke(
            alerts, [".", "--window", "2m", "--error-rate-warning", "9"]
        )

        assert _exprs(result.stdout)["ShopErrorRateHigh"] == (
            "sum(rate(shop_errors_total[2m])) > 9"
        )

    @pytest.mark.parametrize(
        ("extra", "args", "message"),
        [
            pytest.param(
                "",
                ["--window", "soon"],
                "window must be a Prometheus duration like '5m', got 'soon'",
                id="bad-option",
            ),
            pytest.param(
                "[tool.errkit.alerts.modules]\nbilling = 1.0\n",
                [],
                "[tool.errkit.alerts.modules]: no configured module named ['billing']",
                id="unknown-module",
            ),
        ],
    )
    def test_bad_settings_are_usage_errors(
        self, project: Path, extra: str, args: list[str], message: str
    ) -> None:
        """A bad value exits 2 naming the config file and the value."""
        config = project / "pyproject.toml"
        if extra:
            config.write_text(CONFIG.split("[tool.errkit.alerts.modules]")[0] + extra)

        result = CliRunner().invoke(alerts, [".", *args])

        assert (result.exit_code, result.stderr) == (
            2,
            f"errkit: error: {config.relative_to(project)}: {message}\n",
        )


class TestDashboard:
    def test_writes_dashboard_for_the_namespace(self, project: Path) -> None:
        """The dashboard queries use the configured namespace."""
        result = CliRunner().invoke(dashboard, [".", "-o", "d.json", "--top", "3"])

        data = json.loads((project / "d.json").read_text())
        assert result.exit_code == 0
        assert data["uid"] == "shop-errors"
        assert [p["title"] for p in data["panels"]][2] == "Top 3 codes"
