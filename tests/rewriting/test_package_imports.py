"""The rewriting package's front door loads its modules on first use."""

from __future__ import annotations

import subprocess
import sys

import errkit.rewriting


class TestLazyFrontDoor:
    def test_kinds_do_not_load_libcst(self) -> None:
        """Importing the kinds (as the CLI does for its options) leaves libcst out."""
        code = "import sys, errkit.rewriting.kinds; print('libcst' in sys.modules)"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "False"

    def test_every_exported_name_resolves(self) -> None:
        """Each name in __all__ resolves to an object of its module."""
        missing = [
            n for n in errkit.rewriting.__all__ if not hasattr(errkit.rewriting, n)
        ]
        assert missing == []

    def test_all_matches_lazy_table(self) -> None:
        """__all__ lists exactly the names the package can load."""
        assert sorted(errkit.rewriting.__all__) == sorted(errkit.rewriting._LAZY)

    def test_unknown_name_is_attribute_error(self) -> None:
        """An unknown name raises AttributeError naming it."""
        try:
            errkit.rewriting.no_such_name  # noqa: B018
        except AttributeError as exc:
            assert (
                str(exc) == "module 'errkit.rewriting' has no attribute 'no_such_name'"
            )
        else:
            raise AssertionError("no AttributeError")
