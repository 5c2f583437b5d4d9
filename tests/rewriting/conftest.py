"""Fixtures for the rewriting tests."""

from __future__ import annotations

import pytest
from rewrite_helpers import Migrate, migrate_text


@pytest.fixture(name="migrated")
def fixture_migrated() -> Migrate:
    """Rewrite a dedented source in memory with module `inventory` (100-199)."""
    return migrate_text
