"""raise-generic: a raised builtin becomes a coded error of exactly its ancestry.

`raise ValueError("bad quantity")` becomes
`raise errkit.ValidationError("bad quantity", module="inventory", code=101)`: the
arguments are kept as they were and `module=`/`code=` are appended as keywords, so
`str()`, `args` and every `except` clause that caught the builtin behave as before
(the table in docs/ARCHITECTURE.md, "The raise rewrite").
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from errkit.rewriting.targets import CodeRequest, RaiseEdit

#: builtin raised -> (errkit name, category, `category=` keyword or None)
RAISE_TABLE: dict[str, tuple[str, str, str | None]] = {
    "Exception": ("CodedError", "internal", "internal"),
    "ValueError": ("ValidationError", "validation", None),
    "LookupError": ("NotFoundError", "not_found", None),
    "RuntimeError": ("InternalError", "internal", None),
    "PermissionError": ("UnauthorizedError", "unauthorized", None),
    "TimeoutError": ("TimeoutError", "timeout", None),
    "KeyError": ("CodedKeyError", "not_found", None),
    "IndexError": ("CodedIndexError", "not_found", None),
    "TypeError": ("CodedTypeError", "validation", None),
    "AttributeError": ("CodedAttributeError", "internal", None),
    "OSError": ("CodedOSError", "external", None),
    "IOError": ("CodedOSError", "external", None),
    "EnvironmentError": ("CodedOSError", "external", None),
    "FileNotFoundError": ("CodedFileNotFoundError", "not_found", None),
    "FileExistsError": ("CodedFileExistsError", "conflict", None),
    "ConnectionError": ("CodedConnectionError", "external", None),
}

#: IOError and EnvironmentError are OSError: one kind of failure, one key.
_ALIASES = {"IOError": "OSError", "EnvironmentError": "OSError"}


def raised_builtin(exc: ast.expr, shadowed: frozenset[str]) -> str | None:
    """The builtin this raise expression raises, if it is one the table covers."""
    target = exc.func if isinstance(exc, ast.Call) else exc
    if not isinstance(target, ast.Name) or target.id in shadowed:
        return None
    return target.id if target.id in RAISE_TABLE else None


def message_template(exc: ast.expr) -> str | None:
    """The message shape that names one kind of failure; None without arguments.

    A literal message, or the literal part of an f-string, `%` or `.format`, is its
    own template, with `{}` for each formatted field, so raises with the same class
    and template share a code. A message computed some other way is `{}`.
    """
    args = exc.args if isinstance(exc, ast.Call) else []
    if not args:
        return None
    literal = _literal_shape(args[0])
    return "{}" if literal is None else literal


def _literal_shape(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            else:
                parts.append("{}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _literal_shape(node.left)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return _literal_shape(node.func.value)
    return None


def plan_raise(exc: ast.expr, builtin: str, line: int, col: int) -> RaiseEdit:
    """The edit for one raise of `builtin`."""
    replacement, category, keyword = RAISE_TABLE[builtin]
    key = _ALIASES.get(builtin, builtin)
    template = message_template(exc)
    if template is not None:
        key = f"{key}: {template}"

    return RaiseEdit(
        line=line,
        col=col,
        builtin=builtin,
        replacement=replacement,
        request=CodeRequest(category=category, key=key),
        category_keyword=keyword,
    )


# --- libcst side -------------------------------------------------------------------


def errkit_attr(name: str) -> cst.Attribute:
    """`errkit.<name>` as a node."""
    return cst.Attribute(value=cst.Name("errkit"), attr=cst.Name(name))


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """`name=value` with no spaces around `=`, the way keywords are written."""
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
    )


def append_args(args: Sequence[cst.Arg], extra: Sequence[cst.Arg]) -> list[cst.Arg]:
    """`args` followed by `extra`, keeping a trailing comma where it was.

    The last original argument's comma (and the line break after it, in a call
    spread over lines) moves to the last new argument, so the closing bracket keeps
    its place and indentation.
    """
    result = list(args)
    comma_space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    tail_comma: cst.Comma | cst.MaybeSentinel = cst.MaybeSentinel.DEFAULT
    tail_space: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace("")
    if result:
        # What followed the last argument (a comma and line break, or the line
        # break before a closing bracket on its own line) now follows the new ones.
        tail_comma = result[-1].comma
        tail_space = result[-1].whitespace_after_arg
        result[-1] = result[-1].with_changes(
            comma=comma_space, whitespace_after_arg=cst.SimpleWhitespace("")
        )
    for arg in extra[:-1]:
        result.append(arg.with_changes(comma=comma_space))
    result.append(
        extra[-1].with_changes(comma=tail_comma, whitespace_after_arg=tail_space)
    )

    return result


def apply_raise(exc: cst.BaseExpression, edit: RaiseEdit, module: str) -> cst.Call:
    """The raised expression rewritten to the coded replacement."""
    assert edit.code is not None  # plans are given codes before they are applied
    extra = [
        keyword_arg("module", cst.SimpleString(_quote(module))),
        keyword_arg("code", cst.Integer(str(edit.code))),
    ]
    if edit.category_keyword is not None:
        extra.append(
            keyword_arg("category", cst.SimpleString(_quote(edit.category_keyword)))
        )
    if isinstance(exc, cst.Call):
        return exc.with_changes(
            func=errkit_attr(edit.replacement), args=append_args(exc.args, extra)
        )
    # A bare class (`raise ValueError`) is called with no arguments when raised.
    return cst.Call(func=errkit_attr(edit.replacement), args=append_args([], extra))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
