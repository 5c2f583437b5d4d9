"""How long a line may get, and spreading a call over lines when a rewrite is too long.

A rewrite appends keywords (`module=..., code=...`, `context=...`) to a call or a
class's bases. When that pushes a line past the project's limit, the call is
spread over lines the way black and ruff's formatter write it: the arguments on
one indented line if they fit, else one per line with a trailing comma. The limit
is the project's own (`line-length` of ruff or black in its `pyproject.toml`, or
of a `ruff.toml`), 88 when it sets none.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import libcst as cst

#: black's and ruff's default line length.
LINE_LENGTH = 88


def project_line_length(folder: Path) -> int:
    """The line length the project at `folder` formats to; 88 if it says none."""
    candidates: list[tuple[Path, tuple[str, ...]]] = [
        (folder / "ruff.toml", ("line-length",)),
        (folder / ".ruff.toml", ("line-length",)),
        (folder / "pyproject.toml", ("tool", "ruff", "line-length")),
        (folder / "pyproject.toml", ("tool", "black", "line-length")),
    ]
    for path, keys in candidates:
        try:
            value: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return LINE_LENGTH


def line_break(indent: str) -> cst.ParenthesizedWhitespace:
    """A line break followed by the block's indentation plus `indent`."""
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=[],
        indent=True,
        last_line=cst.SimpleWhitespace(indent),
    )


def spread_args(
    args: Sequence[cst.Arg], indent: str, one_per_line: bool
) -> list[cst.Arg]:
    """`args` laid out between brackets on lines of their own.

    The opening bracket's line break is the caller's (it belongs to the bracket);
    here the last argument is followed by a line break back to the block's
    indentation, so the closing bracket starts its own line.
    """
    result = []
    for index, arg in enumerate(args):
        last = index == len(args) - 1
        if one_per_line:
            comma = cst.Comma(whitespace_after=line_break("" if last else indent))
            result.append(
                arg.with_changes(
                    comma=comma, whitespace_after_arg=cst.SimpleWhitespace("")
                )
            )
        elif last:
            result.append(
                arg.with_changes(
                    comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=line_break("")
                )
            )
        else:
            result.append(
                arg.with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                    whitespace_after_arg=cst.SimpleWhitespace(""),
                )
            )
    return result


def spread_call(call: cst.Call, indent: str, one_per_line: bool) -> cst.Call:
    """`call` with its arguments on lines of their own (see `spread_args`)."""
    if not call.args:
        return call
    return call.with_changes(
        whitespace_before_args=line_break(indent),
        args=spread_args(call.args, indent, one_per_line),
    )


def longest_line(text: str) -> int:
    """The length of the longest line of `text`."""
    return max((len(line) for line in text.splitlines()), default=0)
