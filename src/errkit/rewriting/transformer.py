"""Apply a file's planned edits with libcst by splicing printed tokens.

The module is printed once. That print is the round-trip check (it must give back
the file's exact bytes), and while printing, a small hook counts the nodes of each
edited type in every top-level statement and notes which tokens the edited parts
fill. Each edit then builds its replacement node with `with_changes` from the
original node, prints only that part (an expression, a class's arguments, a
handler's type), and the part's tokens are swapped for the new text. Everything
else, comments and blank lines included, is the original text (case BR-16). A
file costs one parse and one print: no tree transform and no position metadata,
which together cost several parses.

Nodes are found by order, not position: the planner numbered each edited node
among the nodes of its type in its top-level statement, in source order, and the
printer meets them in that same order. Each found node is checked (the builtin
raised, the class name, the function called) and the counts must agree, or the
file is skipped rather than edited in the wrong place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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

_KINDS: dict[type, str] = {
    cst.Raise: "raise",
    cst.ExceptHandler: "handler",
    cst.ExceptStarHandler: "handler",
    cst.ClassDef: "class",
    cst.Call: "call",
}


class RoundTripError(Exception):
    """libcst does not print the file back byte for byte; the file is skipped."""


class NodeMismatchError(LookupError):
    """The planned edits do not line up with libcst's nodes; the file is skipped."""


class _Part:
    """One edit target: the original node and the tokens its edited part fills."""

    __slots__ = ("edits", "end", "node", "start", "watch")

    def __init__(self, node: cst.CSTNode, edits: list[Edit]) -> None:
        self.node = node
        self.edits = edits
        self.watch: tuple[int, ...] = ()  # ids of the child nodes whose tokens change
        self.start = -1
        self.end = -1


class _Printer(CodegenState):
    """libcst's printer plus a hook that finds the planned nodes while printing."""

    def __init__(self, module: cst.Module, plan: FilePlan) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self.wanted: dict[tuple[int, str, int], list[Edit]] = {}
        for edit in plan.edits:
            key = (edit.group, node_type(edit), edit.ordinal)
            self.wanted.setdefault(key, []).append(edit)
        self.group = -1
        self.seen: dict[str, int] = {}
        self.parts: list[_Part] = []
        self.watching: dict[int, _Part] = {}
        self.counts: dict[tuple[int, str], int] = {}

    def start_statement(self, group: int) -> None:
        self.finish_statement()
        self.group = group
        self.seen = {"raise": 0, "handler": 0, "class": 0, "call": 0}

    def finish_statement(self) -> None:
        for kind, count in self.seen.items():
            self.counts[(self.group, kind)] = count

    def before_codegen(self, node: cst.CSTNode) -> None:
        kind = _KINDS.get(type(node))
        if kind is not None and self.group >= 0:
            ordinal = self.seen[kind]
            self.seen[kind] = ordinal + 1
            edits = self.wanted.get((self.group, kind, ordinal))
            if edits:
                self._target(node, edits)
        part = self.watching.get(id(node))
        if part is not None and part.start < 0:
            part.start = len(self.tokens)

    def after_codegen(self, node: cst.CSTNode) -> None:
        part = self.watching.get(id(node))
        if part is not None:
            part.end = len(self.tokens)

    def _target(self, node: cst.CSTNode, edits: list[Edit]) -> None:
        part = _Part(node, edits)
        if isinstance(node, cst.Raise):
            children: list[Any] = [node.exc]
        elif isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)):
            children = [node.type if node.type is not None else node]
        elif isinstance(node, cst.ClassDef):
            children = [*node.bases, *node.keywords]
        else:
            children = [node]
        part.watch = tuple(id(child) for child in children if child is not None)
        for child_id in part.watch:
            self.watching[child_id] = part
        self.parts.append(part)


def rewrite_module(module: cst.Module, data: bytes, plan: FilePlan, name: str) -> bytes:
    """`data` (which `module` was parsed from) with `plan` applied, as bytes.

    Raises `RoundTripError` before any edit if libcst does not print `data` back
    unchanged, `NodeMismatchError` if an edit finds no matching node, and
    UnicodeEncodeError if the result cannot be saved in the file's encoding.
    """
    printer = _Printer(module, plan)
    for line in module.header:
        line._codegen(printer)
    starts = []
    for group, statement in enumerate(module.body):
        printer.start_statement(group)
        starts.append(len(printer.tokens))
        statement._codegen(printer)
    printer.finish_statement()
    printer.group = -1
    for line in module.footer:
        line._codegen(printer)
    if module.has_trailing_newline:
        if not printer.tokens:
            printer.add_token(printer.default_newline)
    else:
        printer.pop_trailing_newline()
    tokens = printer.tokens
    if "".join(tokens).encode(module.encoding) != data:
        raise RoundTripError("libcst does not print this file back unchanged")
    _check_counts(plan, printer)

    replacements = [_replacement(module, part, name, tokens) for part in printer.parts]
    if plan.import_before is not None:
        replacements.append(_import_line(module, tokens, starts, plan.import_before))
    for start, end, text in sorted(replacements, key=lambda r: r[0], reverse=True):
        tokens[start:end] = [text]
    return "".join(tokens).encode(module.encoding)


def _check_counts(plan: FilePlan, printer: _Printer) -> None:
    for group, kind, expected in plan.counts:
        seen = printer.counts.get((group, kind))
        if seen != expected:
            msg = f"statement {group}: ast saw {expected} {kind} nodes, libcst {seen}"
            raise NodeMismatchError(msg)
    planned = {(e.group, node_type(e), e.ordinal) for e in plan.edits}
    found = {
        (printer_key)
        for printer_key, edits in printer.wanted.items()
        if any(edits is part.edits for part in printer.parts)
    }
    if planned != found:
        missing = ", ".join(f"{g}/{k}/{o}" for g, k, o in sorted(planned - found))
        raise NodeMismatchError(f"planned edits found no node: {missing}")


def _code(module: cst.Module, nodes: Sequence[cst.CSTNode]) -> str:
    state = CodegenState(
        default_indent=module.default_indent, default_newline=module.default_newline
    )
    for node in nodes:
        node._codegen(state)
    return "".join(state.tokens)


def _replacement(
    module: cst.Module, part: _Part, name: str, tokens: list[str]
) -> tuple[int, int, str]:
    """(first token, end token, new text) for one edited node."""
    if part.start < 0 or part.end < part.start:
        raise NodeMismatchError(f"no tokens recorded for {type(part.node).__name__}")
    node = part.node
    if isinstance(node, cst.Raise):
        updated = node
        for edit in part.edits:
            if isinstance(edit, RaiseEdit) and _raises(updated, edit.builtin):
                assert updated.exc is not None
                updated = updated.with_changes(
                    exc=raise_generic.apply_raise(updated.exc, edit, name)
                )
            elif isinstance(edit, ChainEdit) and node.cause is None:
                updated = raise_unchained.apply_chain(updated, edit.cause)
            else:
                raise NodeMismatchError(f"raise does not match {edit!r}")
        assert updated.exc is not None
        parts: list[cst.CSTNode] = [updated.exc]
        if updated.cause is not None and node.cause is None:
            parts.append(updated.cause)
        return part.start, part.end, _code(module, parts)
    (edit,) = part.edits
    if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)):
        if not isinstance(edit, HandlerNameEdit) or node.name is not None:
            raise NodeMismatchError(f"handler does not match {edit!r}")
        named = raise_unchained.apply_handler_name(node, edit.name)
        assert named.name is not None and named.type is not None
        if node.type is None:
            # A bare `except:` is rebuilt up to its colon: "except BaseException as x".
            text = "except " + _code(module, [named.type]) + _code(module, [named.name])
            keyword = tokens.index("except", part.start, part.end)
            return keyword, keyword + 1, text
        text = _code(module, [named.type, named.name])
        return part.start, part.end, text
    if isinstance(node, cst.ClassDef):
        if not isinstance(edit, ClassEdit) or node.name.value != edit.name:
            raise NodeMismatchError(f"class does not match {edit!r}")
        updated_class = error_class.apply_class(node, edit, name)
        args = [*updated_class.bases, *updated_class.keywords]
        return part.start, part.end, _code(module, args)
    if not isinstance(edit, SpawnEdit) or _callee(node) != edit.callee:  # type: ignore[arg-type]
        raise NodeMismatchError(f"call does not match {edit!r}")
    assert isinstance(node, cst.Call)
    return part.start, part.end, _code(module, [spawn.apply_spawn(node, edit)])


def _import_line(
    module: cst.Module, tokens: list[str], starts: list[int], index: int
) -> tuple[int, int, str]:
    line = _code(
        module,
        [
            cst.SimpleStatementLine(
                body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("errkit"))])]
            )
        ],
    )
    if index < len(starts):
        return starts[index], starts[index], line
    if tokens and not tokens[-1].endswith(("\n", "\r")):
        # The file ends without a line break: put one before the import instead.
        line = module.default_newline + line.rstrip("\r\n")
    return len(tokens), len(tokens), line


def _raises(node: cst.Raise, builtin: str) -> bool:
    exc = node.exc
    target = exc.func if isinstance(exc, cst.Call) else exc
    return isinstance(target, cst.Name) and target.value == builtin


def _callee(call: cst.Call) -> str:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""
