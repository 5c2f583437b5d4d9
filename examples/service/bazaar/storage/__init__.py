"""In-memory repositories shared by every part of the service."""

from bazaar.storage.memory import (
    DuplicateRecord,
    Repository,
    StaleWrite,
    new_id,
)
from bazaar.storage.snapshot import load_snapshot, save_snapshot

__all__ = [
    "DuplicateRecord",
    "Repository",
    "StaleWrite",
    "load_snapshot",
    "new_id",
    "save_snapshot",
]
