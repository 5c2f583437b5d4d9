"""The error catalog: entries from declarations and raises, and its renderings."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from errkit.analysis.catalog import (
    CLIENT_ACTIONS,
    CatalogEntry,
    build_catalog,
    find_raises,
    parse_code,
)
from errkit.analysis.catalog_format import render_explain, render_json, render_markdown
from errkit.analysis.sites import CodeDeclaration, FileScan

ERRORS_PY = '''\
import errkit


class OutOfStock(errkit.ConflictError, module="inventory", code=120):
    """Not enough free units to reserve.

    Raised when a reservation asks for more units than are free.
    """
'''
STOCK_PY = """\
import errkit
from bazaar.inventory import errors
from bazaar.inventory.errors import OutOfStock


def reserve(n):
    if n > 5:
        raise OutOfStock(f"only {n} left")
    raise errors.OutOfStock("sold out")


def get(sku):
    raise errkit.NotFoundError("no such sku", module="inventory", code=110)
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A two-file module with one declared class and one ad-hoc code."""
    pkg = tmp_path / "bazaar" / "inventory"
    pkg.mkdir(parents=True)
    (pkg / "errors.py").write_text(ERRORS_PY)
    (pkg / "stock.py").write_text(STOCK_PY)
    return tmp_path


SCANS = [
    FileScan(
        "bazaar/inventory/errors.py",
        codes=(
            CodeDeclaration(
                "inventory", 120, "bazaar/inventory/errors.py", 4, "OutOfStock",
                category="conflict",
                docstring="Not enough free units to reserve.\n\n    Raised when "
                "a reservation asks for more units than are free.\n    ",
            ),
        ),
    ),
    FileScan(
        "bazaar/inventory/stock.py",
        codes=(
            CodeDeclaration(
                "inventory", 110, "bazaar/inventory/stock.py", 13, "NotFoundError",
                category="not_found", message="no such sku", declared=False,
            ),
        ),
    ),
]  # fmt: skip

OUT_OF_STOCK = CatalogEntry(
    module="inventory",
    code=120,
    class_name="OutOfStock",
    category="conflict",
    severity="warning",
    retryable=False,
    message="only {n} left",
    description="Not enough free units to reserve.\n\n"
    "Raised when a reservation asks for more units than are free.",
    client_action=CLIENT_ACTIONS["conflict"],
    declared_at=("bazaar/inventory/errors.py:4",),
    raised_at=("bazaar/inventory/stock.py:8", "bazaar/inventory/stock.py:9"),
)
NO_SUCH_SKU = CatalogEntry(
    module="inventory",
    code=110,
    class_name="NotFoundError",
    category="not_found",
    severity="warning",
    retryable=False,
    message="no such sku",
    description=None,
    client_action=CLIENT_ACTIONS["not_found"],
    declared_at=(),
    raised_at=("bazaar/inventory/stock.py:13",),
)


class TestBuildCatalog:
    def test_entries_with_declarations_raises_and_defaults(self, tree: Path) -> None:
        """Each code gets its class, category defaults, docstring and places."""
        assert build_catalog(SCANS, tree) == [NO_SUCH_SKU, OUT_OF_STOCK]

    def test_same_class_name_in_two_modules_goes_by_the_raising_module(
        self, tree: Path
    ) -> None:
        """An ambiguous class name is attributed to the raising file's own module."""
        other = FileScan(
            "bazaar/orders/errors.py",
            codes=(
                CodeDeclaration(
                    "orders", 220, "bazaar/orders/errors.py", 3, "OutOfStock",
                    category="conflict",
                ),
            ),
        )  # fmt: skip

        entries = build_catalog(
            [*SCANS, other], tree, lambda p: p.split("/")[1] if "/" in p else None
        )

        assert [(e.code_str, e.raised_at) for e in entries] == [
            ("inventory:110", ("bazaar/inventory/stock.py:13",)),
            ("inventory:120", OUT_OF_STOCK.raised_at),
            ("orders:220", ()),
        ]

    def test_ad_hoc_f_string_message_is_read_from_the_source(
        self, tmp_path: Path
    ) -> None:
        """The scanner keeps only literal messages; the catalog shows the template."""
        (tmp_path / "m.py").write_text(
            "import errkit\n"
            'raise errkit.ValidationError(f"bad {x}", module="m", code=1)\n'
        )
        scan = FileScan(
            "m.py",
            codes=(
                CodeDeclaration(
                    "m", 1, "m.py", 2, "ValidationError", category="validation",
                    declared=False,
                ),
            ),
        )  # fmt: skip

        [entry] = build_catalog([scan], tmp_path)

        assert entry.message == "bad {x}"

    def test_severity_and_retryable_keywords_override_the_defaults(
        self, tmp_path: Path
    ) -> None:
        """`severity=` and `retryable=` on a class or an ad-hoc raise are shown."""
        (tmp_path / "m.py").write_text(
            "import errkit\n"
            'class Down(errkit.ExternalError, module="m", code=50, retryable=False,\n'
            '           severity="critical"):\n'
            "    pass\n"
            'raise errkit.StateError("x", module="m", code=40,\n'
            "                        severity=errkit.Severity.CRITICAL)\n"
        )
        scan = FileScan(
            "m.py",
            codes=(
                CodeDeclaration("m", 50, "m.py", 2, "Down", category="external"),
                CodeDeclaration(
                    "m", 40, "m.py", 5, "StateError", category="state",
                    message="x", declared=False,
                ),
            ),
        )  # fmt: skip

        entries = build_catalog([scan], tmp_path)

        assert [(e.code, e.severity, e.retryable) for e in entries] == [
            (40, "critical", False),
            (50, "critical", False),
        ]


class TestFindRaises:
    def test_finds_named_and_attribute_raises_with_literal_messages(self) -> None:
        """`raise X(...)` and `raise pkg.X` count; other names and bare raise do not."""
        source = textwrap.dedent(
            """\
            def f():
                raise OutOfStock("none left")
                raise errors.OutOfStock
                raise ValueError("x")
                raise
            """
        )

        sites = find_raises(source, "a.py", frozenset({"OutOfStock"}))

        assert [(s.line, s.message) for s in sites] == [(2, "none left"), (3, None)]

    def test_f_string_messages_become_templates(self) -> None:
        """An f-string message is shown with its placeholders."""
        source = 'raise X(f"only {n} of {item.sku!r} left")\n'

        sites = find_raises(source, "a.py", frozenset({"X"}))

        assert [s.message for s in sites] == ["only {n} of {item.sku} left"]

    def test_unparsable_source_gives_nothing(self) -> None:
        """A syntax error is the scanner's to report."""
        assert find_raises("def (:\n", "a.py", frozenset({"X"})) == []


class TestParseCode:
    def test_splits_module_and_number(self) -> None:
        """`inventory:120` is the module and the integer code."""
        assert parse_code("inventory:120") == ("inventory", 120)

    @pytest.mark.parametrize("text", ["120", "inventory:", ":120", "inventory:12a"])
    def test_rejects_other_shapes(self, text: str) -> None:
        """Anything but module:number is a ValueError quoting the text."""
        with pytest.raises(ValueError) as caught:
            parse_code(text)

        assert str(caught.value) == (
            f"code must look like 'module:number' (e.g. 'inventory:120'), got {text!r}"
        )


class TestRender:
    def test_explain_reads_like_an_error_index(self) -> None:
        """One code with description, fields, advice and places."""
        assert render_explain(OUT_OF_STOCK) == textwrap.dedent(
            f"""\
            inventory:120: OutOfStock

            Not enough free units to reserve.

            Raised when a reservation asks for more units than are free.

            category:   conflict
            severity:   warning
            retryable:  no
            message:    only {{n}} left

            What a client should do: {CLIENT_ACTIONS["conflict"]}

            Declared at:
              bazaar/inventory/errors.py:4

            Raised at:
              bazaar/inventory/stock.py:8
              bazaar/inventory/stock.py:9
            """
        )

    def test_explain_of_an_undeclared_code(self) -> None:
        """Missing declarations and raises are said, not left blank."""
        entry = CatalogEntry(
            "m", 1, "X", None, None, None, None, None, "act", (), ()
        )  # fmt: skip

        assert render_explain(entry).splitlines()[2:] == [
            "category:   unknown",
            "severity:   unknown",
            "retryable:  unknown",
            "",
            "What a client should do: act",
            "",
            "Declared at: not declared by a class",
            "",
            "Raised at: no raise found in the tree",
        ]

    def test_markdown_index_and_sections(self) -> None:
        """An index table linking to one section per code, under module headings."""
        text = render_markdown(
            [NO_SUCH_SKU, OUT_OF_STOCK], modules={"inventory": "Stock levels"}
        )

        lines = text.splitlines()
        assert lines[6:8] == [
            (
                "| [`inventory:110`](#inventory110) | `NotFoundError` | not_found "
                "| warning | no | `no such sku` |"
            ),
            (
                "| [`inventory:120`](#inventory120) | `OutOfStock` | conflict "
                "| warning | no | `only {n} left` |"
            ),
        ]
        section = text[text.index("### inventory:120") :]
        assert section.splitlines() == [
            "### inventory:120",
            "",
            "**`OutOfStock`**",
            "",
            "Not enough free units to reserve.",
            "",
            "Raised when a reservation asks for more units than are free.",
            "",
            "- category: conflict",
            "- severity: warning",
            "- retryable: no",
            "- message: `only {n} left`",
            f"- client: {CLIENT_ACTIONS['conflict']}",
            "- declared at: `bazaar/inventory/errors.py:4`",
            "- raised at: `bazaar/inventory/stock.py:8`, `bazaar/inventory/stock.py:9`",
        ]
        assert "## inventory\n\nStock levels\n" in text

    def test_markdown_of_a_tree_without_codes(self) -> None:
        """An empty catalog says so instead of showing an empty table."""
        assert render_markdown([]).splitlines()[-1] == (
            "No coded errors are declared or raised yet."
        )

    def test_json_lists_every_field(self) -> None:
        """The JSON form holds each entry's dict, `code_str` included."""
        data = json.loads(render_json([OUT_OF_STOCK]))

        assert data == {
            "codes": [
                {
                    "code_str": "inventory:120",
                    "module": "inventory",
                    "code": 120,
                    "class": "OutOfStock",
                    "category": "conflict",
                    "severity": "warning",
                    "retryable": False,
                    "message": "only {n} left",
                    "description": OUT_OF_STOCK.description,
                    "client_action": CLIENT_ACTIONS["conflict"],
                    "declared_at": ["bazaar/inventory/errors.py:4"],
                    "raised_at": [
                        "bazaar/inventory/stock.py:8",
                        "bazaar/inventory/stock.py:9",
                    ],
                }
            ]
        }
