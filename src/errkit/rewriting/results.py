"""Per-file migration results: frozen, picklable values, one per file.

A worker never lets an exception cross the process boundary: whatever happens to a
file becomes one of these records (STYLE.md, habit 10).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from errkit.rewriting.targets import Declined


class Status(str, enum.Enum):
    """What happened to one file."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    #: No configured module owns the file: out of migrate's scope, not a failure.
    NOT_IN_MODULE = "not-in-module"


class SkipWhy(str, enum.Enum):
    """Why a file was left untouched. A fact about the file, not an errkit error."""

    # The first five are the scanner's tags (`SkipReason`), for the same failures.
    UNREADABLE = "unreadable"  # OSError while reading
    UNDECODABLE = "undecodable"  # bad coding cookie or bytes
    SYNTAX_ERROR = "syntax-error"  # SyntaxError, TabError, NUL byte
    TOO_COMPLEX = "too-complex"  # MemoryError / RecursionError in the parser
    SCANNER_ERROR = "scanner-error"  # the scanner failed on the file (its bug)
    UNPARSABLE = "unparsable"  # libcst failed where `ast` did not, any exception class
    ROUND_TRIP = "round-trip"  # libcst does not print the file back byte for byte
    UNENCODABLE = "unencodable"  # the rewrite cannot be saved in the file's encoding
    BROKEN_OUTPUT = "broken-output"  # the rewritten text no longer parses
    MISMATCH = "mismatch"  # ast and libcst disagree on the nodes to edit
    CHANGED_ON_DISK = "changed-on-disk"  # the file changed between plan and rewrite
    WORKER_CRASHED = "worker-crashed"  # the process handling the file died


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """The result for one file."""

    path: str
    status: Status
    module: str | None = None
    before: bytes | None = None
    after: bytes | None = None
    #: How many sites of each kind the rewrite migrates, by kind name.
    rewritten: tuple[tuple[str, int], ...] = ()
    declined: tuple[Declined, ...] = ()
    why: SkipWhy | None = None
    error: str | None = None  # exception class name
    detail: str | None = None  # its message
    line: int | None = None

    @property
    def sites(self) -> int:
        """Sites migrated in this file."""
        return sum(count for _, count in self.rewritten)
