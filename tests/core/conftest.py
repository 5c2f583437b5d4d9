"""Fixtures for the core tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import errkit


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[errkit.Registry]:
    """Give each test an empty process-wide registry, restoring the old one after.

    Classes declared inside a test register here, so tests can reuse codes.
    """
    previous = errkit.set_registry(errkit.Registry(), adopt=False)
    try:
        yield errkit.get_registry()
    finally:
        errkit.set_registry(previous, adopt=False)
