"""The rewriting package's front door: `__all__` is exact (ruff keeps it sorted)."""

from __future__ import annotations

from errkit import rewriting


class TestExports:
    def test_all_defined_once(self) -> None:
        """Every name in `__all__` exists, once."""
        assert len(set(rewriting.__all__)) == len(rewriting.__all__)
        assert [n for n in rewriting.__all__ if not hasattr(rewriting, n)] == []

    def test_public_names_listed(self) -> None:
        """Every public name imported into the package is in `__all__`."""
        public = {
            name
            for name, value in vars(rewriting).items()
            if not name.startswith("_")
            and getattr(value, "__module__", "").startswith("errkit.rewriting")
        }
        assert public - set(rewriting.__all__) == set()
