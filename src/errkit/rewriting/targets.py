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
    #: Where libcst finds the node: the top-level statement (libcst's numbering)
    #: and the node's place among nodes of its type in that statement, in source
    #: order (see `planner`).
    group: int = -1
    ordinal: int = -1


@dataclass(frozen=True, slots=True)
class ChainEdit:
    """`raise X(...)` in an `except` handler gains `from <cause>`."""

    line: int
    col: int
    cause: str
    #: Where libcst finds the node: the top-level statement (libcst's numbering)
    #: and the node's place among nodes of its type in that statement, in source
    #: order (see `planner`).
    group: int = -1
    ordinal: int = -1


@dataclass(frozen=True, slots=True)
class HandlerNameEdit:
    """`except E:` gains `as <name>` so a raise inside it can chain."""

    line: int
    col: int
    name: str
    #: Where libcst finds the node: the top-level statement (libcst's numbering)
    #: and the node's place among nodes of its type in that statement, in source
    #: order (see `planner`).
    group: int = -1
    ordinal: int = -1


@dataclass(frozen=True, slots=True)
class ClassEdit:
    """A class gains an errkit base before its first builtin exception base."""

    line: int
    col: int
    base: str  # attribute of errkit, e.g. "ConflictError" or "RecoveredThread"
    insert_at: int  # index among the class's positional bases
    request: CodeRequest | None  # None for RecoveredThread (no code)
    name: str = ""  # the class name, checked against the node libcst finds
    category_keyword: str | None = None
    context: str | None = None  # for RecoveredThread
    code: int | None = None
    #: Where libcst finds the node: the top-level statement (libcst's numbering)
    #: and the node's place among nodes of its type in that statement, in source
    #: order (see `planner`).
    group: int = -1
    ordinal: int = -1


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
    #: The last name of the called function, checked against libcst's node.
    callee: str = ""
    #: Where libcst finds the node: the top-level statement (libcst's numbering)
    #: and the node's place among nodes of its type in that statement, in source
    #: order (see `planner`).
    group: int = -1
    ordinal: int = -1


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
    #: Insert `import errkit` before this top-level statement (libcst's numbering;
    #: the number of statements means at the end); None when no import is needed.
    import_before: int | None = None
    #: How the import is inserted there (`imports.Layout` value).
    import_layout: str = "line-after"
    #: (statement, node type, how many nodes of that type `ast` saw in it), for
    #: every statement with an edit: libcst must see the same numbers.
    counts: tuple[tuple[int, str, int], ...] = ()
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
