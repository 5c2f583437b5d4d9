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

from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState

from errkit.rewriting import error_class, raise_generic, raise_unchained, spawn
from errkit.rewriting.imports import Layout
from errkit.rewriting.layout import (
    LINE_LENGTH,
    longest_line,
    spread_args,
    spread_call,
)
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

    __slots__ = ("edits", "end", "indent", "node", "start", "watch")

    def __init__(self, node: cst.CSTNode, edits: list[Edit]) -> None:
        self.node = node
        self.edits = edits
        self.watch: tuple[int, ...] = ()  # ids of the child nodes whose tokens change
        self.start = -1
        self.end = -1
        #: The block indentation where the node is printed: a part spread over
        #: lines prints its continuation lines relative to it.
        self.indent: tuple[str, ...] = ()


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
        #: The statement whose opening blank lines are counted, how many there
        #: are, and the token index after the last of them.
        self.blanks_group = -1
        self.blanks_left = 0
        self.blanks_end = -1

    def watch_blanks(self, group: int, statement: cst.CSTNode) -> None:
        """Note where the blank lines opening `statement` end when it is printed."""
        count = 0
        for line in getattr(statement, "leading_lines", ()):
            if line.comment is not None:
                break
            count += 1
        self.blanks_group = group
        self.blanks_left = count

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
        if (
            self.group == self.blanks_group
            and self.blanks_left
            and isinstance(node, cst.EmptyLine)
        ):
            self.blanks_left -= 1
            if not self.blanks_left:
                self.blanks_end = len(self.tokens)
        part = self.watching.get(id(node))
        if part is not None:
            part.end = len(self.tokens)

    def _target(self, node: cst.CSTNode, edits: list[Edit]) -> None:
        part = _Part(node, edits)
        part.indent = tuple(self.indent_tokens)
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


def rewrite_module(
    module: cst.Module,
    data: bytes,
    plan: FilePlan,
    name: str,
    line_length: int = LINE_LENGTH,
) -> bytes:
    """`data` (which `module` was parsed from) with `plan` applied, as bytes.

    Raises `RoundTripError` before any edit if libcst does not print `data` back
    unchanged, `NodeMismatchError` if an edit finds no matching node, and
    UnicodeEncodeError if the result cannot be saved in the file's encoding.
    """
    printer = _Printer(module, plan)
    if (
        plan.import_before is not None
        and plan.import_layout
        in (Layout.SECTION_BEFORE.value, Layout.LINE_BEFORE.value)
        and plan.import_before < len(module.body)
    ):
        printer.watch_blanks(plan.import_before, module.body[plan.import_before])
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

    replacements = [
        _replacement(module, part, name, tokens, line_length) for part in printer.parts
    ]
    if plan.import_before is not None:
        replacements.append(
            _import_line(module, tokens, starts, plan, printer.blanks_end)
        )
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


def _code(
    module: cst.Module, nodes: Sequence[cst.CSTNode], indent: Sequence[str] = ()
) -> str:
    state = CodegenState(
        default_indent=module.default_indent, default_newline=module.default_newline
    )
    state.indent_tokens = list(indent)
    for node in nodes:
        node._codegen(state)
    return "".join(state.tokens)


def _replacement(
    module: cst.Module, part: _Part, name: str, tokens: list[str], line_length: int
) -> tuple[int, int, str]:
    """(first token, end token, new text) for one edited node."""
    if part.start < 0 or part.end < part.start:
        raise NodeMismatchError(f"no tokens recorded for {type(part.node).__name__}")
    node = part.node
    step = module.default_indent
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
        text = _fitted(
            tokens,
            part,
            _raise_text(module, node, updated, part),
            lambda lines: _raise_text(module, node, updated, part, split=lines),
            line_length,
        )
        return part.start, part.end, text
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

        def spread_bases(one_per_line: bool) -> str:
            # The brackets are outside the replaced tokens: the line break after
            # `(` is written here.
            opening = module.default_newline + "".join(part.indent) + step
            spread = spread_args(args, step, one_per_line)
            return opening + _code(module, spread, part.indent)

        text = _fitted(
            tokens, part, _code(module, args, part.indent), spread_bases, line_length
        )
        return part.start, part.end, text
    if not isinstance(edit, SpawnEdit) or _callee(node) != edit.callee:  # type: ignore[arg-type]
        raise NodeMismatchError(f"call does not match {edit!r}")
    assert isinstance(node, cst.Call)
    wrapped = spawn.apply_spawn(node, edit)
    text = _fitted(
        tokens,
        part,
        _code(module, [wrapped], part.indent),
        lambda lines: _code(module, [spread_call(wrapped, step, lines)], part.indent),
        line_length,
    )
    return part.start, part.end, text


def _fitted(
    tokens: list[str],
    part: _Part,
    text: str,
    spread: Callable[[bool], str],
    line_length: int,
) -> str:
    """`text`, or the part spread over lines if it makes its line too long.

    `spread(False)` puts the arguments on one line of their own, `spread(True)`
    goes further; the first that fits is used. A part already spread over lines
    keeps its layout unless the rewrite made one of its lines too long.
    """
    before, after = _line_around(tokens, part.start, part.end)
    # A trailing comment may run long (migration case BR-16 keeps it in place).
    after = after.split("#", 1)[0].rstrip()
    longest = longest_line(before + text + after)
    if longest <= line_length:
        return text
    if "\n" in text or "\r" in text:
        # Already over lines: re-laid out only if the rewrite made a line too
        # long and one argument per line makes it shorter.
        old = "".join(tokens[part.start : part.end])
        if longest_line(before + old + after) > line_length:
            return text
        spread_text = spread(True)
        shorter = longest_line(before + spread_text + after) < longest
        return spread_text if shorter else text
    spread_text = spread(False)
    if longest_line(before + spread_text + after) <= line_length:
        return spread_text
    return spread(True)


def _raise_text(
    module: cst.Module,
    original: cst.Raise,
    updated: cst.Raise,
    part: _Part,
    split: bool | None = None,
) -> str:
    """The printed replacement of a raise's expression (and any new cause).

    `split` None keeps the call's layout; False spreads it over three lines with
    the arguments on one; True also puts the new keywords on a line of their own.
    """
    assert updated.exc is not None
    exc = updated.exc
    if split is not None and isinstance(exc, cst.Call):
        if not any(isinstance(edit, RaiseEdit) for edit in part.edits):
            # Only `from err` was added: spread the call as it is.
            exc = spread_call(exc, module.default_indent, split)
        for edit in part.edits:
            if isinstance(edit, RaiseEdit):
                original_exc = original.exc
                assert original_exc is not None
                exc = raise_generic.apply_raise(
                    original_exc,
                    edit,
                    _module_name(exc),
                    split=module.default_indent,
                    lines=split,
                )
    parts: list[cst.CSTNode] = [exc]
    if updated.cause is not None and original.cause is None:
        parts.append(updated.cause)
    return _code(module, parts, part.indent)


def _module_name(call: cst.Call) -> str:
    """The `module=` string the rewrite gave `call`."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "module":
            assert isinstance(arg.value, cst.SimpleString)
            value = arg.value.evaluated_value
            assert isinstance(value, str)
            return value
    raise NodeMismatchError("the rewritten raise has no module= keyword")


def _line_around(tokens: list[str], start: int, end: int) -> tuple[str, str]:
    """The text on the same line before token `start` and after token `end`."""
    before: list[str] = []
    for token in reversed(tokens[:start]):
        cut = max(token.rfind("\n"), token.rfind("\r"))
        if cut >= 0:
            before.append(token[cut + 1 :])
            break
        before.append(token)
    after: list[str] = []
    for token in tokens[end:]:
        cuts = [i for i in (token.find("\n"), token.find("\r")) if i >= 0]
        if cuts:
            after.append(token[: min(cuts)])
            break
        after.append(token)
    return "".join(reversed(before)), "".join(after)


def _import_line(
    module: cst.Module,
    tokens: list[str],
    starts: list[int],
    plan: FilePlan,
    blanks_end: int,
) -> tuple[int, int, str]:
    """(position, position, text) inserting `import errkit` where the plan says."""
    index = plan.import_before
    assert index is not None
    line = _code(
        module,
        [
            cst.SimpleStatementLine(
                body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("errkit"))])]
            )
        ],
    )
    newline = module.default_newline
    if index < len(starts):
        if plan.import_layout == Layout.SECTION_AFTER.value:
            return starts[index], starts[index], newline + line
        at = blanks_end if blanks_end >= 0 else starts[index]
        if plan.import_layout == Layout.SECTION_BEFORE.value:
            # After the blank lines that open the next section, so the sections
            # stay one blank line apart.
            return at, at, line + newline
        if plan.import_layout == Layout.LINE_BEFORE.value:
            return at, at, line
        return starts[index], starts[index], line
    if tokens and not tokens[-1].endswith(("\n", "\r")):
        # The file ends without a line break: put one before the import instead.
        line = newline + line.rstrip("\r\n")
    if plan.import_layout == Layout.SECTION_AFTER.value:
        line = newline + line
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
