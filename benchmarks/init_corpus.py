"""`errkit init` on real projects: does every library file land in a module?

    python benchmarks/init_corpus.py CORPUS [NAME ...]

CORPUS is the folder set up by the shared corpus `setup.sh` (projects under
`CORPUS/src/NAME`). Each project is copied to a temporary folder (the corpus is
never written), `errkit init` runs on the copy, and the library files the
corpus `stats.sh` counts (its package dirs, without tests and conftest) are
looked up in the written config. Prints one Markdown row per project: modules,
library files, how many a module owns, and the top-level folders of scanned
files no module owns (which `errkit status` would show as pseudo-modules).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from errkit.analysis.config import load_config
from errkit.analysis.scanner import discover

PROJECTS_SH = "/work/shared/corpus/projects.sh"
TEST_PARTS = {"tests", "test", "_tests", "testing"}


def library_files(project: Path, name: str) -> list[str]:
    """The files stats.sh counts: *.py under the package dirs, tests left out."""
    dirs = subprocess.run(
        ["bash", "-c", f"source {PROJECTS_SH}; corpus_pkgdirs {name}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    found = []
    for folder in dirs:
        for path in sorted((project / folder).rglob("*.py")):
            rel = path.relative_to(project)
            if TEST_PARTS & set(rel.parts[:-1]):
                continue
            if rel.name.startswith("test_") or rel.name == "conftest.py":
                continue
            found.append(rel.as_posix())
    return found


def main() -> None:
    corpus = Path(sys.argv[1])
    names = sys.argv[2:] or sorted(p.name for p in (corpus / "src").iterdir())
    errkit = str(Path(sys.executable).parent / "errkit")
    print("| project | modules | library files | in a module | not in one "
          "| pseudo-modules | excludes written |")  # fmt: skip
    print("| --- | --: | --: | --: | --: | --- | --- |")
    for name in names:
        with tempfile.TemporaryDirectory(prefix="errkit-init-") as tmp:
            project = Path(tmp) / name
            shutil.copytree(corpus / "src" / name, project, symlinks=True)
            subprocess.run(
                [errkit, "init", str(project)], capture_output=True, check=True
            )
            config = load_config(project)
            files = library_files(project, name)
            scanned = {rel for rel, _ in discover(project, config)}
            owned = [f for f in files if f in scanned and config.module_for(f)]
            stray = sorted(
                {f.split("/")[0] for f in scanned if not config.module_for(f)}
            )
            print(
                f"| {name} | {len(config.modules)} "
                f"({', '.join(m.name for m in config.modules)}) | {len(files)} "
                f"| {len(owned)} | {len(files) - len(owned)} "
                f"| {', '.join(stray) or 'none'} | {', '.join(config.exclude)} |"
            )


if __name__ == "__main__":
    main()
