"""A thread-safe, versioned in-memory repository.

Each record is stored with a version number; `update` takes the version the caller
read and refuses the write if someone else wrote in between (optimistic locking), the
way the Postgres-backed repository this replaced in tests used to.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_counters: dict[str, Iterator[int]] = {}
_counters_lock = threading.Lock()


def new_id(prefix: str) -> str:
    """Return the next id for `prefix`, e.g. ``ord-7``; ids are unique per process."""
    if not prefix or not prefix.isidentifier():
        raise ValueError(f"id prefix must be an identifier, got {prefix!r}")
    with _counters_lock:
        counter = _counters.setdefault(prefix, itertools.count(1))
        return f"{prefix}-{next(counter)}"


class DuplicateRecord(ValueError):
    """A record with this key already exists."""


class StaleWrite(RuntimeError):
    """The record changed since the caller read it."""

    def __init__(self, kind: str, key: str, expected: int, actual: int) -> None:
        super().__init__(f"{kind} {key} was modified: expected version {expected}, found {actual}")
        self.expected = expected
        self.actual = actual


class Repository(Generic[T]):
    """Records of one kind (``order``, ``hold``, ...) keyed by string ids."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._rows: dict[str, tuple[int, T]] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._rows)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._rows

    def add(self, key: str, record: T) -> None:
        with self._lock:
            if key in self._rows:
                raise DuplicateRecord(f"{self.kind} {key} already exists")
            self._rows[key] = (1, record)

    def get(self, key: str) -> T:
        with self._lock:
            try:
                return self._rows[key][1]
            except KeyError:
                raise KeyError(f"{self.kind} {key} not found")

    def get_versioned(self, key: str) -> tuple[int, T]:
        with self._lock:
            if key not in self._rows:
                raise KeyError(f"{self.kind} {key} not found")
            return self._rows[key]

    def find(self, key: str) -> T | None:
        """The record, or None; for callers where absence is normal."""
        try:
            return self.get(key)
        except KeyError:
            return None

    def update(self, key: str, record: T, *, version: int | None = None) -> int:
        """Replace a record; returns its new version."""
        with self._lock:
            current, _ = self.get_versioned(key)
            if version is not None and version != current:
                raise StaleWrite(self.kind, key, version, current)
            self._rows[key] = (current + 1, record)
            return current + 1

    def modify(self, key: str, change: Callable[[T], T]) -> T:
        """Apply `change` to a copy of the record under the lock and store it."""
        with self._lock:
            version, record = self.get_versioned(key)
            updated = change(copy.copy(record))
            self.update(key, updated, version=version)
            return updated

    def delete(self, key: str) -> T:
        with self._lock:
            if key not in self._rows:
                raise KeyError(f"{self.kind} {key} not found")
            return self._rows.pop(key)[1]

    def all(self) -> list[T]:
        with self._lock:
            return [record for _, record in self._rows.values()]

    def where(self, predicate: Callable[[T], bool]) -> list[T]:
        return [record for record in self.all() if predicate(record)]

    def export(self) -> dict[str, Any]:
        """A plain snapshot of the rows, for `save_snapshot`."""
        with self._lock:
            return {key: record for key, (_, record) in self._rows.items()}
