"""The migration ratchet: counting, comparing, tightening and the file format."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from errkit.analysis.baseline import (
    UNASSIGNED,
    BaselineError,
    Growth,
    compare,
    count_unmigrated,
    parse_baseline,
    render_baseline,
    tighten,
)
from errkit.analysis.sites import FileScan, Site, SiteKind, SiteState


def _site(path: str, line: int, kind: SiteKind, state: SiteState) -> Site:
    return Site(path, line, 0, line, 10, kind, state, f"{kind.value} site")


def _module_for(path: str) -> str | None:
    if path.startswith("bazaar/inventory/"):
        return "inventory"
    if path.startswith("bazaar/orders/"):
        return "orders"
    return None


U, M, E = SiteState.UNMIGRATED, SiteState.MIGRATED, SiteState.EXEMPT
SCANS = [
    FileScan(
        "bazaar/inventory/stock.py",
        sites=(
            _site("bazaar/inventory/stock.py", 10, SiteKind.RAISE_GENERIC, U),
            _site("bazaar/inventory/stock.py", 20, SiteKind.RAISE_GENERIC, U),
            _site("bazaar/inventory/stock.py", 30, SiteKind.RAISE_GENERIC, M),
            _site("bazaar/inventory/stock.py", 40, SiteKind.SWALLOW, E),
        ),
    ),
    FileScan(
        "bazaar/inventory/sync.py",
        sites=(_site("bazaar/inventory/sync.py", 5, SiteKind.RAISE_GENERIC, U),),
    ),
    FileScan(
        "bazaar/orders/api.py",
        sites=(_site("bazaar/orders/api.py", 7, SiteKind.SPAWN_THREAD, U),),
    ),
    FileScan("tools/run.py", sites=(_site("tools/run.py", 1, SiteKind.SWALLOW, U),)),
]
CURRENT = {
    ("inventory", "raise-generic"): 3,
    ("orders", "spawn-thread"): 1,
    (UNASSIGNED, "swallow"): 1,
}


class TestCountUnmigrated:
    def test_counts_only_unmigrated_sites_per_module_and_kind(self) -> None:
        """Migrated and exempt sites do not count; unowned files count as unassigned."""
        assert count_unmigrated(SCANS, _module_for) == CURRENT


class TestCompare:
    def test_holds_when_counts_equal_the_baseline(self) -> None:
        """Counts at the baseline are no growth."""
        assert compare(CURRENT, CURRENT) == []

    def test_shrinking_is_not_growth(self) -> None:
        """Fewer sites than allowed pass."""
        baseline = {**CURRENT, ("inventory", "raise-generic"): 5}

        assert compare(baseline, CURRENT) == []

    def test_growth_names_module_kind_counts_and_files(self) -> None:
        """A grown count is reported with allowed and actual counts and per-file sites."""
        baseline = {**CURRENT, ("inventory", "raise-generic"): 1}

        grown = compare(baseline, CURRENT, SCANS, _module_for)

        assert grown == [
            Growth(
                module="inventory",
                kind="raise-generic",
                allowed=1,
                actual=3,
                files={"bazaar/inventory/stock.py": 2, "bazaar/inventory/sync.py": 1},
            )
        ]
        assert grown[0].excess == 2

    def test_a_key_missing_from_the_baseline_allows_zero(self) -> None:
        """A new kind of site in a module is growth from zero."""
        baseline = {("inventory", "raise-generic"): 3}

        grown = compare(baseline, CURRENT)

        assert [(g.module, g.kind, g.allowed, g.actual) for g in grown] == [
            (UNASSIGNED, "swallow", 0, 1),
            ("orders", "spawn-thread", 0, 1),
        ]


class TestTighten:
    def test_without_a_baseline_the_current_counts_become_it(self) -> None:
        """The first `--update-baseline` writes what the tree has."""
        assert tighten(None, {**CURRENT, ("orders", "swallow"): 0}) == CURRENT

    def test_lowers_counts_that_fell_and_drops_zeros(self) -> None:
        """Counts only go down, and keys that reached zero disappear."""
        baseline = {("inventory", "raise-generic"): 5, ("orders", "swallow"): 2}
        current = {("inventory", "raise-generic"): 3}

        assert tighten(baseline, current) == {("inventory", "raise-generic"): 3}

    def test_never_raises_a_count_or_adds_a_key(self) -> None:
        """Growth stays a failure: updating does not write it down."""
        baseline = {("inventory", "raise-generic"): 1}

        assert tighten(baseline, CURRENT) == {("inventory", "raise-generic"): 1}


class TestFormat:
    def test_renders_sorted_tables_one_count_a_line(self) -> None:
        """Modules and kinds are sorted; each module is its own table."""
        counts = {
            ("orders", "swallow"): 1,
            ("inventory", "spawn-thread"): 2,
            ("inventory", "raise-generic"): 12,
            ("orders", "raise-generic"): 0,
            (UNASSIGNED, "swallow"): 4,
        }

        text = render_baseline(counts)

        assert text.split("\n", 3)[3] == (
            '\n["(unassigned)"]\nswallow = 4\n'
            "\n[inventory]\nraise-generic = 12\nspawn-thread = 2\n"
            "\n[orders]\nswallow = 1\n"
        )

    def test_round_trips(self) -> None:
        """Parsing a rendered baseline gives the same counts."""
        assert parse_baseline(render_baseline(CURRENT)) == CURRENT

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            pytest.param(
                "[inventory\n", "b.toml: not a baseline file (TOML): ", id="not-toml"
            ),
            pytest.param(
                "inventory = 3\n",
                "b.toml: [inventory] must be a table of kind = count, got 3",
                id="not-a-table",
            ),
            pytest.param(
                "[inventory]\nraise = 3\n",
                "b.toml: [inventory] 'raise' is not a site kind; known: [",
                id="unknown-kind",
            ),
            pytest.param(
                "[inventory]\nswallow = -1\n",
                "b.toml: [inventory] swallow must be a count (int >= 0), got -1",
                id="negative",
            ),
            pytest.param(
                '[inventory]\nswallow = "2"\n',
                "b.toml: [inventory] swallow must be a count (int >= 0), got '2'",
                id="string",
            ),
        ],
    )
    def test_rejects_bad_files_naming_source_key_and_value(
        self, text: str, message: str
    ) -> None:
        """A malformed baseline raises BaselineError that says where and what."""
        with pytest.raises(BaselineError) as caught:
            parse_baseline(text, "b.toml")

        assert str(caught.value).startswith(message)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
class TestMerge:
    def test_branches_improving_different_modules_merge_cleanly(
        self, tmp_path: Path
    ) -> None:
        """Two branches that each lower a different module's counts merge in git."""
        counts = {
            (module, kind): 5
            for module in ("billing", "inventory", "orders")
            for kind in ("raise-generic", "spawn-thread", "swallow")
        }

        def git(*args: str) -> str:
            return subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
                cwd=tmp_path,
                check=True,
                capture_output=True,
                text=True,
            ).stdout

        def commit(new: dict[tuple[str, str], int], message: str) -> None:
            (tmp_path / "errkit-baseline.toml").write_text(render_baseline(new))
            git("commit", "-q", "-am", message)

        git("init", "-q", "-b", "main")
        (tmp_path / "errkit-baseline.toml").write_text(render_baseline(counts))
        git("add", "errkit-baseline.toml")
        git("commit", "-q", "-m", "baseline")
        git("checkout", "-q", "-b", "inventory-work")
        commit(
            {**counts, ("inventory", "swallow"): 2, ("inventory", "spawn-thread"): 0},
            "inventory",
        )
        git("checkout", "-q", "main")
        commit({**counts, ("billing", "swallow"): 1, ("orders", "raise-generic"): 0},
               "billing and orders")  # fmt: skip

        git("merge", "-q", "--no-edit", "inventory-work")

        expected = dict(counts)
        del (
            expected[("orders", "raise-generic")],
            expected[("inventory", "spawn-thread")],
        )
        expected[("inventory", "swallow")] = 2
        expected[("billing", "swallow")] = 1
        merged = (tmp_path / "errkit-baseline.toml").read_text()
        assert parse_baseline(merged) == expected
