"""The status report: counts, percentages, next files and the effort estimate."""

from __future__ import annotations

from errkit.analysis.config import parse_config
from errkit.analysis.scanner import scan_source
from errkit.analysis.status import Sample, build_status, estimate

CONFIG = parse_config(
    {
        "effort_per_site_minutes": 30,
        "modules": {
            "billing": {"paths": ["app/billing"], "range": [100, 199], "priority": 1},
            "search": {"paths": ["app/search"], "range": [200, 299], "priority": 2},
            "idle": {"paths": ["app/idle"], "range": [300, 399], "priority": 3},
        },
    }
)

FILES = {
    "app/billing/pay.py": b"raise ValueError('a')\nraise KeyError('b')\n",
    "app/billing/done.py": b"import errkit\nraise errkit.ValidationError('x')\n",
    "app/billing/empty.py": b"x = 1\n",
    "app/search/index.py": b"raise ValueError('x')"
    b"  # errkit: ignore[raise-generic] -- API\n"
    b"raise OSError('y')\n",
    "scripts/tool.py": b"raise RuntimeError('x')\n",
}


def report(**kwargs: object):  # type: ignore[no-untyped-def]
    scans = [scan_source(data, path, CONFIG) for path, data in FILES.items()]
    return build_status(scans, CONFIG, project="app", **kwargs)  # type: ignore[arg-type]


class TestCounts:
    def test_modules_by_priority_with_percentages(self) -> None:
        """Per module: files done / with sites, sites done / total."""
        got = [
            (m.name, m.files_done, m.files_with_sites, m.tally.done, m.tally.total)
            for m in report().modules
        ]
        assert got == [
            ("billing", 1, 2, 1, 3),
            ("search", 0, 1, 1, 2),
            ("idle", 0, 0, 0, 0),
            ("scripts", 0, 1, 0, 1),
        ]

    def test_totals(self) -> None:
        """Percent by sites counts migrated and exempt; by files, whole files."""
        r = report()
        assert (r.tally.total, r.tally.unmigrated, round(r.tally.percent, 1)) == (
            6,
            4,
            33.3,
        )
        assert (r.files_done, r.files_with_sites, round(r.files_percent, 1)) == (
            1,
            4,
            25.0,
        )

    def test_next_files_follow_priority_then_size(self) -> None:
        """Highest priority first, then the files with most work left."""
        assert [f.path for f in report().next_files] == [
            "app/billing/pay.py",
            "app/search/index.py",
            "scripts/tool.py",
        ]
        assert [f.path for f in report(next_count=1).next_files] == [
            "app/billing/pay.py"
        ]


class TestEstimate:
    def test_configured_rate_without_history(self) -> None:
        """No samples: remaining sites times the configured minutes, and says so."""
        est = report().estimate
        assert (est.basis, est.remaining, est.hours) == ("configured", 4, 2.0)

    def test_velocity_from_history(self) -> None:
        """Samples that show progress give sites per day and a completion date."""
        day = 86400
        samples = [
            Sample("c", 1_700_000_000 + 10 * day, 40),
            Sample("a", 1_700_000_000, 60),
        ]
        est = estimate(40, CONFIG, samples)
        assert (est.basis, est.sites_per_day, est.completion) == (
            "history",
            2.0,
            "2023-12-14",
        )

    def test_no_progress_falls_back_and_explains(self) -> None:
        """History without progress uses the configured rate and notes why."""
        samples = [Sample("b", 2000, 10), Sample("a", 1000, 10)]
        est = estimate(10, CONFIG, samples)
        assert est.basis == "configured"
        assert est.note.startswith("the last 2 commits show no reduction")
