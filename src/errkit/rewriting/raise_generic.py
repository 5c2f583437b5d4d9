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

from errkit.rewriting.layout import line_break
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


def append_args(
    args: Sequence[cst.Arg],
    extra: Sequence[cst.Arg],
    opening: cst.BaseParenthesizableWhitespace | None = None,
) -> list[cst.Arg]:
    """`args` followed by `extra`, in the layout the arguments already have.

    A call on one line gets `, module=..., code=...` on that line. A call whose
    closing bracket sits on its own line gets the new keywords on a new line with
    the arguments' indentation: one line for all of them, or one line each when
    the arguments end with a trailing comma (the "one per line" style), which is
    kept. Nothing before the last original argument changes. `opening` is the
    whitespace after the opening bracket, where the arguments' indentation is
    read when no earlier argument ends its line.
    """
    result = list(args)
    comma_space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if not result:
        return [*(a.with_changes(comma=comma_space) for a in extra[:-1]), extra[-1]]
    last = result[-1]
    closing = _closing_break(last)
    lead = _argument_break(result, opening) if closing is not None else None
    if closing is None or lead is None:
        # Same line: what followed the last argument now follows the new ones.
        result[-1] = last.with_changes(
            comma=comma_space, whitespace_after_arg=cst.SimpleWhitespace("")
        )
        for arg in extra[:-1]:
            result.append(arg.with_changes(comma=comma_space))
        result.append(
            extra[-1].with_changes(
                comma=last.comma, whitespace_after_arg=last.whitespace_after_arg
            )
        )
        return result
    trailing = isinstance(last.comma, cst.Comma)
    result[-1] = last.with_changes(
        comma=cst.Comma(whitespace_after=lead),
        whitespace_after_arg=cst.SimpleWhitespace(""),
    )
    between = cst.Comma(
        whitespace_after=lead if trailing else cst.SimpleWhitespace(" ")
    )
    for arg in extra[:-1]:
        result.append(arg.with_changes(comma=between))
    if trailing:
        tail = extra[-1].with_changes(comma=cst.Comma(whitespace_after=closing))
    else:
        tail = extra[-1].with_changes(whitespace_after_arg=closing)
    result.append(tail)
    return result


def _closing_break(last: cst.Arg) -> cst.ParenthesizedWhitespace | None:
    """The line break before the closing bracket, if it is on its own line."""
    if isinstance(last.comma, cst.Comma):
        after = last.comma.whitespace_after
    else:
        after = last.whitespace_after_arg
    return after if isinstance(after, cst.ParenthesizedWhitespace) else None


def _argument_break(
    args: Sequence[cst.Arg], opening: cst.BaseParenthesizableWhitespace | None
) -> cst.ParenthesizedWhitespace | None:
    """The line break and indentation before the last argument's line.

    Found after an earlier argument's comma, else after the opening bracket.
    """
    for arg in reversed(args[:-1]):
        if isinstance(arg.comma, cst.Comma) and isinstance(
            arg.comma.whitespace_after, cst.ParenthesizedWhitespace
        ):
            return arg.comma.whitespace_after
    return opening if isinstance(opening, cst.ParenthesizedWhitespace) else None


def apply_raise(
    exc: cst.BaseExpression,
    edit: RaiseEdit,
    module: str,
    split: str | None = None,
    lines: bool = False,
) -> cst.Call:
    """The raised expression rewritten to the coded replacement.

    `split` (an indentation) spreads a call written on one line over lines, the
    arguments indented by it, for when the keywords make the line too long: all
    arguments on one line, or with `lines` the keywords on the next one.
    """
    assert edit.code is not None  # plans are given codes before they are applied
    extra = [
        keyword_arg("module", cst.SimpleString(_quote(module))),
        keyword_arg("code", cst.Integer(str(edit.code))),
    ]
    if edit.category_keyword is not None:
        extra.append(
            keyword_arg("category", cst.SimpleString(_quote(edit.category_keyword)))
        )
    func = errkit_attr(edit.replacement)
    call = exc if isinstance(exc, cst.Call) else cst.Call(func=func, args=[])
    if split is None:
        args = append_args(call.args, extra, call.whitespace_before_args)
        return call.with_changes(func=func, args=args)
    # All arguments on one indented line, the bracket closing on its own line;
    # with `lines`, the new keywords on a line of their own.
    args = list(call.args)
    if args and not lines:
        args = append_args(args, extra)
    elif args:
        args[-1] = args[-1].with_changes(
            comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=line_break("")
        )
        args = append_args(args, extra, line_break(split))
    else:
        args = append_args([], extra)
    if not lines or not call.args:
        args[-1] = args[-1].with_changes(whitespace_after_arg=line_break(""))
    # A bare class (`raise ValueError`) is called with no arguments when raised.
    return call.with_changes(
        func=func, args=args, whitespace_before_args=line_break(split)
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
