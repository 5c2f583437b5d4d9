"""Tests for the public front door: ``errkit.__all__`` and ``errkit.core.__all__``."""

from __future__ import annotations

import subprocess
import sys

import errkit
import errkit.core

#: Public but not in __all__: a star import must not shadow the builtin.
NOT_STARRED = {"TimeoutError"}


class TestExports:
    def test_core_all_matches_public_names(self) -> None:
        """errkit.core.__all__ is sorted and is exactly its public attributes."""
        public = {n for n in vars(errkit.core) if not n.startswith("_")}
        submodules = {
            n
            for n in public
            if type(getattr(errkit.core, n)).__name__ == "module" and n != "sentinels"
        }
        assert errkit.core.__all__ == sorted(errkit.core.__all__)
        assert set(errkit.core.__all__) == (
            public - submodules - {"annotations"} - NOT_STARRED
        )

    def test_package_exports_every_core_name(self) -> None:
        """Every core name is importable from errkit and listed in its __all__."""
        for name in errkit.core.__all__:
            assert name in errkit.__all__, name
            if name == "sentinels":  # errkit.sentinels is the public module path
                continue
            assert getattr(errkit, name) is getattr(errkit.core, name), name
        assert [getattr(errkit.sentinels, n) for n in errkit.sentinels.__all__] == [
            getattr(errkit.core.sentinels, n) for n in errkit.core.sentinels.__all__
        ]

    def test_package_all_sorted_and_resolvable(self) -> None:
        """errkit.__all__ is sorted and every eager name resolves without import
        of another layer."""
        assert errkit.__all__ == sorted(errkit.__all__)
        eager = [n for n in errkit.__all__ if n not in errkit._LAZY]
        for name in eager:
            assert hasattr(errkit, name), name

    def test_no_stray_public_names(self) -> None:
        """Every public eager attribute of errkit is in __all__."""
        public = {n for n in vars(errkit) if not n.startswith("_")}
        modules = {n for n in public if type(getattr(errkit, n)).__name__ == "module"}
        stray = (
            public
            - set(errkit.__all__)
            - modules
            - {"annotations", "importlib", "Any"}
            - NOT_STARRED
        )
        assert stray == set()

    def test_contract_names(self) -> None:
        """The names docs/ARCHITECTURE.md promises exist with those spellings."""
        for name in [
            "CodedError",
            "ValidationError",
            "NotFoundError",
            "ConflictError",
            "UnauthorizedError",
            "StateError",
            "ExternalError",
            "InternalError",
            "RateLimitError",
            "coded",
            "CodedKeyError",
            "CodedIndexError",
            "CodedTypeError",
            "CodedAttributeError",
            "CodedOSError",
            "CodedFileNotFoundError",
            "CodedFileExistsError",
            "CodedConnectionError",
            "find",
            "has",
            "code_of",
            "category_of",
            "is_retryable",
            "root_cause",
            "walk",
            "wrap",
            "Category",
            "Severity",
            "sentinels",
        ]:
            assert name in errkit.__all__, name

    def test_import_loads_core_only(self) -> None:
        """``import errkit`` loads no other errkit layer and no third-party or
        heavy module."""
        code = (
            "import sys, errkit\n"
            "names = sorted(m for m in sys.modules if m.startswith('errkit'))\n"
            "print(' '.join(names))\n"
            "print(' '.join(m for m in ('asyncio', 'prometheus_client', 'libcst',"
            " 'click', 'rich', 'concurrent.futures') if m in sys.modules))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        assert out[0].split() == [
            "errkit",
            "errkit.core",
            "errkit.core._categories",
            "errkit.core._chain",
            "errkit.core._config",
            "errkit.core._errors",
            "errkit.core._exceptions",
            "errkit.core._kinds",
            "errkit.core._pickling",
            "errkit.core._ranges",
            "errkit.core._registry",
            "errkit.core._sentinels",
            "errkit.core._wrapping",
            "errkit.sentinels",
        ]
        assert out[1:] == [""]

    def test_star_import_keeps_builtin_timeout_error(self) -> None:
        """``from errkit import *`` leaves the builtin TimeoutError in place, while
        errkit.TimeoutError stays importable by name."""
        namespace: dict[str, object] = {}
        # The star import is the behaviour under test.
        exec("from errkit import *", namespace)  # noqa: S102
        assert "TimeoutError" not in namespace
        assert "ValidationError" in namespace
        from errkit import TimeoutError as CodedTimeout

        assert issubclass(CodedTimeout, TimeoutError)
