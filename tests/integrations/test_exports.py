"""The integration modules' public names, and what importing them costs."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import errkit

MODULES = [
    "errkit.runtime.logs",
    "errkit.runtime.problem",
    "errkit.runtime.problem_client",
    "errkit.runtime.render",
    "errkit.runtime.retry_after",
    "errkit.integrations.fastapi",
    "errkit.integrations.flask",
    "errkit.integrations.grpc",
    "errkit.integrations.otel",
    "errkit.integrations.structlog",
    "errkit.integrations.tenacity",
]
FRAMEWORKS = [
    "fastapi",
    "starlette",
    "flask",
    "grpc",
    "structlog",
    "tenacity",
    "opentelemetry",
]


class TestExports:
    @pytest.mark.parametrize("name", MODULES)
    def test_all_is_real(self, name: str) -> None:
        """Each module's __all__ lists each name once, and every name exists.

        (Its order is ruff's RUF022 isort-style order, checked by the linter.)
        """
        module = importlib.import_module(name)
        assert len(module.__all__) == len(set(module.__all__))
        assert [n for n in module.__all__ if not hasattr(module, n)] == []

    @pytest.mark.parametrize(
        "name",
        [
            "ErrorFieldsFilter",
            "JsonFormatter",
            "ProblemMapper",
            "error_from_problem",
            "exception_to_dict",
            "format_exception_text",
        ],
    )
    def test_lazy_top_level_names(self, name: str) -> None:
        """The top-level errkit names resolve to the runtime modules' objects."""
        assert name in errkit.__all__
        assert getattr(errkit, name).__module__.startswith("errkit.runtime.")


class TestImportCost:
    def test_runtime_modules_import_no_framework(self) -> None:
        """Problem details and logging load no web, RPC or tracing framework."""
        code = (
            "import sys, errkit.runtime.problem, errkit.runtime.logs, "
            "errkit.runtime.problem_client; "
            f"print(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"
