"""Helpers for before/after codemod tests: dedent, rewrite, compare exact text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from errkit.analysis.sites import SiteKind
from errkit.rewriting import CodeAllocator, rewrite_source

Migrate = Callable[..., str]


@pytest.fixture(name="migrated")
def fixture_migrated() -> Migrate:
    """Rewrite a dedented source in memory with module `inventory` (100-199)."""

    def run(
        source: str,
        *,
        only: SiteKind | None = None,
        low: int = 100,
        high: int = 199,
        known: dict[int, str] | None = None,
    ) -> str:
        data = textwrap.dedent(source).encode("utf-8")
        allocator = CodeAllocator("inventory", low, high, known)
        kinds = frozenset({only}) if only is not None else None
        return rewrite_source(data, allocator, kinds, path="inventory/stock.py").decode(
            "utf-8"
        )

    return run


def dedent(text: str) -> str:
    return textwrap.dedent(text)
