"""JSON snapshots of repositories, written on shutdown and read on start-up."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("bazaar.storage")

SNAPSHOT_VERSION = 3


def save_snapshot(path: str | os.PathLike[str], tables: dict[str, Any]) -> None:
    """Write `tables` atomically: a crash mid-write leaves the old snapshot."""
    target = Path(path)
    payload = {"version": SNAPSHOT_VERSION, "tables": tables}
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".snapshot-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, default=str, sort_keys=True)
        os.replace(tmp, target)
    except OSError as e:
        raise RuntimeError(f"cannot write snapshot {target}: {e.strerror}")


def load_snapshot(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a snapshot; a missing file is an empty store, a corrupt one an error."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.info("no snapshot at %s, starting empty", source)
        return {}
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"snapshot {source} is corrupt at line {e.lineno}")
    if payload.get("version") != SNAPSHOT_VERSION:
        raise ValueError(
            f"snapshot {source} has version {payload.get('version')!r}, expected {SNAPSHOT_VERSION}"
        )
    return payload["tables"]
