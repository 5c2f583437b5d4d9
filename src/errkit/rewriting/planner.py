"""Find what to rewrite in one file, with the standard-library `ast`.

The planner decides every edit before libcst is involved: `ast` parses about ten
times faster than libcst, so files with nothing to rewrite never reach libcst, and
the parent process can give codes to the planned edits in a fixed order before any
worker rewrites a file. It follows the site rules of DESIGN.md ("Site kinds");
when the scanner's sites are given, only places the scanner reports as unmigrated
are rewritten.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from errkit.analysis.sites import Site, SiteKind, SiteState
from errkit.rewriting import error_class, raise_generic, raise_unchained, spawn
from errkit.rewriting.imports import ImportPlace, Layout, import_place
from errkit.rewriting.targets import (
    ChainEdit,
    ClassEdit,
    Declined,
    Edit,
    FilePlan,
    HandlerNameEdit,
    RaiseEdit,
    SpawnEdit,
)

_EXEMPT = re.compile(r"#\s*errkit:\s*ignore\[([^\]]*)\]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)


def decode_source(data: bytes) -> str:
    """The text of a source file, decoded the way the interpreter decodes it."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def plan_source(
    data: bytes,
    path: str,
    module: str,
    kinds: frozenset[SiteKind],
    sites: Iterable[Site] | None = None,
) -> FilePlan:
    """Every edit for one file. Raises what `ast.parse` raises on a bad file."""
    text = decode_source(data)
    tree = ast.parse(data, filename=path)
    allowed = None
    if sites is not None:
        allowed = {
            (site.kind, site.line)
            for site in sites
            if site.state is SiteState.UNMIGRATED
        }
    planner = _Planner(tree, _LINE_BREAK.split(text), path, module, kinds, allowed)
    planner.run()
    edits, counts, import_before, place = _locate(tree, planner)
    declined = list(planner.declined)
    if allowed is not None:
        # Sites the scanner reports that no edit or decline accounts for.
        covered = {(_edit_kind(e), e.line) for e in edits}
        covered |= {(d.kind, d.line) for d in declined}
        for kind, line in sorted(allowed - covered, key=lambda s: (s[1], s[0].value)):
            if kind in kinds:
                declined.append(
                    Declined(kind, line, 0, "not a form the migration rewrites")
                )

    return FilePlan(
        path=path,
        edits=edits,
        declined=tuple(declined),
        import_before=import_before,
        import_layout=place.layout.value
        if place is not None
        else Layout.LINE_AFTER.value,
        counts=counts,
        digest=hashlib.sha256(data).hexdigest(),
        declared=tuple(planner.declared),
    )


# --- where libcst will find each edit ------------------------------------------------

#: Node type names shared with the transformer, and the ast type each counts.
NODE_TYPES: dict[str, type[ast.AST]] = {
    "raise": ast.Raise,
    "handler": ast.ExceptHandler,
    "class": ast.ClassDef,
    "call": ast.Call,
}


def _edit_kind(edit: Edit) -> SiteKind:
    if isinstance(edit, RaiseEdit):
        return SiteKind.RAISE_GENERIC
    if isinstance(edit, (ChainEdit, HandlerNameEdit)):
        return SiteKind.RAISE_UNCHAINED
    if isinstance(edit, ClassEdit):
        return SiteKind.ERROR_CLASS if edit.request else SiteKind.SPAWN_THREAD
    return edit.kind


def node_type(edit: Edit) -> str:
    """Which node type an edit applies to."""
    if isinstance(edit, (RaiseEdit, ChainEdit)):
        return "raise"
    if isinstance(edit, HandlerNameEdit):
        return "handler"
    if isinstance(edit, ClassEdit):
        return "class"
    return "call"


def statement_groups(body: list[ast.stmt]) -> list[int]:
    """For each top-level ast statement, the index of libcst's statement holding it.

    libcst keeps `a = 1; b = 2` as one statement line where `ast` sees two.
    """
    groups: list[int] = []
    previous: ast.stmt | None = None
    for statement in body:
        joined = (
            previous is not None
            and not isinstance(statement, _COMPOUND)
            and not isinstance(previous, _COMPOUND)
            and statement.lineno == previous.end_lineno
        )
        groups.append(groups[-1] if joined else (groups[-1] + 1 if groups else 0))
        previous = statement
    return groups


def _key(node: ast.AST) -> tuple[int, int, int, int]:
    # Source order as a pre-order walk meets the nodes: by start, and of two nodes
    # starting together (`f(x)(y)`), the enclosing one (the later end) first.
    return (
        node.lineno,  # type: ignore[attr-defined]
        node.col_offset,  # type: ignore[attr-defined]
        -(node.end_lineno or 0),  # type: ignore[attr-defined]
        -(node.end_col_offset or 0),  # type: ignore[attr-defined]
    )


def _locate(
    tree: ast.Module, planner: _Planner
) -> tuple[
    tuple[Edit, ...],
    tuple[tuple[int, str, int], ...],
    int | None,
    ImportPlace | None,
]:
    groups = statement_groups(tree.body)
    members: dict[int, list[ast.stmt]] = {}
    for statement, group in zip(tree.body, groups):
        members.setdefault(group, []).append(statement)
    orders: dict[tuple[int, str], dict[tuple[int, int, int, int], int]] = {}
    located: list[Edit] = []
    for edit, node, top in planner.located:
        group, kind = groups[top], node_type(edit)
        order = orders.get((group, kind))
        if order is None:
            keys = sorted(
                _key(n)
                for statement in members[group]
                for n in ast.walk(statement)
                if isinstance(n, NODE_TYPES[kind])
            )
            order = orders[(group, kind)] = {k: i for i, k in enumerate(keys)}
        located.append(replace(edit, group=group, ordinal=order[_key(node)]))
    counts = tuple(
        (group, kind, len(order)) for (group, kind), order in sorted(orders.items())
    )
    import_before = None
    place = planner.import_place()
    if place is not None:
        body = tree.body
        import_before = (
            groups[place.index]
            if place.index < len(body)
            else ((groups[-1] + 1) if groups else 0)
        )
        first = planner.first_import_time_index
        if first is not None and import_before > groups[first]:
            # Only possible when that statement shares a line with the header
            # (`from __future__ import x; raise ...`): importing before it breaks
            # the header, which the final `ast` check turns into a skipped file.
            import_before = groups[first]
            place = ImportPlace(first, Layout.LINE_AFTER)
    return tuple(located), counts, import_before, place


@dataclass
class _Handler:
    node: ast.ExceptHandler
    function: ast.AST | None
    rebound: set[str]
    name: str | None = None
    named: bool = False


@dataclass
class _Scope:
    names: list[str] = field(default_factory=list)
    functions: list[ast.AST] = field(default_factory=list)
    handlers: list[_Handler] = field(default_factory=list)


class _Planner:
    """One walk over a module, collecting edits and declined sites."""

    def __init__(
        self,
        tree: ast.Module,
        lines: list[str],
        path: str,
        module: str,
        kinds: frozenset[SiteKind],
        allowed: set[tuple[SiteKind, int]] | None,
    ) -> None:
        self.tree = tree
        self.lines = lines
        self.path = path
        self.stem = path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")
        self.module = module
        self.kinds = kinds
        self.allowed = allowed
        self.edits: list[Edit] = []
        #: Each edit with its ast node and the index of its top-level statement.
        self.located: list[tuple[Edit, ast.AST, int]] = []
        self.top_index = 0
        self.first_import_time_index: int | None = None
        self.declined: list[Declined] = []
        self.scope = _Scope()
        self.top_line = 0
        self.first_import_time_edit: int | None = None
        self._file_names: set[str] | None = None
        self._function_names: dict[int, set[str]] = {}
        self.taken_names: set[str] = set()
        self.watched: set[int] = set()
        self.declared: list[tuple[str, int]] = []
        self._read_bindings()

    # --- file-wide facts ---------------------------------------------------------

    def _read_bindings(self) -> None:
        self.imports: dict[str, str] = {}
        self.executors: set[str] = set()
        bound: set[str] = set()
        errkit_other = False
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.imports[local] = alias.name if alias.asname else local
                    bound.add(local)
                    errkit_other |= local == "errkit" and alias.name != "errkit"
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    local = alias.asname or alias.name
                    self.imports[local] = f"{node.module}.{alias.name}"
                    bound.add(local)
                    errkit_other |= local == "errkit"
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    bound.add(alias.asname or alias.name)
                    errkit_other |= (alias.asname or alias.name) == "errkit"
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
                errkit_other |= node.id == "errkit"
            elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            self._note_executor(node)
        self.shadowed = frozenset(bound)
        self.errkit_unusable = errkit_other
        self.has_errkit_import = any(
            isinstance(n, ast.Import)
            and any(a.name == "errkit" and a.asname is None for a in n.names)
            for n in self.tree.body
        )

    def _note_executor(self, node: ast.AST) -> None:
        pairs: list[tuple[ast.expr, ast.expr | None]] = []
        if isinstance(node, ast.Assign):
            pairs = [(node.value, target) for target in node.targets]
        elif isinstance(node, ast.withitem):
            pairs = [(node.context_expr, node.optional_vars)]
        for value, target in pairs:
            if target is None or not isinstance(value, ast.Call):
                continue
            called = spawn.dotted(value.func) or ""
            if called.endswith("Executor"):
                name = spawn.dotted(target)
                if name:
                    self.executors.add(name)

    def names_used(self, function: ast.AST | None) -> set[str]:
        """Identifiers of `function` (or the whole file at module level), cached."""
        if function is None:
            if self._file_names is None:
                self._file_names = raise_unchained.names_in(self.tree)
            return self._file_names
        names = self._function_names.get(id(function))
        if names is None:
            names = self._function_names[id(function)] = raise_unchained.names_in(
                function
            )
        return names

    # --- helpers -------------------------------------------------------------------

    def col(self, node: ast.AST) -> int:
        """`node`'s column in characters (ast reports UTF-8 bytes)."""
        line = self.lines[node.lineno - 1]  # type: ignore[attr-defined]
        offset: int = node.col_offset  # type: ignore[attr-defined]
        return len(line.encode("utf-8")[:offset].decode("utf-8", "replace"))

    def end_col(self, node: ast.AST) -> int:
        line = self.lines[node.end_lineno - 1]  # type: ignore[attr-defined]
        offset: int = node.end_col_offset  # type: ignore[attr-defined]
        return len(line.encode("utf-8")[:offset].decode("utf-8", "replace"))

    def wanted(self, kind: SiteKind, line: int) -> bool:
        """Whether a site of `kind` on `line` is selected and not exempt."""
        if kind not in self.kinds:
            return False
        if self.allowed is not None and (kind, line) not in self.allowed:
            return False
        match = _EXEMPT.search(self.lines[line - 1])
        return not (
            match and kind.value in {k.strip() for k in match.group(1).split(",")}
        )

    def decline(self, kind: SiteKind, node: ast.AST, reason: str) -> None:
        line: int = node.lineno  # type: ignore[attr-defined]
        self.declined.append(Declined(kind, line, self.col(node), reason))

    def add(self, edit: Edit, node: ast.AST, needs_errkit: bool = True) -> bool:
        """Record `edit` on `node`; False when errkit cannot be named in this file."""
        if needs_errkit and self.errkit_unusable:
            return False
        self.edits.append(edit)
        self.located.append((edit, node, self.top_index))
        if (
            needs_errkit
            and not self.scope.functions
            and self.first_import_time_edit is None
        ):
            self.first_import_time_edit = self.top_line
            self.first_import_time_index = self.top_index
        return True

    def context(self) -> str:
        return f"{self.module}:{'.'.join(self.scope.names) or self.stem}"

    def import_after_line(self) -> int | None:
        """Where `import errkit` goes, or None when the file needs none."""
        needs = any(not isinstance(e, (ChainEdit, HandlerNameEdit)) for e in self.edits)
        if not needs or self.has_errkit_import:
            return None
        after, last_import = 0, None
        for index, node in enumerate(self.tree.body):
            end: int = node.end_lineno or node.lineno
            if (
                index == 0
                and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                or isinstance(node, ast.ImportFrom)
                and node.module == "__future__"
            ):
                after = end
            elif isinstance(node, (ast.Import, ast.ImportFrom)) or _only_imports(node):
                last_import = end
            elif not _dunder_assignment(node):
                break
        line = last_import if last_import is not None else after
        if self.first_import_time_edit is not None:
            # An edit that runs at import time must come after the import.
            line = max(after, min(line, self.first_import_time_edit - 1))
        return line

    def import_place(self) -> ImportPlace | None:
        """Where `import errkit` goes (isort's place), or None when none is needed."""
        line = self.import_after_line()
        if line is None:
            return None
        body = self.tree.body
        header_end, future = 0, False
        for index, node in enumerate(body):
            if index == 0 and _docstring(node):
                header_end = 1
            elif isinstance(node, ast.ImportFrom) and node.module == "__future__":
                header_end, future = index + 1, True
            else:
                break
        place = import_place(body, self.path, header_end)
        first = self.first_import_time_index
        if place is not None and (first is None or place.index <= first):
            return place
        index = next((i for i, s in enumerate(body) if s.lineno > line), len(body))
        if future and index == header_end:
            # A section of its own after `from __future__ import ...`.
            return ImportPlace(index, Layout.SECTION_AFTER)
        return ImportPlace(index, Layout.LINE_AFTER)

    # --- the walk ------------------------------------------------------------------

    def run(self) -> None:
        for index, node in enumerate(self.tree.body):
            self.top_line = node.lineno
            self.top_index = index
            self.visit(node)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, _FUNCTIONS):
            self.visit_all([*node.decorator_list, node.args, node.returns])
            self.enter(node.name, node, node.body)
        elif isinstance(node, ast.Lambda):
            self.visit(node.args)
            self.enter(None, node, [node.body])
        elif isinstance(node, ast.ClassDef):
            self.note_declared(node.keywords)
            self.visit_class(node)
            self.visit_all([*node.decorator_list, *node.bases, *node.keywords])
            self.enter(node.name, None, node.body)
        elif isinstance(node, (ast.Try, ast.TryStar)):
            self.visit_all([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                self.visit_handler(handler)
        elif isinstance(node, ast.Raise):
            self.visit_raise(node)
            self.visit_all(ast.iter_child_nodes(node))
        elif isinstance(node, ast.Call):
            self.note_declared(node.keywords)
            self.visit_call(node)
            self.visit_all(ast.iter_child_nodes(node))
        else:
            self.visit_all(ast.iter_child_nodes(node))

    def visit_all(self, nodes: Iterable[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    def enter(
        self, name: str | None, function: ast.AST | None, body: Sequence[ast.AST]
    ) -> None:
        """Walk a nested scope: handlers outside it do not own raises inside it."""
        saved = self.scope
        self.scope = _Scope(
            names=[*saved.names, name] if name else list(saved.names),
            functions=[*saved.functions, function] if function else saved.functions,
        )
        if function is None and name is not None:
            self.scope.functions = saved.functions
        self.visit_all(body)
        self.scope = saved

    def visit_handler(self, handler: ast.ExceptHandler) -> None:
        self.visit_all([handler.type])
        function = self.scope.functions[-1] if self.scope.functions else None
        entry = _Handler(
            node=handler,
            function=function,
            rebound=raise_unchained.bound_in_body(handler.body),
            name=handler.name,
        )
        self.scope.handlers.append(entry)
        self.visit_all(handler.body)
        self.scope.handlers.pop()

    def note_declared(self, keywords: list[ast.keyword]) -> None:
        """Remember a literal `module=..., code=N` pair: that code is taken."""
        values = {k.arg: k.value for k in keywords if k.arg in ("module", "code")}
        module, code = values.get("module"), values.get("code")
        if (
            isinstance(module, ast.Constant)
            and isinstance(module.value, str)
            and isinstance(code, ast.Constant)
            and type(code.value) is int
        ):
            self.declared.append((module.value, code.value))

    # --- site kinds ----------------------------------------------------------------

    def visit_raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        line, col = node.lineno, self.col(node)
        builtin = raise_generic.raised_builtin(exc, self.shadowed)
        if (
            builtin
            and isinstance(exc, ast.Call)
            and exc.keywords
            and self.wanted(SiteKind.RAISE_GENERIC, line)
        ):
            self.decline(
                SiteKind.RAISE_GENERIC,
                node,
                f"{builtin}() is called with keywords, which the coded type does not"
                " take",
            )
        elif builtin and self.wanted(SiteKind.RAISE_GENERIC, line):
            edit = raise_generic.plan_raise(exc, builtin, line, col)
            if not self.add(edit, node):
                self.decline(SiteKind.RAISE_GENERIC, node, _ERRKIT_TAKEN)
        handler = self.scope.handlers[-1] if self.scope.handlers else None
        if (
            handler is None
            or node.cause is not None
            or not raise_unchained.is_new_exception(
                exc, {h.node.name for h in self.scope.handlers if h.node.name}
            )
            or not self.wanted(SiteKind.RAISE_UNCHAINED, line)
        ):
            return
        if handler.name is not None and handler.name in handler.rebound:
            self.decline(
                SiteKind.RAISE_UNCHAINED,
                node,
                f"the handler rebinds {handler.name!r} before the raise",
            )
            return
        if handler.name is None:
            used = self.names_used(handler.function)
            handler.name = raise_unchained.fresh_name(used | self.taken_names)
            self.taken_names.add(handler.name)
        if not handler.named and handler.node.name is None:
            handler.named = True
            hnode = handler.node
            self.add(
                HandlerNameEdit(hnode.lineno, self.col(hnode), handler.name),
                hnode,
                needs_errkit=False,
            )
        self.add(ChainEdit(line, col, handler.name), node, needs_errkit=False)

    def visit_class(self, node: ast.ClassDef) -> None:
        resolved = [spawn.resolve(base, self.imports) or "" for base in node.bases]
        if any(name.startswith("errkit.") for name in resolved):
            return
        if any(name in spawn.THREAD_CLASSES for name in resolved):
            self.thread_class(node, resolved)
            return
        builtins = [
            base.id
            for base in node.bases
            if isinstance(base, ast.Name)
            and base.id not in self.shadowed
            and error_class.builtin_exception(base.id) is not None
        ]
        if not builtins or not self.wanted(SiteKind.ERROR_CLASS, node.lineno):
            return
        reason = self.class_reason(node, builtins)
        if reason is not None:
            self.decline(SiteKind.ERROR_CLASS, node, reason)
            return
        qualname = ".".join([*self.scope.names, node.name])
        edit = error_class.plan_class(node, builtins, qualname, self.col(node))
        if not self.add(edit, node):
            self.decline(SiteKind.ERROR_CLASS, node, _ERRKIT_TAKEN)

    def class_reason(self, node: ast.ClassDef, builtins: list[str]) -> str | None:
        if self.scope.functions:
            return "declared inside a function: its code would register on every call"
        have = error_class.ancestry(builtins)
        if "Exception" not in have:
            return "not an Exception: errkit's coded errors are Exceptions"
        special = sorted(have & error_class.CONSTRUCTOR_BUILTINS)
        if special:
            return f"based on {special[0]}, whose constructor errkit does not reproduce"
        owned = error_class.owned_attributes_set(node)
        if owned:
            return f"the class sets {sorted(owned)!r}, which errkit.CodedError owns"
        first = next(
            i
            for i, base in enumerate(node.bases)
            if isinstance(base, ast.Name) and base.id in builtins
        )
        if any(
            not (isinstance(base, ast.Name) and base.id in builtins)
            for base in node.bases[first + 1 :]
        ):
            # If that later base is already an errkit type, no base order is valid.
            return "a base after the builtin one may be an errkit type (MRO)"
        if any(k.arg in {"module", "code", "category"} for k in node.keywords):
            return "the class already takes a module/code/category keyword"
        return None

    def thread_class(self, node: ast.ClassDef, resolved: list[str]) -> None:
        if not self.wanted(SiteKind.SPAWN_THREAD, node.lineno):
            return
        if self.scope.functions:
            self.decline(SiteKind.SPAWN_THREAD, node, "declared inside a function")
            return
        qualname = ".".join([*self.scope.names, node.name])
        edit = ClassEdit(
            line=node.lineno,
            col=self.col(node),
            base="RecoveredThread",
            insert_at=next(
                i for i, name in enumerate(resolved) if name in spawn.THREAD_CLASSES
            ),
            request=None,
            name=node.name,
            context=f"{self.module}:{qualname}.run",
        )
        if not self.add(edit, node):
            self.decline(SiteKind.SPAWN_THREAD, node, _ERRKIT_TAKEN)

    def visit_call(self, node: ast.Call) -> None:
        called = spawn.resolve(node.func, self.imports)
        if called == "errkit.watch" and node.args:
            self.watched.add(id(node.args[0]))
            return
        if id(node) in self.watched or (called or "").startswith("errkit."):
            return
        span = (node.lineno, self.col(node), node.end_lineno or 0, self.end_col(node))
        result = spawn.plan_spawn_call(
            node, self.imports, self.executors, self.context(), span
        )
        if result is None:
            return
        kind = result.kind if isinstance(result, SpawnEdit) else SiteKind.SPAWN_THREAD
        if not self.wanted(kind, node.lineno):
            return
        if isinstance(result, str):
            self.decline(kind, node, result)
        elif _already_recovered(node, result, self.imports):
            return
        elif not self.add(result, node):
            self.decline(kind, node, _ERRKIT_TAKEN)


_ERRKIT_TAKEN = "the name 'errkit' is bound to something else in this file"


def _already_recovered(
    call: ast.Call, edit: SpawnEdit, imports: dict[str, str]
) -> bool:
    """Whether a thread call's target is already `errkit.recovered(...)`."""
    if edit.keyword is not None:
        values = [k.value for k in call.keywords if k.arg == edit.keyword]
    elif edit.position is not None and edit.position < len(call.args):
        values = [call.args[edit.position]]
    else:
        return False
    return any(
        isinstance(v, ast.Call) and spawn.resolve(v.func, imports) == "errkit.recovered"
        for v in values
    )


def _docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _only_imports(node: ast.stmt) -> bool:
    """An `if`/`try` block of imports, as in `if TYPE_CHECKING:`."""
    if not isinstance(node, (ast.If, ast.Try)):
        return False
    inner = [*node.body, *node.orelse]
    if isinstance(node, ast.Try):
        inner += [s for h in node.handlers for s in h.body] + node.finalbody
    return all(isinstance(s, (ast.Import, ast.ImportFrom, ast.Pass)) for s in inner)


def _dunder_assignment(node: ast.stmt) -> bool:
    """`__all__ = ...` and friends, which may sit among the imports."""
    targets = node.targets if isinstance(node, ast.Assign) else []
    return bool(targets) and all(
        isinstance(t, ast.Name) and t.id.startswith("__") for t in targets
    )
