"""`errkit catalog` and `errkit explain` on a small project."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from errkit.analysis.catalog import CLIENT_ACTIONS
from errkit.cli.app import main
from errkit.cli.catalog_cmd import catalog, explain

CONFIG = """\
[tool.errkit.modules.inventory]
paths = ["shop/inventory"]
range = [100, 199]
description = "Stock levels and reservations"
"""
ERRORS_PY = '''\
import errkit


class OutOfStock(errkit.ConflictError, module="inventory", code=120):
    """Not enough free units to reserve."""
'''
STOCK_PY = """\
import errkit

from shop.inventory.errors import OutOfStock


def reserve(n):
    if n > 5:
        raise OutOfStock(f"only {n} left")
    raise errkit.NotFoundError("no such sku", module="inventory", code=110)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One module with a declared class and an ad-hoc code; the current folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    pkg = tmp_path / "shop" / "inventory"
    pkg.mkdir(parents=True)
    (pkg / "errors.py").write_text(ERRORS_PY)
    (pkg / "stock.py").write_text(STOCK_PY)
    return tmp_path


class TestCatalog:
    def test_json_lists_every_code(self, project: Path) -> None:
        """The JSON catalog has both codes with their places."""
        result = CliRunner().invoke(catalog, [".", "--format", "json", "--no-cache"])

        assert result.exit_code == 0
        codes = json.loads(result.stdout)["codes"]
        assert [(c["code_str"], c["declared_at"], c["raised_at"]) for c in codes] == [
            ("inventory:110", [], ["shop/inventory/stock.py:9"]),
            (
                "inventory:120",
                ["shop/inventory/errors.py:4"],
                ["shop/inventory/stock.py:8"],
            ),
        ]
        assert result.stderr == "errkit catalog: 2 code(s)\n"

    def test_markdown_to_a_file(self, project: Path) -> None:
        """`--output` writes the Markdown document, with module descriptions."""
        result = CliRunner().invoke(
            catalog, [".", "-o", "CATALOG.md", "--title", "Shop errors", "--no-cache"]
        )

        text = (project / "CATALOG.md").read_text()
        assert (result.exit_code, result.stdout) == (0, "")
        assert text.startswith("# Shop errors\n")
        assert "## inventory\n\nStock levels and reservations\n" in text
        assert "errkit: wrote CATALOG.md\n" in result.stderr


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class TestBundledExample:
    def test_committed_catalog_is_up_to_date(self) -> None:
        """examples/CATALOG.md is exactly what `errkit catalog` makes of the example."""
        committed = (EXAMPLES / "CATALOG.md").read_text(encoding="utf-8")

        result = CliRunner().invoke(
            main, ["catalog", str(EXAMPLES / "service"), "--no-cache"]
        )

        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("# bazaar error catalog\n")
        assert result.stdout == committed, (
            "examples/CATALOG.md is stale; regenerate it with: errkit catalog "
            "examples/service -o examples/CATALOG.md"
        )


class TestExplain:
    def test_prints_one_entry(self, project: Path) -> None:
        """`explain inventory:120` prints the entry like an error index."""
        result = CliRunner().invoke(explain, ["inventory:120", "--no-cache"])

        assert result.exit_code == 0
        assert result.stdout == textwrap.dedent(
            f"""\
            inventory:120: OutOfStock

            Not enough free units to reserve.

            category:   conflict
            severity:   warning
            retryable:  no
            message:    only {{n}} left

            What a client should do: {CLIENT_ACTIONS["conflict"]}

            Declared at:
              shop/inventory/errors.py:4

            Raised at:
              shop/inventory/stock.py:8
            """
        )

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            pytest.param(
                "inventory:999",
                "errkit: error: CODE: 'inventory:999' is not declared or raised in .; "
                "codes of inventory: inventory:110, inventory:120\n",
                id="unknown-code",
            ),
            pytest.param(
                "120",
                "errkit: error: CODE: code must look like 'module:number' "
                "(e.g. 'inventory:120'), got '120'\n",
                id="malformed",
            ),
        ],
    )
    def test_bad_codes_are_usage_errors(
        self, project: Path, code: str, message: str
    ) -> None:
        """An unknown or malformed code exits 2 saying what exists."""
        result = CliRunner().invoke(explain, [code, "--no-cache"])

        assert (result.exit_code, result.stderr) == (2, message)
