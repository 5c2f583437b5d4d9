"""The Grafana dashboard: its panels, queries and variables."""

from __future__ import annotations

import json

import pytest

from errkit.analysis.dashboard import build_dashboard, render_dashboard


class TestDashboard:
    def test_panels_and_their_queries(self) -> None:
        """One panel per view the operators asked for, on errkit's metric names."""
        panels = {
            p["title"]: [t["expr"] for t in p["targets"]]
            for p in build_dashboard("bazaar", top=5)["panels"]
        }

        errors = 'bazaar_errors_total{module=~"$module"}'
        assert panels == {
            "Errors by module": [f"sum by (module) (rate({errors}[$__rate_interval]))"],
            "Errors by category": [
                f"sum by (category) (rate({errors}[$__rate_interval]))"
            ],
            "Top 5 codes": [
                f"topk(5, sum by (module, code, category) (increase({errors}[$__range])))"
            ],
            "Recovered failures by context": [
                (
                    "sum by (context) (increase(bazaar_panics_recovered_total"
                    "[$__rate_interval]))"
                )
            ],
            "Retryable share": [
                (
                    'sum(rate(bazaar_retryable_errors_total{module=~"$module"}'
                    "[$__rate_interval])) / "
                    f"sum(rate({errors}[$__rate_interval]))"
                )
            ],
        }

    def test_variables_select_data_source_and_modules(self) -> None:
        """The data source is a variable and modules come from the metric's labels."""
        variables = build_dashboard()["templating"]["list"]

        assert [(v["name"], v["type"]) for v in variables] == [
            ("datasource", "datasource"),
            ("module", "query"),
        ]
        assert variables[1]["definition"] == "label_values(errkit_errors_total, module)"

    def test_panels_do_not_overlap(self) -> None:
        """Grid positions tile the 24-column grid without overlap."""
        cells = set()
        for panel in build_dashboard()["panels"]:
            pos = panel["gridPos"]
            for x in range(pos["x"], pos["x"] + pos["w"]):
                for y in range(pos["y"], pos["y"] + pos["h"]):
                    assert (x, y) not in cells, panel["title"]
                    cells.add((x, y))

        assert max(x for x, _ in cells) == 23

    def test_renders_as_json(self) -> None:
        """The rendered text is the data as JSON, ending with a newline."""
        text = render_dashboard("bazaar", title="Bazaar errors")

        assert text.endswith("}\n")
        assert json.loads(text) == build_dashboard("bazaar", title="Bazaar errors")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            pytest.param(
                {"namespace": "9x"},
                "namespace must be a Prometheus metric-name prefix "
                "([a-zA-Z_][a-zA-Z0-9_]*), got '9x'",
                id="namespace",
            ),
            pytest.param({"top": 0}, "top must be at least 1, got 0", id="top"),
        ],
    )
    def test_rejects_bad_arguments(
        self, kwargs: dict[str, object], message: str
    ) -> None:
        """Bad arguments raise ValueError naming them."""
        with pytest.raises(ValueError) as caught:
            build_dashboard(**kwargs)  # type: ignore[arg-type]

        assert str(caught.value) == message
