"""scan_tree: discovery and excludes, the cache, and the tree-wide pass."""

from __future__ import annotations

import os
from pathlib import Path

from errkit.analysis.config import ToolConfig, parse_config
from errkit.analysis.scanner import discover, scan_tree


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


class TestDiscover:
    def test_default_and_configured_excludes(self, tmp_path: Path) -> None:
        """.git, venvs, build output, caches and configured globs are not scanned."""
        write(
            tmp_path,
            {
                "pkg/a.py": "",
                "pkg/sub/b.py": "",
                "env/pyvenv.cfg": "",
                "env/lib/g.py": "",
                "venv/__init__.py": "",
                ".git/x.py": "",
                ".venv/lib/c.py": "",
                "build/d.py": "",
                "pkg/__pycache__/e.py": "",
                "x.egg-info/f.py": "",
                "tests/test_a.py": "",
                "pkg/notes.txt": "",
            },
        )
        config = parse_config({"exclude": ["tests/**"]}, root=str(tmp_path))
        assert [rel for rel, _ in discover(tmp_path, config)] == [
            "pkg/a.py",
            "pkg/sub/b.py",
            "venv/__init__.py",  # a package named venv; `env/` has pyvenv.cfg
        ]

    def test_paths_relative_to_the_config_folder(self, tmp_path: Path) -> None:
        """Scanning a sub-folder keeps paths relative to the config's folder."""
        write(tmp_path, {"pkg/a.py": "", "other/b.py": ""})
        config = ToolConfig(root=str(tmp_path))
        assert [rel for rel, _ in discover(tmp_path / "pkg", config)] == ["pkg/a.py"]


class TestCrossFile:
    def test_thread_subclass_through_another_file(self, tmp_path: Path) -> None:
        """A class based on a Thread subclass is a site (re-exported too)."""
        write(
            tmp_path,
            {
                "pkg/__init__.py": "from pkg.base import Worker\n",
                "pkg/base.py": "import threading as t\nclass Worker(t.Thread): ...\n",
                "pkg/jobs.py": "from pkg.base import Worker\nclass Job(Worker): ...\n",
                "pkg/more.py": "from . import Worker\nclass Beat(Worker):\n    pass\n",
                "pkg/plain.py": "from pkg.jobs import Other\nclass Fine(Other): ...\n",
            },
        )
        scans = scan_tree(tmp_path, ToolConfig(root=str(tmp_path)), jobs=1, cache=False)
        got = [(s.path, s.line, s.kind.value) for scan in scans for s in scan.sites]
        assert got == [
            ("pkg/base.py", 2, "spawn-thread"),
            ("pkg/jobs.py", 2, "spawn-thread"),
            ("pkg/more.py", 2, "spawn-thread"),
        ]

    def test_scanning_a_package_folder_keeps_import_names(self, tmp_path: Path) -> None:
        """Module names come from `__init__.py` files, not from the scan root."""
        write(
            tmp_path,
            {
                "src/pkg/__init__.py": "",
                "src/pkg/utils.py": (
                    "from threading import Thread\nclass B(Thread): ...\n"
                ),
                "src/pkg/obs/__init__.py": "",
                "src/pkg/obs/api.py": "from pkg.utils import B\nclass O(B): ...\n",
            },
        )
        root = tmp_path / "src" / "pkg"
        scans = scan_tree(root, ToolConfig(root=str(root)), jobs=1, cache=False)
        assert [(s.path, s.module_name, len(s.sites)) for s in scans] == [
            ("__init__.py", "pkg", 0),
            ("obs/__init__.py", "pkg.obs", 0),
            ("obs/api.py", "pkg.obs.api", 1),
            ("utils.py", "pkg.utils", 1),
        ]

    def test_duplicate_code_is_a_code_policy_site(self, tmp_path: Path) -> None:
        """Two classes declaring one (module, code) give code-policy sites."""
        decl = (
            "import errkit\n"
            "class {0}(errkit.ConflictError, module='inv', code=120):\n    pass\n"
        )
        write(tmp_path, {"inv/a.py": decl.format("A"), "inv/b.py": decl.format("B")})
        config = parse_config(
            {"modules": {"inv": {"paths": ["inv"], "range": [100, 199]}}},
            root=str(tmp_path),
        )
        scans = scan_tree(tmp_path, config, jobs=1, cache=False)
        policy = [
            (s.path, s.line, s.detail["rule"])
            for scan in scans
            for s in scan.sites
            if s.kind.value == "code-policy"
        ]
        assert ("inv/b.py", 2, "duplicate-code") in policy


class TestCache:
    def test_warm_run_reuses_unchanged_files(self, tmp_path: Path) -> None:
        """A second run gives equal results; a changed file is rescanned."""
        write(tmp_path, {"a.py": "raise ValueError('x')\n", "b.py": "x = 1\n"})
        config = ToolConfig(root=str(tmp_path))
        cache_dir = tmp_path / "cache"
        first = scan_tree(tmp_path, config, jobs=1, cache_dir=cache_dir)
        assert scan_tree(tmp_path, config, jobs=1, cache_dir=cache_dir) == first
        (tmp_path / "b.py").write_text("raise KeyError('k')\n")
        os.utime(tmp_path / "b.py", ns=(1, 1))
        third = scan_tree(tmp_path, config, jobs=1, cache_dir=cache_dir)
        assert [len(s.sites) for s in third] == [1, 1]

    def test_key_covers_the_config(self, tmp_path: Path) -> None:
        """Another config uses another cache file."""
        write(tmp_path, {"a.py": "raise ValueError('x')\n"})
        cache_dir = tmp_path / "cache"
        scan_tree(tmp_path, ToolConfig(root=str(tmp_path)), jobs=1, cache_dir=cache_dir)
        other = parse_config({"namespace": "other"}, root=str(tmp_path))
        scan_tree(tmp_path, other, jobs=1, cache_dir=cache_dir)
        assert len(list(cache_dir.glob("scan-tree-*.pickle"))) == 2

    def test_pool_matches_inline(self, tmp_path: Path) -> None:
        """The process pool gives exactly the inline results."""
        write(tmp_path, {f"m{i:02}.py": f"raise ValueError({i})\n" for i in range(40)})
        config = ToolConfig(root=str(tmp_path))
        pooled = scan_tree(tmp_path, config, jobs=2, cache=False)
        assert pooled == scan_tree(tmp_path, config, jobs=1, cache=False)
        assert len(pooled) == 40
