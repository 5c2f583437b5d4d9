"""Safe file writing: bytes in, bytes out, one atomic replace per file.

Files are never decoded and re-encoded as text by this module: libcst reads the
bytes (coding cookie, BOM) and gives bytes back, so encodings and line endings
survive (migration cases BR-19, BR-20). A write goes to a temporary file in the
target's own folder and replaces the target with `os.replace`, so a crash leaves
either the old file or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def resolve_target(path: Path) -> Path:
    """The real file behind `path`: a symlink is followed, never replaced."""
    return Path(os.path.realpath(path))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file at `path` (through any symlink) with `data`, atomically.

    The new file gets the old one's permission bits. Raises OSError when the
    folder is not writable; the original file is then untouched.
    """
    target = resolve_target(path)
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".errkit-tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
