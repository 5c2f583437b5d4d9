"""`errkit init`: module discovery, range allocation, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from errkit.analysis.bootstrap import (
    InitPlan,
    allocate_ranges,
    assign_ranges,
    discover_modules,
    metrics_namespace,
    plan_modules,
    write_config,
)
from errkit.analysis.config import ConfigError, load_config


def make(root: Path, *files: str) -> None:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


class TestAllocate:
    def test_hundreds_from_100_skipping_reserved(self) -> None:
        """Ranges of 100 codes from 100 upward, none overlapping a reserved range."""
        assert allocate_ranges(3, [(200, 250), (400, 499)]) == [
            (100, 199),
            (300, 399),
            (500, 599),
        ]


class TestDiscover:
    def test_single_package_gives_its_subpackages_and_itself(
        self, tmp_path: Path
    ) -> None:
        """One top package: a module per public sub-package, one for its own files
        (named one by one, so the package module does not contain the others)."""
        make(
            tmp_path,
            "shop/__init__.py",
            "shop/cart/__init__.py",
            "shop/pay/__init__.py",
            "shop/util.py",
            "shop/_private.py",
            "shop/_vendor/__init__.py",
            "tests/__init__.py",
            "tests/test_cart.py",
        )
        assert plan_modules(tmp_path) == InitPlan(
            modules=(
                (
                    "shop",
                    (
                        "shop/__init__.py",
                        "shop/_private.py",
                        "shop/_vendor",
                        "shop/util.py",
                    ),
                ),
                ("cart", ("shop/cart",)),
                ("pay", ("shop/pay",)),
            ),
            exclude=("tests/**",),
        )

    def test_in_package_tests_docs_and_setup_are_excluded(self, tmp_path: Path) -> None:
        """h11's layout: one module for the package, its tests folder excluded."""
        make(
            tmp_path,
            "h11/__init__.py",
            "h11/_connection.py",
            "h11/_util.py",
            "h11/tests/__init__.py",
            "h11/tests/test_io.py",
            "docs/source/conf.py",
            "fuzz/afl-server.py",
            "setup.py",
            "conftest.py",
        )
        plan = plan_modules(tmp_path)
        assert plan == InitPlan(
            modules=(("h11", ("h11",)),),
            exclude=("conftest.py", "docs/**", "fuzz/**", "h11/tests/**", "setup.py"),
        )

    def test_flat_src_package_is_one_module(self, tmp_path: Path) -> None:
        """cachetools' layout: a flat package under src/ is one module."""
        make(
            tmp_path,
            "src/cachetools/__init__.py",
            "src/cachetools/_cached.py",
            "src/cachetools/func.py",
            "src/cachetools/keys.py",
            "tests/__init__.py",
            "docs/conf.py",
        )
        assert plan_modules(tmp_path) == InitPlan(
            modules=(("cachetools", ("src/cachetools",)),),
            exclude=("docs/**", "tests/**"),
        )

    def test_src_layout_with_several_packages(self, tmp_path: Path) -> None:
        """Several top packages (here under src/) are the modules."""
        make(tmp_path, "src/alpha/__init__.py", "src/beta/__init__.py")
        assert discover_modules(tmp_path) == [
            ("alpha", "src/alpha"),
            ("beta", "src/beta"),
        ]


class TestExistingCodes:
    def test_module_keeps_the_block_of_its_codes(self) -> None:
        """escrow declares 501-541: it gets 500-599, the others fill in around it."""
        ranges = assign_ranges(
            ["bazaar", "escrow", "market", "mfa"],
            reserved=[(200, 299)],
            existing={"escrow": [501, 510, 541], "market": [401, 440]},
        )
        assert ranges == {
            "bazaar": (100, 199),
            "escrow": (500, 599),
            "market": (400, 499),
            "mfa": (300, 399),
        }

    def test_codes_spanning_two_blocks_get_a_new_range(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Codes 150 and 250 fit no one block: a fresh range, and a warning."""
        with caplog.at_level("WARNING", logger="errkit"):
            ranges = assign_ranges(["a", "b"], existing={"a": [150, 250]})
        assert ranges == {"a": (100, 199), "b": (200, 299)}
        assert [r.getMessage() for r in caplog.records] == [
            "module a: its existing codes 150..250 do not fit one free block of 100; "
            "it gets a new range"
        ]

    def test_unplanned_module_block_stays_free(self) -> None:
        """A code of a module init does not propose keeps its block from others."""
        assert assign_ranges(["a"], existing={"billing": [120]}) == {"a": (200, 299)}

    def test_write_config_keeps_codes_and_lists_adhoc_ones(
        self, tmp_path: Path
    ) -> None:
        """The written config passes `check`: escrow at 500-599, ad-hoc codes listed."""
        make(tmp_path, "shop/__init__.py", "shop/cart/__init__.py")
        (tmp_path / "shop" / "escrow").mkdir()
        (tmp_path / "shop" / "escrow" / "__init__.py").write_text(
            "import errkit\n"
            "class Gone(errkit.NotFoundError, module='escrow', code=510): ...\n"
            "def f():\n"
            "    raise errkit.ValidationError('bad amount', module='escrow', code=502)\n"
        )
        write_config(tmp_path, namespace="shop")
        config = load_config(tmp_path)
        assert [(m.name, m.range) for m in config.modules] == [
            ("shop", (100, 199)),
            ("cart", (200, 299)),
            ("escrow", (500, 599)),
        ]
        assert (config.namespace, dict(config.codes)) == (
            "shop",
            {"escrow": {502: "ValidationError: bad amount"}},
        )


class TestNamespace:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("bazaar", "bazaar"),
            ("APScheduler", "apscheduler"),
            ("my-shop.api", "my_shop_api"),
            ("2fa service", "_2fa_service"),
            ("---", "errkit"),
        ],
        ids=["plain", "upper", "punctuation", "digit-first", "nothing-left"],
    )
    def test_metrics_safe_name(self, name: str, expected: str) -> None:
        """The project name becomes a lower-case Prometheus-safe identifier."""
        assert metrics_namespace(name) == expected


class TestWrite:
    def test_appends_to_pyproject_and_loads_back(self, tmp_path: Path) -> None:
        """The written config is valid and keeps the rest of pyproject.toml."""
        make(
            tmp_path,
            "shop/__init__.py",
            "shop/cart/__init__.py",
            "shop/pay/__init__.py",
        )
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
        path, _ = write_config(tmp_path, reserved=[(200, 299)])
        assert path == tmp_path / "pyproject.toml"
        assert path.read_text().startswith("[project]\nname = 'shop'\n")
        config = load_config(tmp_path)
        assert [(m.name, m.range) for m in config.modules] == [
            ("shop", (100, 199)),
            ("cart", (300, 399)),
            ("pay", (400, 499)),
        ]

    def test_existing_config_is_kept_unless_forced(self, tmp_path: Path) -> None:
        """A second init fails; --force replaces the errkit tables only."""
        make(tmp_path, "shop/__init__.py", "shop/cart/__init__.py")
        old = "namespace = 'mine'\nreserved = [[100, 199]]\n"
        (tmp_path / "errkit.toml").write_text(old)
        with pytest.raises(ConfigError) as info:
            write_config(tmp_path)
        assert info.value.file == str(tmp_path / "errkit.toml")
        assert (tmp_path / "errkit.toml").read_text() == old
        write_config(tmp_path, force=True)
        config = load_config(tmp_path)
        assert [(m.name, m.range) for m in config.modules] == [
            ("shop", (200, 299)),
            ("cart", (300, 399)),
        ]
        assert config.reserved == ((100, 199),)
