"""Apply a file's planned edits with libcst, touching only the edited statements.

The module is printed once, statement by statement: that print is the round-trip
check (it must give back the file's exact bytes), and it leaves every untouched
top-level statement's text ready to reuse. Only the statements holding an edit
are transformed and printed again, so a file costs one parse, one print and a
little more, and no position metadata (which costs about four parses).

Nodes are found by order, not position: the planner numbered each edited node
among the nodes of its type in its top-level statement, in source order, and a
pre-order libcst walk meets them in that same order. Each found node is checked
(the builtin raised, the class name, the function called) and the counts must
agree, or the file is skipped rather than edited in the wrong place.

Each edit replaces only what it changes through `with_changes`, so comments and
blank lines around the edited statement stay where they were (case BR-16).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst._nodes.internal import CodegenState

from errkit.rewriting import error_class, raise_generic, raise_unchained, spawn
from errkit.rewriting.planner import node_type
from errkit.rewriting.targets import (
    ChainEdit,
    ClassEdit,
    Edit,
    FilePlan,
    HandlerNameEdit,
    RaiseEdit,
    SpawnEdit,
)


class RoundTripError(Exception):
    """libcst does not print the file back byte for byte; the file is skipped."""


class NodeMismatchError(LookupError):
    """The planned edits do not line up with libcst's nodes; the file is skipped."""


def print_pieces(module: cst.Module) -> tuple[str, list[str], str]:
    """The module's text as (header, one piece per top-level statement, footer).

    Joined, they are exactly `module.code` (the same steps as libcst's own print).
    """
    state = CodegenState(
        default_indent=module.default_indent, default_newline=module.default_newline
    )
    for line in module.header:
        line._codegen(state)
    marks = []
    for statement in module.body:
        marks.append(len(state.tokens))
        statement._codegen(state)
    marks.append(len(state.tokens))
    for line in module.footer:
        line._codegen(state)
    if module.has_trailing_newline:
        if not state.tokens:
            state.add_token(state.default_newline)
    else:
        state.pop_trailing_newline()
    tokens = state.tokens
    marks = [min(mark, len(tokens)) for mark in marks]
    pieces = ["".join(tokens[a:b]) for a, b in zip(marks, marks[1:])]

    return "".join(tokens[: marks[0]]), pieces, "".join(tokens[marks[-1] :])


def rewrite_module(module: cst.Module, data: bytes, plan: FilePlan, name: str) -> bytes:
    """`data` (which `module` was parsed from) with `plan` applied, as bytes.

    Raises `RoundTripError` before any edit if libcst does not print `data` back
    unchanged, `NodeMismatchError` if an edit finds no matching node, and
    UnicodeEncodeError if the result cannot be saved in the file's encoding.
    """
    header, pieces, footer = print_pieces(module)
    if (header + "".join(pieces) + footer).encode(module.encoding) != data:
        raise RoundTripError("libcst does not print this file back unchanged")

    by_group: dict[int, list[Edit]] = {}
    for edit in plan.edits:
        by_group.setdefault(edit.group, []).append(edit)
    counts = {(group, kind): count for group, kind, count in plan.counts}
    last = len(module.body) - 1
    for group, edits in sorted(by_group.items()):
        if not 0 <= group <= last:
            raise NodeMismatchError(f"no top-level statement {group}")
        apply = _Apply(edits, name)
        statement = module.body[group].visit(apply)
        apply.check(group, counts)
        state = CodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
        )
        statement._codegen(state)
        if group == last and not module.footer and not module.has_trailing_newline:
            state.pop_trailing_newline()
        pieces[group] = "".join(state.tokens)

    if plan.import_before is not None:
        pieces = _with_import(module, pieces, plan.import_before)
    return (header + "".join(pieces) + footer).encode(module.encoding)


def _with_import(module: cst.Module, pieces: Sequence[str], index: int) -> list[str]:
    line = module.code_for_node(
        cst.SimpleStatementLine(
            body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("errkit"))])]
        )
    )
    result = list(pieces)
    if index >= len(result) and result and not result[-1].endswith(("\n", "\r")):
        # The file ends without a line break: put one before the import instead.
        line = module.default_newline + line.rstrip("\r\n")
    result.insert(min(index, len(result)), line)
    return result


class _Apply(cst.CSTTransformer):
    """Applies the edits of one top-level statement, found by type and order."""

    def __init__(self, edits: list[Edit], module: str) -> None:
        super().__init__()
        self.module = module
        self.wanted: dict[tuple[str, int], list[Edit]] = {}
        for edit in edits:
            self.wanted.setdefault((node_type(edit), edit.ordinal), []).append(edit)
        self.seen: dict[str, int] = {"raise": 0, "handler": 0, "class": 0, "call": 0}
        self.order: dict[int, int] = {}
        self.applied = 0

    def check(self, group: int, counts: dict[tuple[int, str], int]) -> None:
        """Raise NodeMismatchError unless libcst saw what `ast` saw."""
        for kind, seen in self.seen.items():
            expected = counts.get((group, kind))
            if expected is not None and expected != seen:
                msg = f"statement {group}: ast saw {expected} {kind} nodes, libcst {seen}"
                raise NodeMismatchError(msg)
        planned = sum(len(edits) for edits in self.wanted.values())
        if self.applied != planned:
            msg = f"statement {group}: {planned - self.applied} edits found no node"
            raise NodeMismatchError(msg)

    def _count(self, kind: str, node: cst.CSTNode) -> None:
        self.order[id(node)] = self.seen[kind]
        self.seen[kind] += 1

    def _edits(self, kind: str, node: cst.CSTNode) -> list[Edit]:
        return self.wanted.get((kind, self.order[id(node)]), [])

    # --- counting, in pre-order --------------------------------------------------------

    def visit_Raise(self, node: cst.Raise) -> bool:
        self._count("raise", node)
        return True

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        self._count("handler", node)
        return True

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> bool:
        self._count("handler", node)
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._count("class", node)
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        self._count("call", node)
        return True

    # --- editing -------------------------------------------------------------------

    def leave_Raise(self, original: cst.Raise, updated: cst.Raise) -> cst.Raise:
        for edit in self._edits("raise", original):
            if isinstance(edit, RaiseEdit) and _raises(updated, edit.builtin):
                assert updated.exc is not None
                exc = raise_generic.apply_raise(updated.exc, edit, self.module)
                updated = updated.with_changes(exc=exc)
                self.applied += 1
            elif (
                isinstance(edit, ChainEdit)
                and updated.exc is not None
                and updated.cause is None
            ):
                updated = raise_unchained.apply_chain(updated, edit.cause)
                self.applied += 1
        return updated

    def _handler(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        for edit in self._edits("handler", original):
            assert isinstance(updated, (cst.ExceptHandler, cst.ExceptStarHandler))
            if isinstance(edit, HandlerNameEdit) and updated.name is None:
                self.applied += 1
                return raise_unchained.apply_handler_name(updated, edit.name)
        return updated

    def leave_ExceptHandler(
        self, original: cst.ExceptHandler, updated: cst.ExceptHandler
    ) -> cst.CSTNode:
        return self._handler(original, updated)

    def leave_ExceptStarHandler(
        self, original: cst.ExceptStarHandler, updated: cst.ExceptStarHandler
    ) -> cst.CSTNode:
        return self._handler(original, updated)

    def leave_ClassDef(
        self, original: cst.ClassDef, updated: cst.ClassDef
    ) -> cst.ClassDef:
        for edit in self._edits("class", original):
            if isinstance(edit, ClassEdit) and updated.name.value == edit.name:
                self.applied += 1
                return error_class.apply_class(updated, edit, self.module)
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        for edit in self._edits("call", original):
            if isinstance(edit, SpawnEdit) and _callee(updated) == edit.callee:
                self.applied += 1
                return spawn.apply_spawn(updated, edit)
        return updated


def _raises(node: cst.Raise, builtin: str) -> bool:
    exc = node.exc
    target = exc.func if isinstance(exc, cst.Call) else exc
    return isinstance(target, cst.Name) and target.value == builtin


def _callee(call: cst.Call) -> str:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""
