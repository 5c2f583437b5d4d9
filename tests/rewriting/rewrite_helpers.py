"""Helpers for before/after codemod tests: dedent, rewrite, compare exact text.

A module with a unique name (not `conftest`), so test modules can import it
whatever other test folders are collected in the same run.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from errkit.analysis.sites import SiteKind
from errkit.rewriting import CodeAllocator, rewrite_source

Migrate = Callable[..., str]


def migrate_text(
    source: str,
    *,
    only: SiteKind | None = None,
    low: int = 100,
    high: int = 199,
    known: dict[int, str] | None = None,
) -> str:
    """Rewrite a dedented source in memory with module `inventory` (100-199)."""
    data = textwrap.dedent(source).encode("utf-8")
    allocator = CodeAllocator("inventory", low, high, known)
    kinds = frozenset({only}) if only is not None else None
    out = rewrite_source(data, allocator, kinds, path="inventory/stock.py")
    return out.decode("utf-8")


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def run_source(source: str, module: str = "m") -> dict[str, object]:
    """Execute rewritten source as module `module`; return its namespace."""
    namespace: dict[str, object] = {"__name__": module}
    exec(compile(source, f"{module}.py", "exec"), namespace)  # noqa: S102 - test input
    return namespace
