"""What `import errkit` loads: the core only, and no module it needs only later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import errkit

SRC = str(Path(errkit.__file__).resolve().parents[1])

#: Standard-library modules only rarely used core functions need, imported by
#: them when called: reading a config file, pickling a foreign cause.
LAZY_STDLIB = ("pathlib", "pickle", "tomllib", "traceback")
#: Layers above the core, and the third-party packages they bring.
UPPER = ("errkit.runtime", "errkit.analysis", "errkit.cli", "prometheus_client")


def _loaded_after_import(names: tuple[str, ...], then: str = "") -> list[str]:
    """Which of ``names`` are in sys.modules after ``import errkit`` (and ``then``).

    ``-S`` leaves out site-packages' start-up hooks, which may import anything.
    """
    code = "\n".join(
        [
            f"import sys; sys.path.insert(0, {SRC!r}); import errkit",
            then,
            f"loaded = sorted(n for n in {names!r} if n in sys.modules)",
            "import json; print(json.dumps(loaded))",
        ]
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


class TestImportErrkit:
    @pytest.mark.parametrize(
        "names", [LAZY_STDLIB, UPPER], ids=["rarely-used-stdlib", "upper-layers"]
    )
    def test_import_loads_none_of(self, names: tuple[str, ...]) -> None:
        """`import errkit` loads none of these modules."""
        assert _loaded_after_import(names) == []

    def test_loading_a_config_imports_tomllib_then(self, tmp_path: Path) -> None:
        """configure_registry on a file still reads it, importing tomllib then."""
        (tmp_path / "errkit.toml").write_text("[modules.shop]\nrange = [100, 199]\n")
        then = f"errkit.load_registry({str(tmp_path)!r})"
        assert _loaded_after_import(("pathlib", "tomllib"), then) == [
            "pathlib",
            "tomllib",
        ]
