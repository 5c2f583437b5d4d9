"""raise-unchained: a new error raised in an `except` handler gains `from err`.

Only what is displayed changes: `__cause__` is set and the traceback says "direct
cause" instead of "during handling". A handler without `as` gets one, named with a
name its function never uses: Python deletes a handler's `as` name when the handler
ends, so reusing any existing name could unbind a variable the code still reads.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import libcst as cst

#: Names tried, in order, for a handler that needs an `as` name.
_CANDIDATES = ("exc", "err", "error", "caught")


def is_new_exception(exc: ast.expr, caught: set[str]) -> bool:
    """Whether `raise exc` raises a new error (not a caught one, not re-raised).

    `caught` holds the `as` names of every handler around the raise in its
    function: re-raising an outer handler's error is a re-raise too.
    """
    if isinstance(exc, ast.Call):
        func = exc.func
        if isinstance(func, ast.Attribute) and func.attr == "with_traceback":
            return False
        return isinstance(func, (ast.Name, ast.Attribute))
    if isinstance(exc, ast.Name):
        return exc.id not in caught
    return isinstance(exc, ast.Attribute)


def _declared(node: ast.AST) -> str | None:
    """The name a definition, handler, import or pattern binds, if any."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return node.name
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[0]
    if isinstance(node, ast.MatchMapping):
        return node.rest
    return None


def names_in(node: ast.AST) -> set[str]:
    """Every identifier written anywhere under `node`, in any scope."""
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.arg):
            found.add(child.arg)
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            found.update(child.names)
        elif (name := _declared(child)) is not None:
            found.add(name)
    return found


def fresh_name(used: set[str]) -> str:
    """The first candidate name not in `used`."""
    for name in _CANDIDATES:
        if name not in used:
            return name
    number = 1
    while f"exc{number}" in used:
        number += 1
    return f"exc{number}"


def bound_in_body(body: list[ast.stmt]) -> set[str]:
    """Names the handler body binds in its own scope (nested scopes excluded)."""
    bound: set[str] = set()
    for node in _same_scope(body):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif (name := _declared(node)) is not None:
            bound.add(name)
    return bound


def _same_scope(body: list[ast.stmt]) -> Iterator[ast.AST]:
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Decorators, defaults and bases run here; the body does not.
            stack.extend(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                stack.extend(node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))


# --- libcst side -------------------------------------------------------------------


def apply_chain(raise_node: cst.Raise, cause: str) -> cst.Raise:
    """`raise X(...)` -> `raise X(...) from <cause>`."""
    return raise_node.with_changes(
        cause=cst.From(
            item=cst.Name(cause),
            whitespace_before_from=cst.SimpleWhitespace(" "),
            whitespace_after_from=cst.SimpleWhitespace(" "),
        )
    )


def apply_handler_name(
    handler: cst.ExceptHandler | cst.ExceptStarHandler, name: str
) -> cst.ExceptHandler | cst.ExceptStarHandler:
    """`except E:` -> `except E as <name>:`; the spacing before `:` is kept.

    A bare `except:` becomes `except BaseException as <name>:`, which catches
    exactly the same errors.
    """
    if handler.type is None:
        handler = handler.with_changes(
            type=cst.Name("BaseException"),
            whitespace_after_except=cst.SimpleWhitespace(" "),
        )
    return handler.with_changes(
        name=cst.AsName(
            name=cst.Name(name),
            whitespace_before_as=cst.SimpleWhitespace(" "),
            whitespace_after_as=cst.SimpleWhitespace(" "),
        )
    )
