"""A small YAML writer for the documents errkit generates (Prometheus rule files).

errkit's output is plain data (mappings, lists, strings, numbers, booleans), so a
full YAML library is not worth a dependency. Strings are written double-quoted
with JSON escapes, which YAML accepts verbatim, except multi-line strings and
strings holding double quotes (PromQL label matchers), which are written as
literal blocks so a reader sees the expression as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_INDENT = "  "
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Render a mapping as a YAML document ending with a newline."""
    lines: list[str] = []
    _write_mapping(data, 0, lines)

    return "\n".join(lines) + "\n"


def _write_mapping(data: Mapping[str, Any], depth: int, lines: list[str]) -> None:
    pad = _INDENT * depth
    for key, value in data.items():
        head = f"{pad}{_key(str(key))}:"
        _write_value(head, value, depth, lines)


def _write_sequence(items: Sequence[Any], depth: int, lines: list[str]) -> None:
    pad = _INDENT * depth
    for item in items:
        if isinstance(item, Mapping) and item:
            # The first key shares the dash's line; the rest line up under it.
            sub: list[str] = []
            _write_mapping(item, depth + 1, sub)
            sub[0] = f"{pad}- {sub[0][len(pad) + len(_INDENT) :]}"
            lines.extend(sub)
        else:
            _write_value(f"{pad}-", item, depth, lines)


def _write_value(head: str, value: Any, depth: int, lines: list[str]) -> None:
    if isinstance(value, Mapping):
        if not value:
            lines.append(f"{head} {{}}")
            return
        lines.append(head)
        _write_mapping(value, depth + 1, lines)
    elif isinstance(value, (list, tuple)):
        if not value:
            lines.append(f"{head} []")
            return
        lines.append(head)
        _write_sequence(value, depth + 1, lines)
    elif isinstance(value, str) and _wants_block(value):
        lines.append(f"{head} |-")
        pad = _INDENT * (depth + 1)
        lines.extend(f"{pad}{line}" if line else "" for line in value.split("\n"))
    else:
        lines.append(f"{head} {_scalar(value)}")


def _wants_block(text: str) -> bool:
    # A literal block cannot start with a space (it would set the indentation)
    # and cannot keep trailing spaces on a line intact through every reader.
    if not text or text[0] == " " or any(ln != ln.rstrip() for ln in text.split("\n")):
        return False
    return "\n" in text or '"' in text


def _key(key: str) -> str:
    # Plain identifiers stay bare ("groups:"); anything else is quoted.
    return key if _PLAIN_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    msg = (
        f"dump_yaml: value {value!r} of type {type(value).__name__} is not a "
        "mapping, list, string, number, boolean or None"
    )
    raise TypeError(msg)
