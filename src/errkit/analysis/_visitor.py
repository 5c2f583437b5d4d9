"""The per-file engine of the scanner: from a parsed tree to sites and codes.

Speed matters here (the whole tree is parsed on every cold scan), so the file
is not visited node by node. One pass walks *statements* only, recording
imports, bindings, raises, classes and `except` handlers. Expressions are
walked only in statements whose lines hold a spawn-like name or a use of a
caught exception, found with one regular expression over the text. The exact
counting rules are DESIGN.md's "Site kinds"; each rule is implemented in its
own section below.
"""

from __future__ import annotations

import ast
import re
import sys
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from errkit.analysis._names import (
    BUILTIN_ERRORS,
    ERRKIT_CATEGORIES,
    EXECUTORS,
    GENERIC_RAISES,
    TASK_CALLS,
    TASK_GROUPS,
    THREAD_CALLS,
    THREAD_CLASSES,
    Resolver,
    dotted,
)
from errkit.analysis._source import ParsedSource
from errkit.analysis.sites import (
    ClassRecord,
    CodeDeclaration,
    Site,
    SiteKind,
    SiteState,
)

__all__ = ["FileVisitor"]

K = SiteKind
MIGRATED, UNMIGRATED, EXEMPT = (
    SiteState.MIGRATED,
    SiteState.UNMIGRATED,
    SiteState.EXEMPT,
)

_SPAWN_WORDS = (
    "Thread",
    "Timer",
    "start_new_thread",
    "start_new",
    "create_task",
    "ensure_future",
    "run_coroutine_threadsafe",
    "submit",
    "run_in_executor",
    "start_thread",
)
# No leading \b: a regex starting with an alternation of words is scanned much
# faster by `re` without it; a few extra candidate lines cost nothing.
_SPAWN_RE = re.compile(r"(?:{})\b".format("|".join(_SPAWN_WORDS)))
# Substring tests: "start_new" already covers "start_new_thread".
_SPAWN_HINTS = tuple(word for word in _SPAWN_WORDS if word != "start_new_thread")
_EXEMPT_RE = re.compile(
    r"#\s*errkit:\s*ignore\[([^\]]*)\](?:[ \t]*--[ \t]*([^\n]*?))?[ \t]*$", re.MULTILINE
)
_TASK_GROUP_NAME = re.compile(
    r"(?:^|_)(?:tg|task_?group|group|nursery)$", re.IGNORECASE
)
_EXECUTOR_NAME = re.compile(r"executor|pool", re.IGNORECASE)
_STR_METHODS = frozenset({"lower", "upper", "casefold", "strip", "lstrip", "rstrip"})
_RE_FUNCS = frozenset({"match", "search", "fullmatch", "findall", "finditer"})
_FIRE_AND_FORGET_CHAIN = frozenset({"start", "add_done_callback"})
_STDLIB = sys.stdlib_module_names
_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.While,
    ast.For,
    ast.AsyncFor,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)

_COMPOUND_SET = frozenset(_COMPOUND)
#: Statements with no name binding, raise or body: kept only for expressions.
_PLAIN = frozenset(
    {ast.Expr, ast.Return, ast.AugAssign, ast.Pass, ast.Break, ast.Continue,
     ast.Delete, ast.Assert, ast.Global, ast.Nonlocal}
)  # fmt: skip

#: A statement and its context: (stmt, scope, function, enclosing handlers).
_Stmt = tuple[ast.stmt, str, "ast.AST | None", tuple[ast.ExceptHandler, ...]]
#: A statement list and the same context, as the statement pass keeps it.
_Body = tuple[list[ast.stmt], str, "ast.AST | None", tuple[ast.ExceptHandler, ...]]


class FileVisitor:
    """Collects the sites, code declarations and cross-file classes of one file."""

    def __init__(
        self,
        source: ParsedSource,
        path: str,
        module_name: str,
        owner: str | None,
    ) -> None:
        self.src = source
        self.path = path
        self.owner = owner or ""
        self.ascii = source.text.isascii()
        self.names = Resolver(module_name, path.endswith("__init__.py"))
        self.exemptions = _exemptions(source.text)
        # receivers are typed only by TaskGroup/Executor bindings: skip the
        # bookkeeping in the many files that name neither
        self._typed = "TaskGroup" in source.text or "Executor" in source.text
        self.sites: list[Site] = []
        self.codes: list[CodeDeclaration] = []
        self.classes: list[ClassRecord] = []
        self.exports: list[tuple[str, str]] = []
        # collected by the statement pass, judged once all imports are known
        self._bodies: list[_Body] = []
        self._raises: list[tuple[ast.Raise, str, tuple[ast.ExceptHandler, ...]]] = []
        self._class_nodes: list[tuple[ast.ClassDef, str]] = []
        self._handlers: list[tuple[ast.ExceptHandler, str]] = []
        self._bindings: list[tuple[str, ast.expr]] = []  # receiver -> value/annotation
        self._task_groups: set[str] = set()
        self._module_aliases: set[str] = set()  # `error = socket.error` at top level
        self._aliases_cache: set[str] | None = None
        self._executors: set[str] = set()

    def run(self) -> None:
        """Visit the whole file; results are left on the instance."""
        self._walk(self.src.tree.body)
        self._judge_bindings()
        self._judge_classes()
        self._judge_raises()
        self._judge_handlers()
        self._judge_expressions()
        self.sites.sort(key=lambda s: (s.line, s.col, s.kind.value))

    # ------------------------------------------------------------------ statements

    def _walk(self, top: list[ast.stmt]) -> None:
        """The statement pass: every body of the file, with a stack, not recursion.

        One record is kept per body, not per statement: the expression pass
        needs each statement's context, and most files need it for few.
        """
        names = self.names
        bound = names.bound
        bodies = self._bodies
        stack: list[_Body] = [(top, "", None, ())]
        push = stack.append
        while stack:
            body, scope, func, handlers = item = stack.pop()
            bodies.append(item)
            # Dispatch is on the exact type, which mypy cannot narrow from.
            stmt: Any
            for stmt in body:
                kind = type(stmt)
                if kind in _PLAIN:  # the most common statements: nothing to record
                    continue
                if kind is ast.Raise:
                    self._raises.append((stmt, scope, handlers))
                elif kind is ast.Import or kind is ast.ImportFrom:
                    names.add_import(stmt)
                    if body is top:
                        self._note_exports(stmt)
                elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                    name = stmt.name
                    bound.add(name)
                    if self._typed:
                        self._bindings.extend(_annotated_args(stmt))
                    inner = f"{scope}.{name}" if scope else name
                    push((stmt.body, inner, stmt, ()))
                elif kind is ast.ClassDef:
                    name = stmt.name
                    bound.add(name)
                    if not scope:
                        names.local_classes[name] = f"{names.module}.{name}"
                    self._class_nodes.append((stmt, scope))
                    inner = f"{scope}.{name}" if scope else name
                    push((stmt.body, inner, None, ()))
                elif kind is ast.Try or kind is ast.TryStar:
                    push((stmt.body, scope, func, handlers))
                    for handler in stmt.handlers:
                        self._handlers.append((handler, scope))
                        if handler.name:
                            bound.add(handler.name)
                        push((handler.body, scope, func, (*handlers, handler)))
                    if stmt.orelse:
                        push((stmt.orelse, scope, func, handlers))
                    if stmt.finalbody:
                        push((stmt.finalbody, scope, func, handlers))
                elif kind in _COMPOUND_SET:
                    if kind is ast.With or kind is ast.AsyncWith:
                        for with_item in stmt.items:
                            target = with_item.optional_vars
                            key = target and dotted(target)
                            if key:
                                self._bindings.append((key, with_item.context_expr))
                                bound.add(key)
                    elif kind is ast.For or kind is ast.AsyncFor:
                        _bind_targets(stmt.target, bound)
                    if kind is ast.Match:
                        for case in stmt.cases:
                            push((case.body, scope, func, handlers))
                    else:
                        push((stmt.body, scope, func, handlers))
                        orelse = getattr(stmt, "orelse", None)
                        if orelse:
                            push((orelse, scope, func, handlers))
                elif kind is ast.Assign:
                    for target in stmt.targets:
                        if type(target) is ast.Name:
                            bound.add(target.id)
                            if body is top and type(stmt.value) is ast.Attribute:
                                self._module_aliases.add(target.id)
                        else:
                            _bind_targets(target, bound)
                    if (
                        self._typed
                        and len(stmt.targets) == 1
                        and type(stmt.value) is ast.Call
                    ):
                        key = dotted(stmt.targets[0])
                        if key:
                            self._bindings.append((key, stmt.value))
                elif kind is ast.AnnAssign:
                    _bind_targets(stmt.target, bound)
                    key = dotted(stmt.target)
                    if key:
                        self._bindings.append((key, stmt.annotation))
                        if stmt.value is not None:
                            self._bindings.append((key, stmt.value))
        # the stack visits siblings out of order; classes must come in source
        # order so a subclass sees its base's verdict
        self._class_nodes.sort(key=lambda pair: pair[0].lineno)

    def _note_exports(self, node: ast.Import | ast.ImportFrom) -> None:
        # Only class-like names: a base class re-exported by a package is what
        # the tree-wide pass follows, and the cache stays small.
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            target = self.names.aliases.get(local)
            if target and alias.name != "*" and local[:1].isupper():
                self.exports.append((local, target))

    def _judge_bindings(self) -> None:
        """Which receivers are task groups or executors (for `create_task`/`submit`)."""
        for key, value in self._bindings:
            expr = value.func if isinstance(value, ast.Call) else value
            qual = self.names.qualname(expr) if isinstance(expr, ast.expr) else None
            if qual in TASK_GROUPS:
                self._task_groups.add(key)
            elif qual in EXECUTORS:
                self._executors.add(key)

    # --------------------------------------------------------------------- classes

    def _judge_classes(self) -> None:
        """error-class sites, Thread subclasses, class code declarations."""
        names = self.names
        thread_state: dict[str, SiteState] = {}  # dotted local class -> state
        for node, scope in self._class_nodes:
            quals = [names.qualname(b) for b in node.bases]
            errkit_bases = [q[7:] for q in quals if q and q.startswith("errkit.")]
            builtin_bases = [
                q[9:]
                for q in quals
                if q and q.startswith("builtins.") and q[9:] in BUILTIN_ERRORS
            ]
            span = (node.lineno, node.lineno)
            if errkit_bases and errkit_bases != ["RecoveredThread"]:
                self._add(
                    K.ERROR_CLASS,
                    node,
                    MIGRATED,
                    f"class {node.name} is a coded error",
                    {"class": node.name, "bases": ",".join(errkit_bases)},
                    scope,
                    span,
                    header=True,
                )
            elif builtin_bases:
                self._add(
                    K.ERROR_CLASS,
                    node,
                    UNMIGRATED,
                    f"class {node.name} derives from builtin {builtin_bases[0]}",
                    {"class": node.name, "bases": ",".join(builtin_bases)},
                    scope,
                    span,
                    header=True,
                )
            self._class_code(node, errkit_bases)

            state = None
            for qual in quals:
                if qual in THREAD_CLASSES:
                    state = UNMIGRATED
                elif qual == "errkit.RecoveredThread":
                    state = MIGRATED
                elif qual in thread_state:
                    state = thread_state[qual]
                if state is not None:
                    break
            own = f"{names.module}.{scope + '.' if scope else ''}{node.name}"
            if state is not None:
                thread_state[own] = state
                if not scope:
                    thread_state[f"{names.module}.{node.name}"] = state
                self._add(
                    K.SPAWN_THREAD,
                    node,
                    state,
                    _thread_class_message(node.name, state),
                    {"class": node.name, "subclass": True},
                    scope,
                    span,
                    header=True,
                )
            elif any(q and _maybe_in_tree(q) for q in quals):
                self.classes.append(
                    ClassRecord(
                        name=f"{scope + '.' if scope else ''}{node.name}",
                        line=node.lineno,
                        col=self._col(node.lineno, node.col_offset),
                        end_line=node.lineno,
                        end_col=self._col(node.lineno, node.col_offset)
                        + 6
                        + len(node.name),
                        bases=tuple(q for q in quals if q),
                        scope=scope,
                        exemptions=tuple(
                            (k, r or "")
                            for k, r in self.exemptions.get(node.lineno, {}).items()
                        ),
                    )
                )

    def _class_code(self, node: ast.ClassDef, errkit_bases: list[str]) -> None:
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        code = _int_literal(keywords.get("code"))
        if code is None:
            return
        category = _str_literal(keywords.get("category"))
        if category is None:
            category = next(
                (ERRKIT_CATEGORIES[b] for b in errkit_bases if b in ERRKIT_CATEGORIES),
                None,
            )
        self.codes.append(
            CodeDeclaration(
                module=_str_literal(keywords.get("module")) or self.owner,
                code=code,
                path=self.path,
                line=node.lineno,
                class_name=node.name,
                category=category,
                docstring=ast.get_docstring(node),
                declared=True,
            )
        )

    # ---------------------------------------------------------------------- raises

    def _judge_raises(self) -> None:
        """raise-generic (builtin or errkit type) and raise-unchained."""
        names = self.names
        for node, scope, handlers in self._raises:
            exc = node.exc
            if exc is None:
                continue
            called = isinstance(exc, ast.Call)
            callee = exc.func if isinstance(exc, ast.Call) else exc
            span = (node.lineno, node.end_lineno or node.lineno)
            builtin = names.builtin(callee)
            if builtin in GENERIC_RAISES:
                self._add(
                    K.RAISE_GENERIC,
                    node,
                    UNMIGRATED,
                    f"raise of builtin {builtin}",
                    {"builtin": builtin, "called": called},
                    scope,
                    span,
                )
            else:
                coded = self._errkit_type(callee)
                if coded is not None:
                    self._add(
                        K.RAISE_GENERIC,
                        node,
                        MIGRATED,
                        f"raise of coded {coded}",
                        {"errkit_type": coded, "called": called},
                        scope,
                        span,
                    )
                    if isinstance(exc, ast.Call):
                        self._adhoc_code(exc, coded, node)
            if handlers:
                caught = {h.name for h in handlers if h.name}
                if _is_new_exception(exc, caught, self._class_aliases()):
                    # `raise X(...) from e` (or `from None`) is the migrated
                    # form: still a site, so totals do not shrink as it lands.
                    handler = handlers[-1]
                    detail = {
                        "handler_name": handler.name,
                        "handler_line": handler.lineno,
                    }
                    if node.cause is None:
                        state, text = UNMIGRATED, "raise inside except without 'from'"
                    else:
                        state, text = (
                            MIGRATED,
                            "raise inside except chained with 'from'",
                        )
                        detail["cause"] = ast.unparse(node.cause)
                    self._add(K.RAISE_UNCHAINED, node, state, text, detail, scope, span)

    def _class_aliases(self) -> set[str]:
        """Lower-case names that stand for classes: imports and module aliases."""
        if self._aliases_cache is None:
            self._aliases_cache = {*self.names.aliases, *self._module_aliases}
        return self._aliases_cache

    def _errkit_type(self, callee: ast.expr) -> str | None:
        """The errkit coded type raised (`ValidationError`, `coded`), or None."""
        if isinstance(callee, ast.Call):  # errkit.coded(KeyError)(...)
            name = self.names.errkit_name(callee.func)
            return name if name == "coded" else None
        name = self.names.errkit_name(callee)
        if name is None:
            return None
        # the coded types of the public API, not errkit's own errors about
        # its use (ConfigError, RegistryError, ...)
        if (
            name in ERRKIT_CATEGORIES
            or name == "CodedError"
            or name.startswith("Coded")
        ):
            return name
        return None

    def _adhoc_code(self, call: ast.Call, coded: str, node: ast.Raise) -> None:
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        code = _int_literal(keywords.get("code"))
        if code is None:
            return
        category = _str_literal(keywords.get("category")) or ERRKIT_CATEGORIES.get(
            coded
        )
        message = _str_literal(call.args[0]) if call.args else None
        self.codes.append(
            CodeDeclaration(
                module=_str_literal(keywords.get("module")) or self.owner,
                code=code,
                path=self.path,
                line=node.lineno,
                class_name=coded,
                category=category,
                message=message,
                declared=False,
            )
        )

    # -------------------------------------------------------------------- handlers

    def _judge_handlers(self) -> None:
        """swallow: a broad handler whose body does nothing observable."""
        for handler, scope in self._handlers:
            if not self._catches_everything(handler.type):
                continue
            verdict = self._swallow_state(handler)
            if verdict is None:
                continue
            end = handler.type.end_lineno if handler.type else handler.lineno
            last = handler.body[-1].end_lineno or handler.lineno
            caught = ast.unparse(handler.type) if handler.type else "everything"
            message = (
                f"except {caught} records the failure"
                if verdict is MIGRATED
                else f"except {caught} swallows the failure"
            )
            self._add(
                K.SWALLOW,
                handler,
                verdict,
                message,
                {"caught": caught, "handler_name": handler.name},
                scope,
                (handler.lineno, last),
                end=(end or handler.lineno, None),
            )

    def _catches_everything(self, node: ast.expr | None) -> bool:
        if node is None:
            return True
        items = node.elts if isinstance(node, ast.Tuple) else [node]
        return any(
            self.names.builtin(item) in ("Exception", "BaseException") for item in items
        )

    def _swallow_state(self, handler: ast.ExceptHandler) -> SiteState | None:
        recorded = False
        for stmt in handler.body:
            kind = type(stmt)
            if kind in (ast.Pass, ast.Continue, ast.Break):
                continue
            if kind is ast.Expr:
                value = stmt.value  # type: ignore[attr-defined]
                if isinstance(value, ast.Constant) and value.value is Ellipsis:
                    continue
                if (
                    isinstance(value, ast.Call)
                    and self.names.errkit_name(value.func) == "record"
                    and not any(
                        isinstance(n, ast.Call) for a in value.args for n in ast.walk(a)
                    )
                ):
                    recorded = True
                    continue
                return None
            if kind is ast.Return:
                value = stmt.value  # type: ignore[attr-defined]
                if value is None:
                    continue
                if isinstance(value, ast.Name) and value.id == handler.name:
                    return None
                if any(isinstance(n, ast.Call) for n in ast.walk(value)):
                    return None
                continue
            return None

        return MIGRATED if recorded else UNMIGRATED

    # ----------------------------------------------------------------- expressions

    def _judge_expressions(self) -> None:
        """Spawn calls and message matching, only where the text says they may be."""
        spawn_lines = self._spawn_lines()
        match_lines = self._match_lines()
        if not spawn_lines and not match_lines:
            return
        candidates = sorted(spawn_lines | match_lines)
        for body, scope, func, handlers in self._bodies:
            if not _touches(candidates, _first_line(body[0]), body[-1].end_lineno):
                continue  # no candidate line anywhere in this statement list
            for stmt in body:
                if _touches(candidates, _first_line(stmt), stmt.end_lineno):
                    self._expressions(
                        stmt, scope, func, handlers, spawn_lines, match_lines
                    )

    def _expressions(
        self,
        stmt: ast.stmt,
        scope: str,
        func: ast.AST | None,
        handlers: tuple[ast.ExceptHandler, ...],
        spawn_lines: set[int],
        match_lines: set[int],
    ) -> None:
        """Spawn calls and message matches in one statement's own expressions."""
        exprs, first, last = _header(stmt)
        if first is None:
            return
        span = range(first, last + 1)
        spawn = any(line in spawn_lines for line in span)
        caught = {h.name for h in handlers if h.name}
        match = bool(caught) and any(line in match_lines for line in span)
        if not spawn and not match:
            return
        for expr in exprs:
            for node, parents in _walk_with_parents(expr):
                if spawn and isinstance(node, ast.Call):
                    self._spawn(node, parents, stmt, scope, func)
                if match:
                    self._message_match(node, caught, scope)

    def _spawn_lines(self) -> set[int]:
        text = self.src.text
        extra = [
            local
            for local, target in self.names.aliases.items()
            if target.rpartition(".")[2] in _SPAWN_WORDS and local not in _SPAWN_WORDS
        ]
        if not extra:
            # substring tests are much cheaper than a regex over every file
            if not any(word in text for word in _SPAWN_HINTS):
                return set()
            return _match_line_numbers(_SPAWN_RE, text)
        words = (*_SPAWN_WORDS, *map(re.escape, extra))
        pattern = re.compile(r"(?:{})\b".format("|".join(words)))
        return _match_line_numbers(pattern, text)

    def _match_lines(self) -> set[int]:
        """Lines inside named handlers that mention `str(e)`, `e.args`, ..."""
        text = self.src.text
        if not any(h.name for h, _ in self._handlers) or not (
            "str(" in text or "repr(" in text or ".args" in text or ".message" in text
        ):
            return set()
        lines = self.src.lines
        found: set[int] = set()
        for handler, _ in self._handlers:
            if not handler.name:
                continue
            name = re.escape(handler.name)
            pattern = re.compile(
                rf"(?:str|repr)\(\s*{name}\s*\)|\b{name}\.(?:args|message)\b"
            )
            first, last = handler.lineno, handler.end_lineno or handler.lineno
            for number in range(first, last + 1):
                text = lines[number - 1]
                if (
                    "args" in text
                    or "message" in text
                    or "str(" in text
                    or "repr(" in text
                ) and pattern.search(text):
                    found.add(number)
        return found

    def _spawn(
        self,
        call: ast.Call,
        parents: tuple[ast.AST, ...],
        stmt: ast.stmt,
        scope: str,
        func: ast.AST | None,
    ) -> None:
        names = self.names
        qual = names.qualname(call.func)
        errkit = qual[7:] if qual and qual.startswith("errkit.") else None
        kind: SiteKind | None = None
        state = UNMIGRATED
        detail: dict[str, Any] = {}
        if qual in THREAD_CALLS:
            kind = K.SPAWN_THREAD
            index, keyword = THREAD_CALLS[qual]
            target = _argument(call, index, keyword)
            if (
                isinstance(target, ast.Call)
                and names.errkit_name(target.func) == "recovered"
            ):
                state = MIGRATED
            detail["call"] = qual.rpartition(".")[2]
        elif errkit == "start_thread":
            kind, state = K.SPAWN_THREAD, MIGRATED
        elif qual in TASK_CALLS:
            kind = K.SPAWN_TASK
            detail["call"] = qual.rpartition(".")[2]
        elif errkit == "create_task":
            kind, state = K.SPAWN_TASK, MIGRATED
        elif errkit in ("submit", "run_in_executor"):
            kind, state = K.SPAWN_EXECUTOR, MIGRATED
        elif errkit is None and isinstance(call.func, ast.Attribute):
            attr, receiver = call.func.attr, call.func.value
            if attr == "create_task" and not self._is_task_group(receiver):
                kind = K.SPAWN_TASK
                detail["call"] = "loop.create_task"
            elif attr == "run_in_executor":
                kind = K.SPAWN_EXECUTOR
                detail["call"] = "run_in_executor"
            elif attr == "submit" and self._is_executor(receiver):
                kind = K.SPAWN_EXECUTOR
                detail["call"] = "submit"
        if kind is None:
            return

        outer = call
        if parents and _is_watch(parents[-1], call, names):
            state = MIGRATED
            outer = parents[-1]  # type: ignore[assignment]
            parents = parents[:-1]
        retained = self._retained(outer, parents, stmt, func)
        detail["retained"] = retained
        span = (call.lineno, call.end_lineno or call.lineno)
        self._add(
            kind,
            call,
            state,
            _spawn_message(kind, state, retained),
            detail,
            scope,
            span,
        )

    def _is_task_group(self, receiver: ast.expr) -> bool:
        key = dotted(receiver)
        if key is None:
            return False
        return key in self._task_groups or bool(
            _TASK_GROUP_NAME.search(key.rpartition(".")[2])
        )

    def _is_executor(self, receiver: ast.expr) -> bool:
        if isinstance(receiver, ast.Call):
            return self.names.qualname(receiver.func) in EXECUTORS
        key = dotted(receiver)
        if key is None:
            return False
        return key in self._executors or bool(
            _EXECUTOR_NAME.search(key.rpartition(".")[2])
        )

    def _retained(
        self,
        node: ast.expr,
        parents: tuple[ast.AST, ...],
        stmt: ast.stmt,
        func: ast.AST | None,
    ) -> bool:
        """Whether the spawned thread/task/future is kept by anyone.

        Fire-and-forget: an expression statement (`create_task(c)`, or a chain
        `Thread(...).start()`), or a name assigned and never read again.
        """
        if parents and isinstance(parents[-1], ast.Attribute):
            attr = parents[-1]
            chained = attr.attr in _FIRE_AND_FORGET_CHAIN
            if chained and len(parents) >= 2:
                call = parents[-2]
                if isinstance(call, ast.Call) and call.func is attr:
                    parents = parents[:-2]
        if parents:
            return True  # an argument, awaited, part of a larger expression
        if isinstance(stmt, ast.Expr):
            return False
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                return self._read_later(targets[0].id, stmt, func)
        return True

    def _read_later(self, name: str, stmt: ast.stmt, func: ast.AST | None) -> bool:
        start = stmt.end_lineno or stmt.lineno
        stop = (
            (getattr(func, "end_lineno", None) or len(self.src.lines))
            if func
            else len(self.src.lines)
        )
        text = "\n".join(self.src.lines[start:stop])
        return re.search(rf"\b{re.escape(name)}\b", text) is not None

    def _message_match(self, node: ast.AST, caught: set[str], scope: str) -> None:
        names = self.names
        found = False
        if isinstance(node, ast.Compare):
            found = any(
                _is_exc_text(op, caught, names) for op in (node.left, *node.comparators)
            )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr in ("startswith", "endswith"):
                found = _is_exc_text(node.func.value, caught, names)
            elif attr in _RE_FUNCS:
                found = any(_is_exc_text(a, caught, names) for a in node.args)
        if found:
            span = (node.lineno, node.end_lineno or node.lineno)  # type: ignore[attr-defined]
            self._add(
                K.MESSAGE_MATCH,
                node,
                UNMIGRATED,
                "failure matched by its message text",
                {},
                scope,
                span,
            )

    # --------------------------------------------------------------------- helpers

    def _add(
        self,
        kind: SiteKind,
        node: Any,
        state: SiteState,
        message: str,
        detail: dict[str, Any],
        scope: str,
        span: tuple[int, int],
        header: bool = False,
        end: tuple[int, int | None] | None = None,
    ) -> None:
        line = node.lineno
        col = self._col(line, node.col_offset)
        if header:  # a class: the site is its `class Name` head
            end_line, end_col = line, col + 6 + len(node.name)
        elif end is not None:
            end_line = end[0]
            end_col = col + 6 if end[1] is None else end[1]
            if node.type is not None:
                end_col = self._col(end_line, node.type.end_col_offset)
        else:
            end_line = node.end_lineno or line
            end_col = self._col(end_line, node.end_col_offset or 0)
        reason = None
        if state is UNMIGRATED:
            for number in range(span[0], span[1] + 1):
                marks = self.exemptions.get(number)
                if marks and kind.value in marks:
                    reason = marks[kind.value]
                    if reason:
                        state = EXEMPT
                    else:
                        detail = {**detail, "exemption": "missing reason"}
                        reason = None
                    break
        self.sites.append(
            Site(
                self.path,
                line,
                col,
                end_line,
                end_col,
                kind,
                state,
                message,
                detail,
                reason,
                scope,
            )
        )

    def _col(self, line: int, byte_col: int) -> int:
        """Columns in characters; `ast` gives UTF-8 byte offsets."""
        if self.ascii or byte_col <= 0:
            return byte_col
        text = self.src.lines[line - 1]
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


# ------------------------------------------------------------------ module helpers


def _exemptions(text: str) -> dict[int, dict[str, str | None]]:
    """line -> {kind: reason or None} from `# errkit: ignore[kind] -- reason`."""
    if "errkit:" not in text:
        return {}
    found: dict[int, dict[str, str | None]] = {}
    for match in _EXEMPT_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        reason = (match.group(2) or "").strip() or None
        for kind in match.group(1).split(","):
            if kind.strip():
                found.setdefault(line, {})[kind.strip()] = reason

    return found


def _match_line_numbers(pattern: re.Pattern[str], text: str) -> set[int]:
    lines: set[int] = set()
    line, pos = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        lines.add(line)
    return lines


def _first_line(stmt: ast.stmt) -> int:
    """A statement's first line, decorators included."""
    decorators: list[ast.expr] | None = getattr(stmt, "decorator_list", None)
    if decorators:
        return min(stmt.lineno, *(d.lineno for d in decorators))
    return stmt.lineno


def _touches(candidates: list[int], first: int, last: int | None) -> bool:
    """Whether a sorted list of line numbers has one in `first..last`."""
    i = bisect_left(candidates, first)
    return i < len(candidates) and candidates[i] <= (last or first)


def _header(stmt: ast.stmt) -> tuple[list[ast.AST], int | None, int]:
    """The expressions of a statement outside nested bodies, and their lines."""
    kind = type(stmt)
    node: Any = stmt  # dispatch is on the exact type, which mypy cannot narrow from
    if kind in _COMPOUND:
        exprs: list[Any]
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            args = node.args
            exprs = [
                *node.decorator_list,
                *args.defaults,
                *(d for d in args.kw_defaults if d is not None),
            ]
        elif kind is ast.ClassDef:
            exprs = [*node.decorator_list, *node.bases, *node.keywords]
        elif kind is ast.If or kind is ast.While:
            exprs = [node.test]
        elif kind is ast.For or kind is ast.AsyncFor:
            exprs = [node.iter]
        elif kind is ast.With or kind is ast.AsyncWith:
            exprs = [item.context_expr for item in node.items]
        elif kind is ast.Match:
            exprs = [node.subject]
        else:
            exprs = []
        if not exprs:
            return [], None, 0
        first = min(e.lineno for e in exprs)
        last = max(e.end_lineno or e.lineno for e in exprs)
        return exprs, first, last

    return [stmt], stmt.lineno, stmt.end_lineno or stmt.lineno


def _walk_with_parents(
    root: ast.AST,
) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...]]]:
    """Every node under `root` (not into nested statement bodies) with its parents."""
    stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(root, ())]
    while stack:
        node, parents = stack.pop()
        yield node, parents
        # statements are not parents: a spawn directly in `Expr`/`Assign` has none
        inner = parents if isinstance(node, ast.stmt) else (*parents, node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.stmt):
                stack.append((child, inner))


def _annotated_args(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
) -> list[tuple[str, ast.expr]]:
    """(name, annotation) of each annotated parameter of ``node``."""
    args = node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    return [(a.arg, a.annotation) for a in every if a.annotation is not None]


def _bind_targets(target: ast.expr, bound: set[str]) -> None:
    if isinstance(target, ast.Name):
        bound.add(target.id)
    elif isinstance(target, ast.Tuple | ast.List):
        for item in target.elts:
            _bind_targets(item, bound)
    elif isinstance(target, ast.Starred):
        _bind_targets(target.value, bound)


def _maybe_in_tree(qual: str) -> bool:
    """Whether a base class may be defined in the scanned tree (not stdlib/builtin)."""
    head = qual.partition(".")[0]
    return head not in ("builtins", "errkit") and head not in _STDLIB


def _is_new_exception(
    exc: ast.expr, caught: set[str], classes: set[str] | frozenset[str] = frozenset()
) -> bool:
    """A class called or named (`X(...)`, `pkg.X(...)`, `X`), not a re-raise.

    A bare name is taken for a class when it is capitalised (PEP 8) or is in
    `classes`: names imported or aliased at module level (`error =
    socket.error`), which are classes when raised; a lower-case local holds
    an exception object built earlier, which is not a new exception.
    """
    if isinstance(exc, ast.Call):
        func = exc.func
        if isinstance(func, ast.Attribute) and func.attr == "with_traceback":
            return False
        return isinstance(func, ast.Name | ast.Attribute)
    if isinstance(exc, ast.Name):
        name = exc.id
        return name not in caught and (name[:1].isupper() or name in classes)
    if isinstance(exc, ast.Attribute):
        return exc.attr[:1].isupper()
    return False


def _is_watch(parent: ast.AST, call: ast.Call, names: Resolver) -> bool:
    return (
        isinstance(parent, ast.Call)
        and bool(parent.args)
        and parent.args[0] is call
        and names.errkit_name(parent.func) == "watch"
    )


def _is_exc_text(node: ast.AST, caught: set[str], names: Resolver) -> bool:
    """`str(e)`, `repr(e)`, `e.args`, `e.args[i]`, `e.message`, or `.lower()` of one."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS:
            return _is_exc_text(func.value, caught, names)
        return (
            names.builtin(func) in ("str", "repr")
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in caught
        )
    if isinstance(node, ast.Subscript):
        node = node.value
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "args"
            and (isinstance(node.value, ast.Name) and node.value.id in caught)
        )
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("args", "message")
        and isinstance(node.value, ast.Name)
        and node.value.id in caught
    )


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def _int_literal(node: ast.expr | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _str_literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _thread_class_message(name: str, state: SiteState) -> str:
    if state is MIGRATED:
        return f"thread class {name} runs with errkit recovery"
    return f"thread class {name} runs without recovery"


def _spawn_message(kind: SiteKind, state: SiteState, retained: bool) -> str:
    what = {
        K.SPAWN_THREAD: "thread",
        K.SPAWN_TASK: "task",
        K.SPAWN_EXECUTOR: "executor future",
    }[kind]
    if state is MIGRATED:
        return f"{what} failures are recorded by errkit"
    tail = "" if retained else " (fire-and-forget)"
    return f"{what} failures are not recorded{tail}"
