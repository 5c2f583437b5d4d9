"""Apply a file's planned edits with libcst, touching only the edited nodes.

Edits are matched to nodes by position (`PositionProvider`, the one metadata
provider used: scope analysis would cost about ten parses). Each edit replaces only
the expression or header it changes through `with_changes`, so the comments and
blank lines libcst keeps on the surrounding statements stay where they were
(migration case BR-16).
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from errkit.rewriting import error_class, raise_generic, raise_unchained, spawn
from errkit.rewriting.targets import (
    ChainEdit,
    ClassEdit,
    Edit,
    FilePlan,
    HandlerNameEdit,
    RaiseEdit,
    SpawnEdit,
)


def rewrite_module(module: cst.Module, plan: FilePlan, name: str) -> cst.Module:
    """`module` with every edit of `plan` applied; `name` is the errkit module."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    transformer = _Apply(plan, name, positions)
    result = module.visit(transformer)
    if transformer.missed:
        missed = ", ".join(f"{e.line}:{e.col}" for e in transformer.missed)
        msg = f"planned edits found no matching node at {missed}"
        raise LookupError(msg)
    if plan.import_after_line is not None:
        result = _add_import(result, plan.import_after_line, positions, module)
    return result


class _Apply(cst.CSTTransformer):
    def __init__(
        self,
        plan: FilePlan,
        module: str,
        positions: dict[cst.CSTNode, CodeRange],
    ) -> None:
        super().__init__()
        self.module = module
        self.positions = positions
        self.by_start: dict[tuple[int, int], list[Edit]] = {}
        for edit in plan.edits:
            self.by_start.setdefault((edit.line, edit.col), []).append(edit)
        self.done: set[int] = set()
        self.missed: list[Edit] = []
        self.total = plan.edits

    def edits_for(self, node: cst.CSTNode) -> list[Edit]:
        where = self.positions.get(node)
        if where is None:
            return []
        return self.by_start.get((where.start.line, where.start.column), [])

    def take(self, edit: Edit) -> None:
        self.done.add(id(edit))

    def leave_Raise(self, original: cst.Raise, updated: cst.Raise) -> cst.Raise:
        for edit in self.edits_for(original):
            if isinstance(edit, RaiseEdit) and updated.exc is not None:
                exc = raise_generic.apply_raise(updated.exc, edit, self.module)
                updated = updated.with_changes(exc=exc)
                self.take(edit)
            elif isinstance(edit, ChainEdit):
                updated = raise_unchained.apply_chain(updated, edit.cause)
                self.take(edit)
        return updated

    def leave_ExceptHandler(
        self, original: cst.ExceptHandler, updated: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        for edit in self.edits_for(original):
            if isinstance(edit, HandlerNameEdit):
                self.take(edit)
                result = raise_unchained.apply_handler_name(updated, edit.name)
                assert isinstance(result, cst.ExceptHandler)
                return result
        return updated

    def leave_ExceptStarHandler(
        self, original: cst.ExceptStarHandler, updated: cst.ExceptStarHandler
    ) -> cst.ExceptStarHandler:
        for edit in self.edits_for(original):
            if isinstance(edit, HandlerNameEdit):
                self.take(edit)
                result = raise_unchained.apply_handler_name(updated, edit.name)
                assert isinstance(result, cst.ExceptStarHandler)
                return result
        return updated

    def leave_ClassDef(
        self, original: cst.ClassDef, updated: cst.ClassDef
    ) -> cst.ClassDef:
        for edit in self.edits_for(original):
            if isinstance(edit, ClassEdit):
                self.take(edit)
                return error_class.apply_class(updated, edit, self.module)
        return updated

    def leave_Call(
        self, original: cst.Call, updated: cst.Call
    ) -> cst.BaseExpression:
        where = self.positions.get(original)
        for edit in self.edits_for(original):
            if (
                isinstance(edit, SpawnEdit)
                and where is not None
                and (where.end.line, where.end.column) == (edit.end_line, edit.end_col)
            ):
                self.take(edit)
                return spawn.apply_spawn(updated, edit)
        return updated

    def leave_Module(
        self, original: cst.Module, updated: cst.Module
    ) -> cst.Module:
        self.missed = [e for e in self.total if id(e) not in self.done]
        return updated


def _add_import(
    result: cst.Module,
    after_line: int,
    positions: dict[cst.CSTNode, CodeRange],
    original: cst.Module,
) -> cst.Module:
    """`result` with `import errkit` before the first statement after `after_line`.

    Top-level statements keep their identity through the transform only when
    untouched, so the index is found on the original module, whose statements line
    up one to one with the result's.
    """
    index = len(original.body)
    for number, statement in enumerate(original.body):
        if positions[statement].start.line > after_line:
            index = number
            break
    line = cst.SimpleStatementLine(
        body=[cst.Import(names=[cst.ImportAlias(name=cst.Name("errkit"))])]
    )
    body = list(result.body)
    body.insert(index, line)
    return result.with_changes(body=body)
