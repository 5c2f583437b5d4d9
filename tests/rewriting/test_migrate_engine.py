"""The migration run: guards before any edit, per-file failures, the pool."""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst
import pytest

from errkit.analysis.sites import Site, SiteKind, SiteState
from errkit.rewriting import (
    REWRITE_KINDS,
    MigrateOptions,
    SkipWhy,
    Status,
    load_migrate_config,
    migrate,
    plan_source,
    python_files,
    transformer,
)

CONFIG = b'[tool.errkit.modules.proj]\npaths = ["proj"]\nrange = [100, 199]\n'


def run_on(tmp_path: Path, files: dict[str, bytes], jobs: int = 1) -> dict[str, object]:
    (tmp_path / "proj").mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_bytes(CONFIG)
    for name, data in files.items():
        (tmp_path / "proj" / name).write_bytes(data)
    config = load_migrate_config(tmp_path / "pyproject.toml")
    run = migrate(
        python_files([tmp_path / "proj"], tmp_path),
        config,
        MigrateOptions(frozenset(REWRITE_KINDS), jobs=jobs),
    )
    return {Path(o.path).name: o for o in run.outcomes}


class _Panic(BaseException):
    """Stands in for pyo3's PanicException: a BaseException, not an Exception."""


class TestGuards:
    def test_no_round_trip_skipped_before_edit(self, tmp_path: Path) -> None:
        """`except X :` does not print back byte for byte: the file is skipped."""
        source = b"try:\n    pass\nexcept OSError :\n    raise ValueError('x')\n"
        outcome = run_on(tmp_path, {"a.py": source})["a.py"]
        assert (outcome.status, outcome.why) == (  # type: ignore[attr-defined]
            Status.SKIPPED,
            SkipWhy.ROUND_TRIP,
        )

    def test_libcst_rejects_valid_file(self, tmp_path: Path) -> None:
        """A file `ast` accepts and libcst rejects is skipped as unparsable."""
        source = b"(x): int = 1\nraise ValueError('x')\n"
        outcome = run_on(tmp_path, {"a.py": source})["a.py"]
        assert (outcome.status, outcome.why, outcome.error) == (  # type: ignore[attr-defined]
            Status.SKIPPED,
            SkipWhy.UNPARSABLE,
            "ParserSyntaxError",
        )

    def test_broken_output_never_returned(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A rewrite whose text does not parse with `ast` skips the file."""
        broken = b"def (:\n"
        monkeypatch.setattr(transformer, "rewrite_module", lambda *a: broken)
        outcome = run_on(tmp_path, {"a.py": b"raise ValueError('x')\n"})["a.py"]
        assert (outcome.status, outcome.why) == (  # type: ignore[attr-defined]
            Status.SKIPPED,
            SkipWhy.BROKEN_OUTPUT,
        )

    def test_base_exception_from_parser_skips_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A parser panic (a BaseException) skips its file; the run goes on."""
        real = cst.parse_module

        def parse(data: bytes) -> cst.Module:
            if b"panic" in data:
                raise _Panic("byte index 12 is out of bounds")
            return real(data)

        monkeypatch.setattr(cst, "parse_module", parse)
        outcomes = run_on(
            tmp_path,
            {
                "a.py": b"raise ValueError('panic')\n",
                "b.py": b"raise ValueError('fine')\n",
            },
        )
        assert outcomes["a.py"].error == "_Panic"  # type: ignore[attr-defined]
        assert outcomes["b.py"].status is Status.CHANGED  # type: ignore[attr-defined]

    def test_keyboard_interrupt_propagates(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """KeyboardInterrupt from the parser stops the run."""

        def parse(data: bytes) -> cst.Module:
            raise KeyboardInterrupt

        monkeypatch.setattr(cst, "parse_module", parse)
        with pytest.raises(KeyboardInterrupt):
            run_on(tmp_path, {"a.py": b"raise ValueError('x')\n"})

    def test_file_without_sites_never_parsed_by_libcst(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """libcst parses only files with planned edits."""
        parsed: list[bytes] = []
        real = cst.parse_module
        monkeypatch.setattr(
            cst, "parse_module", lambda data: parsed.append(data) or real(data)
        )
        run_on(tmp_path, {"a.py": b"x = 1\n", "b.py": b"raise ValueError('x')\n"})
        assert parsed == [b"raise ValueError('x')\n"]


class TestPool:
    def test_pool_matches_serial(self, tmp_path: Path) -> None:
        """Two workers give the same outcomes and codes as one."""
        files = {
            f"m{i}.py": f"raise ValueError('kind {i}')\n".encode() for i in range(6)
        }
        serial = run_on(tmp_path / "one", files, jobs=1)
        pooled = run_on(tmp_path / "two", files, jobs=2)
        assert [o.after for o in serial.values()] == [  # type: ignore[attr-defined]
            o.after
            for o in pooled.values()  # type: ignore[attr-defined]
        ]

    def test_worker_that_dies_costs_only_its_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file that kills its worker process is reported; the others migrate."""
        real = cst.parse_module

        def parse(data: bytes) -> cst.Module:
            if b"die" in data:
                os._exit(3)  # a native crash, as a stack overflow in a parser would be
            return real(data)

        monkeypatch.setattr(cst, "parse_module", parse)
        files = {
            f"m{i}.py": f"raise ValueError('kind {i}')\n".encode() for i in range(4)
        }
        files["m9.py"] = b"raise ValueError('die')\n"
        outcomes = run_on(tmp_path, files, jobs=2)
        assert outcomes["m9.py"].why is SkipWhy.WORKER_CRASHED  # type: ignore[attr-defined]
        assert {
            name: o.status  # type: ignore[attr-defined]
            for name, o in outcomes.items()
            if name != "m9.py"
        } == {f"m{i}.py": Status.CHANGED for i in range(4)}


class TestScannerSites:
    def test_only_scanner_sites_rewritten(self) -> None:
        """Given the scanner's sites, only those places are planned."""
        source = b"raise ValueError('a')\nraise ValueError('b')\n"
        site = Site(
            "m.py", 2, 0, 2, 21, SiteKind.RAISE_GENERIC, SiteState.UNMIGRATED, ""
        )
        plan = plan_source(source, "m.py", "m", frozenset(REWRITE_KINDS), [site])
        assert [(e.line, type(e).__name__) for e in plan.edits] == [(2, "RaiseEdit")]

    def test_unhandled_scanner_site_reported(self) -> None:
        """A scanner site no rewrite covers is listed with a reason."""
        source = b"x = 1\n"
        site = Site("m.py", 1, 0, 1, 5, SiteKind.SPAWN_TASK, SiteState.UNMIGRATED, "")
        plan = plan_source(source, "m.py", "m", frozenset(REWRITE_KINDS), [site])
        assert [(d.kind, d.line, d.reason) for d in plan.declined] == [
            (SiteKind.SPAWN_TASK, 1, "not a form the migration rewrites")
        ]
