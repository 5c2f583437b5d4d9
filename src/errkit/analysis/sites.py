"""The records the scanner produces and every later stage consumes.

They are frozen and picklable so they cross process-pool boundaries and can be
cached by file content. A scan of one file never raises: it returns a `FileScan`
whose `skipped` field says why the file could not be read, if it could not.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class SiteKind(str, enum.Enum):
    """One entry of the migration checklist (DESIGN.md, "Site kinds")."""

    SPAWN_THREAD = "spawn-thread"
    SPAWN_TASK = "spawn-task"
    SPAWN_EXECUTOR = "spawn-executor"
    RAISE_GENERIC = "raise-generic"
    RAISE_UNCHAINED = "raise-unchained"
    ERROR_CLASS = "error-class"
    MESSAGE_MATCH = "message-match"
    SWALLOW = "swallow"
    CODE_POLICY = "code-policy"

    @property
    def auto_rewrite(self) -> bool:
        """Whether `errkit migrate` rewrites sites of this kind."""
        return self not in _REPORT_ONLY


_REPORT_ONLY = frozenset(
    {SiteKind.MESSAGE_MATCH, SiteKind.SWALLOW, SiteKind.CODE_POLICY}
)


class SiteState(str, enum.Enum):
    """Where a site stands in the migration."""

    MIGRATED = "migrated"
    UNMIGRATED = "unmigrated"
    EXEMPT = "exempt"


class SkipReason(str, enum.Enum):
    """Why a file was not scanned. Not an error of errkit: a fact about the file."""

    UNREADABLE = "unreadable"  # OSError while reading
    UNDECODABLE = "undecodable"  # bad coding cookie or bytes
    SYNTAX_ERROR = "syntax-error"  # SyntaxError, TabError, NUL byte
    TOO_COMPLEX = "too-complex"  # MemoryError / RecursionError in the parser
    #: errkit itself failed on the file (a scanner bug): the run goes on, and
    #: `Skipped.detail` carries the traceback's last line to report.
    SCANNER_ERROR = "scanner-error"


@dataclass(frozen=True, slots=True)
class Site:
    """One place in the source that the standard cares about."""

    path: str
    line: int  # 1-based
    col: int  # 0-based, in characters
    end_line: int
    end_col: int
    kind: SiteKind
    state: SiteState
    message: str
    #: Site-specific facts, e.g. {"builtin": "ValueError"} or {"retained": False}.
    #: Values are str, int, bool or None so records stay JSON-able.
    detail: dict[str, Any] = field(default_factory=dict)
    #: The exemption reason from `# errkit: ignore[kind] -- reason`, when exempt.
    reason: str | None = None
    #: The enclosing function or class qualname, "" at module level.
    scope: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Positional re-creation unpickles several times faster than the
        # generated __setstate__ of a slotted dataclass: a warm scan loads
        # every site of the tree from the cache.
        return (
            Site,
            (
                self.path,
                self.line,
                self.col,
                self.end_line,
                self.end_col,
                self.kind,
                self.state,
                self.message,
                self.detail,
                self.reason,
                self.scope,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form; `Site.from_dict` reads it back (for merging shards)."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "kind": self.kind.value,
            "state": self.state.value,
            "message": self.message,
            "detail": dict(self.detail),
            "reason": self.reason,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Site:
        """The site `to_dict` described."""
        return cls(
            path=data["path"],
            line=data["line"],
            col=data["col"],
            end_line=data["end_line"],
            end_col=data["end_col"],
            kind=SiteKind(data["kind"]),
            state=SiteState(data["state"]),
            message=data["message"],
            detail=dict(data.get("detail") or {}),
            reason=data.get("reason"),
            scope=data.get("scope", ""),
        )


@dataclass(frozen=True, slots=True)
class CodeDeclaration:
    """A coded error declared or raised in the tree: a class or an ad-hoc raise."""

    module: str
    code: int
    path: str
    line: int
    class_name: str  # the declared class, or the type raised ad hoc
    category: str | None = None
    message: str | None = None  # the literal message of an ad-hoc raise
    docstring: str | None = None
    declared: bool = True  # False for an ad-hoc `raise errkit.X(..., code=N)`


@dataclass(frozen=True, slots=True)
class Skipped:
    """Why one file could not be scanned, with the line where the reader failed."""

    reason: SkipReason
    error: str  # the exception class name, e.g. "TabError"
    detail: str  # its message
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ClassRecord:
    """A class whose bases lead outside its own file, kept for the tree-wide pass.

    Whether `class Poller(BaseWorker)` starts threads depends on `BaseWorker`,
    which may live in another file of the scanned tree; the scanner records such
    classes so `scan_tree` can follow the bases across files.
    """

    name: str  # qualname inside the file, e.g. "Outer.Poller"
    line: int
    col: int
    end_line: int
    end_col: int
    bases: tuple[str, ...]  # dotted names as far as imports resolve them
    scope: str = ""
    #: `(kind, reason)` pairs of `# errkit: ignore[...]` comments on its line.
    exemptions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FileScan:
    """Everything the scanner learned from one file."""

    path: str
    lines: int = 0
    sites: tuple[Site, ...] = ()
    codes: tuple[CodeDeclaration, ...] = ()
    skipped: Skipped | None = None
    #: The dotted module name the scanner derived from the path ("" if none).
    module_name: str = ""
    #: The source encoding found the way Python finds it (cookie, BOM, utf-8).
    encoding: str = "utf-8"
    #: Classes whose bases need the tree-wide pass (see `ClassRecord`).
    classes: tuple[ClassRecord, ...] = ()
    #: Module-level imports, `(local name, dotted target)`, to follow re-exports.
    exports: tuple[tuple[str, str], ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            FileScan,
            (
                self.path,
                self.lines,
                self.sites,
                self.codes,
                self.skipped,
                self.module_name,
                self.encoding,
                self.classes,
                self.exports,
            ),
        )

    @property
    def unmigrated(self) -> int:
        """How many of the file's sites are still unmigrated."""
        return sum(1 for s in self.sites if s.state is SiteState.UNMIGRATED)
