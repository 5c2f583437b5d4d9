"""Migrate whole corpus projects and compare their own test suites per test id.

For each project: restore pristine sources, run its suite (JUnit XML), write an
`errkit.toml` giving the library package one wide code range, run
`errkit migrate --apply`, make errkit importable in the project's venv, rerun the
suite, compare the outcome of every test id, and restore the pristine sources.
Kept off CI: it takes minutes. Usage (from the errkit checkout):

    /work/venv/bin/python benchmarks/corpus_migrate.py [--corpus /tmp/corpus] NAME...

Prints one line per project and writes a JSON summary next to the logs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ERRKIT_SRC = Path(os.environ.get("ERRKIT_SRC", HERE.parent / "src"))
SHARED = Path("/work/shared/corpus")
ERRKIT = [sys.executable, "-c", "from errkit.cli import main; main()"]


def package_dir(name: str) -> str:
    out = subprocess.run(
        ["bash", "-c", f"source {SHARED}/projects.sh; corpus_pkgdirs {name}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()[0]


def outcomes(report: Path) -> dict[str, str]:
    """Outcome per test id from a JUnit XML report."""
    result: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        kinds = [c.tag for c in case if c.tag in ("failure", "error", "skipped")]
        result[test_id] = kinds[0] if kinds else "passed"
    return result


def run_suite(corpus: Path, name: str, report: Path) -> str:
    done = subprocess.run(
        [f"{SHARED}/run-tests.sh", str(corpus), name, f"--junitxml={report}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def pristine(corpus: Path, name: str) -> None:
    subprocess.run(
        [f"{SHARED}/setup.sh", str(corpus), "--pristine", name],
        capture_output=True,
        check=True,
    )


def make_importable(corpus: Path, name: str) -> Path:
    """A .pth file in the project's venv pointing at errkit's source."""
    python = corpus / "venvs" / name / "bin" / "python"
    purelib = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pth = Path(purelib) / "errkit_corpus.pth"
    pth.write_text(f"{ERRKIT_SRC}\n", encoding="utf-8")
    return pth


def migrate_project(corpus: Path, name: str, logs: Path) -> dict[str, object]:
    src = corpus / "src" / name
    pristine(corpus, name)
    before_line = run_suite(corpus, name, logs / f"{name}.before.xml")
    before = outcomes(logs / f"{name}.before.xml")

    config = src / "errkit.toml"
    config.write_text(
        f'exclude = ["*/tests/*", "tests/*", "*/test_*.py"]\n\n'
        f'[modules.{name}]\npaths = ["{package_dir(name)}"]\nrange = [1000, 1999]\n',
        encoding="utf-8",
    )
    migrated = subprocess.run(
        [*ERRKIT, "migrate", "--apply", "--allow-dirty", "--config", str(config)],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    (logs / f"{name}.migrate.log").write_text(migrated.stderr, encoding="utf-8")
    again = subprocess.run(
        [*ERRKIT, "migrate", "--config", str(config)],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    pth = make_importable(corpus, name)
    try:
        after_line = run_suite(corpus, name, logs / f"{name}.after.xml")
        after = outcomes(logs / f"{name}.after.xml")
    finally:
        pth.unlink()
        pristine(corpus, name)

    changed = sorted(
        test_id
        for test_id in before.keys() | after.keys()
        if before.get(test_id) != after.get(test_id)
    )
    summary = migrated.stderr.strip().splitlines()[-1] if migrated.stderr else ""
    return {
        "project": name,
        "migrate_rc": migrated.returncode,
        "migrate": summary,
        "before": before_line,
        "after": after_line,
        "counts_before": dict(Counter(before.values())),
        "counts_after": dict(Counter(after.values())),
        "changed_ids": changed,
        "second_run_diff_lines": len(again.stdout.splitlines()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+")
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus"))
    parser.add_argument("--logs", type=Path, default=Path("/tmp/corpus-migrate"))
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    results = []
    for name in args.names:
        result = migrate_project(args.corpus, name, args.logs)
        results.append(result)
        print(
            f"{name}: {result['migrate']} | before {result['counts_before']} | "
            f"after {result['counts_after']} | changed ids: "
            f"{len(result['changed_ids'])} | second run diff lines: "  # type: ignore[arg-type]
            f"{result['second_run_diff_lines']}",
            flush=True,
        )
    (args.logs / "summary.json").write_text(json.dumps(results, indent=2), "utf-8")
    return 0 if all(not r["changed_ids"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
