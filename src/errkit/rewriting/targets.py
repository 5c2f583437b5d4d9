"""The planned edits of one file: frozen, picklable records.

The planner finds them with the standard-library `ast` (cheap), the parent process
gives the coded ones their codes, and a worker applies them with libcst at the
positions recorded here. Positions are 1-based lines and 0-based columns in
characters, as libcst's `PositionProvider` reports them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from errkit.analysis.sites import SiteKind


@dataclass(frozen=True, slots=True)
class CodeRequest:
    """A code the edit needs: which category block, and the kind of failure."""

    category: str
    #: "same kind of failure" key, e.g. "ValueError: quantity must be positive".
    key: str


@dataclass(frozen=True, slots=True)
class RaiseEdit:
    """`raise Builtin(...)` becomes `raise errkit.<replacement>(..., module, code)`."""

    line: int
    col: int
    builtin: str
    replacement: str  # attribute of errkit, e.g. "ValidationError"
    request: CodeRequest
    #: Passed as `category=` when the replacement is the plain `CodedError`.
    category_keyword: str | None = None
    code: int | None = None


@dataclass(frozen=True, slots=True)
class ChainEdit:
    """`raise X(...)` in an `except` handler gains `from <cause>`."""

    line: int
    col: int
    cause: str


@dataclass(frozen=True, slots=True)
class HandlerNameEdit:
    """`except E:` gains `as <name>` so a raise inside it can chain."""

    line: int
    col: int
    name: str


@dataclass(frozen=True, slots=True)
class ClassEdit:
    """A class gains an errkit base before its first builtin exception base."""

    line: int
    col: int
    base: str  # attribute of errkit, e.g. "ConflictError" or "RecoveredThread"
    insert_at: int  # index among the class's positional bases
    request: CodeRequest | None  # None for RecoveredThread (no code)
    category_keyword: str | None = None
    context: str | None = None  # for RecoveredThread
    code: int | None = None


class WrapStyle(str, enum.Enum):
    """How a spawn call is wrapped."""

    #: `errkit.watch(<call>, context=...)`: the same future or task comes back.
    WATCH = "watch"
    #: An argument of the call becomes `errkit.recovered(<arg>, context=...)`.
    RECOVER_ARG = "recover-arg"


@dataclass(frozen=True, slots=True)
class SpawnEdit:
    """A spawn call wrapped with recovery."""

    line: int
    col: int
    #: Calls can share a start (`a.submit(f).add_done_callback(g)`): the end
    #: tells them apart.
    end_line: int
    end_col: int
    kind: SiteKind
    style: WrapStyle
    context: str
    #: For RECOVER_ARG: the keyword naming the callable, or its position.
    keyword: str | None = None
    position: int | None = None


Edit = RaiseEdit | ChainEdit | HandlerNameEdit | ClassEdit | SpawnEdit


@dataclass(frozen=True, slots=True)
class Declined:
    """A site the planner found but leaves unmigrated, with the reason why."""

    kind: SiteKind
    line: int
    col: int
    reason: str


@dataclass(frozen=True, slots=True)
class FilePlan:
    """Every edit planned for one file, and the sites left alone."""

    path: str
    edits: tuple[Edit, ...] = ()
    declined: tuple[Declined, ...] = ()
    #: Insert `import errkit` before the first top-level statement starting after
    #: this line (0: at the top, after the docstring and `__future__` imports).
    import_after_line: int | None = None
    digest: str = ""
    #: `(module, code)` pairs written as literals in the file: codes in use.
    declared: tuple[tuple[str, int], ...] = ()

    def with_codes(self, codes: dict[tuple[int, int], int | None]) -> FilePlan:
        """This plan with codes filled in; an edit whose code is None is dropped."""
        kept: list[Edit] = []
        for edit in self.edits:
            if isinstance(edit, (RaiseEdit, ClassEdit)) and edit.request is not None:
                code = codes.get((edit.line, edit.col))
                if code is None:
                    continue
                edit = replace(edit, code=code)
            kept.append(edit)
        return replace(self, edits=tuple(kept))
