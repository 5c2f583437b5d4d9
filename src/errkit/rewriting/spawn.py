"""spawn-thread, spawn-task, spawn-executor: background work wrapped with recovery.

The code keeps the object it used. A task or future is passed through
`errkit.watch(<original call>, context=...)`, which returns the very same object
with a recording done-callback, so awaiting it or calling `.result()` raises as
before. A thread's target becomes `errkit.recovered(<target>, context=...)`, and a
`threading.Thread` subclass gains `errkit.RecoveredThread` as a base.
"""

from __future__ import annotations

import ast

import libcst as cst

from errkit.analysis.sites import SiteKind
from errkit.rewriting.raise_generic import append_args, errkit_attr, keyword_arg
from errkit.rewriting.targets import SpawnEdit, WrapStyle

#: resolved callable -> (keyword of the function argument, its position)
THREAD_CALLS: dict[str, tuple[str, int]] = {
    "threading.Thread": ("target", 1),
    "threading.Timer": ("function", 1),
    "_thread.start_new_thread": ("function", 0),
    "_thread.start_new": ("function", 0),
}

TASK_CALLS = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.run_coroutine_threadsafe",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    }
)

THREAD_CLASSES = frozenset({"threading.Thread"})


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def resolve(node: ast.expr, imports: dict[str, str]) -> str | None:
    """The full dotted name `node` refers to, through the file's imports."""
    name = dotted(node)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    if head not in imports:
        return None
    full = imports[head]
    return f"{full}.{rest}" if rest else full


def _looks_like_loop(node: ast.expr, imports: dict[str, str]) -> bool:
    if isinstance(node, ast.Call):
        called = resolve(node.func, imports) or ""
        return called.startswith("asyncio.") and called.endswith("_loop")
    text = dotted(node) or ""
    return "loop" in text.rsplit(".", 1)[-1].lower()


def _looks_like_executor(node: ast.expr, executors: set[str]) -> bool:
    text = dotted(node)
    if text is None:
        return False
    last = text.rsplit(".", 1)[-1].lower()
    return text in executors or "executor" in last or last.endswith("pool")


def plan_spawn_call(
    call: ast.Call,
    imports: dict[str, str],
    executors: set[str],
    context: str,
    span: tuple[int, int, int, int],
) -> SpawnEdit | str | None:
    """The edit for a spawn call, a reason it cannot be rewritten, or None."""
    func = call.func
    name = resolve(func, imports)
    callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in THREAD_CALLS:
        keyword, position = THREAD_CALLS[name]
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            return "the thread's target is passed through *args or **kwargs"
        has_keyword = any(k.arg == keyword for k in call.keywords)
        if not has_keyword and len(call.args) <= position:
            return "the thread has no target to wrap (run it in a subclass)"
        return SpawnEdit(
            *span,
            kind=SiteKind.SPAWN_THREAD,
            style=WrapStyle.RECOVER_ARG,
            context=context,
            keyword=keyword if has_keyword else None,
            position=None if has_keyword else position,
            callee=callee,
        )
    kind: SiteKind | None = None
    if name in TASK_CALLS:
        kind = SiteKind.SPAWN_TASK
    elif isinstance(func, ast.Attribute) and (
        name is None or not name.startswith(("asyncio.", "errkit."))
    ):
        if func.attr == "create_task" and _looks_like_loop(func.value, imports):
            kind = SiteKind.SPAWN_TASK
        elif (
            func.attr == "run_in_executor"
            or func.attr == "submit"
            and _looks_like_executor(func.value, executors)
        ):
            kind = SiteKind.SPAWN_EXECUTOR
    if kind is None:
        return None
    return SpawnEdit(
        *span, kind=kind, style=WrapStyle.WATCH, context=context, callee=callee
    )


# --- libcst side -------------------------------------------------------------------


def _context_arg(context: str) -> cst.Arg:
    return keyword_arg("context", cst.SimpleString(f'"{context}"'))


def _recovered(value: cst.BaseExpression, context: str) -> cst.Call:
    return cst.Call(
        func=errkit_attr("recovered"),
        args=append_args([cst.Arg(value=value)], [_context_arg(context)]),
    )


def apply_spawn(call: cst.Call, edit: SpawnEdit) -> cst.Call:
    """The spawn call wrapped as the edit says."""
    if edit.style is WrapStyle.WATCH:
        return cst.Call(
            func=errkit_attr("watch"),
            args=append_args([cst.Arg(value=call)], [_context_arg(edit.context)]),
        )
    args = list(call.args)
    positional = [i for i, a in enumerate(args) if a.keyword is None]
    for index, arg in enumerate(args):
        by_keyword = arg.keyword is not None and arg.keyword.value == edit.keyword
        by_position = (
            edit.position is not None
            and edit.position < len(positional)
            and index == positional[edit.position]
        )
        if by_keyword or by_position:
            args[index] = arg.with_changes(value=_recovered(arg.value, edit.context))
            break
    return call.with_changes(args=args)
