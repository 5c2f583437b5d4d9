"""Cycle-safe rendering of an exception and everything chained to it.

Two renderings of the same walk:

- :func:`exception_to_dict` gives a JSON-ready dict (for JSON log lines, structlog,
  error reporters): type, message, the errkit fields of coded errors, traceback
  frames, the chained exception (``cause`` for ``raise ... from``, ``while_handling``
  for an implicit ``__context__``) and exception-group members (``exceptions``).
- :func:`format_exception_text` gives the familiar text traceback with each
  coded error's ``module:code`` in its header line.

Both follow exactly the links that :func:`traceback.format_exception` follows, so
they cover the same set of exceptions, each once. Chains can loop
(``raise e from e``; re-raising a member of a caught group, whose ``__context__``
is then the group holding it): a link back to an exception already emitted is
rendered as :data:`CYCLE` instead of being followed. Visited exceptions are tracked
by ``id()``, because an exception class that defines ``__eq__`` is unhashable.
The walk is iterative, so a very long (acyclic) chain cannot exhaust the stack.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Mapping
from datetime import date, time, timedelta
from typing import Any

from errkit.runtime._fields import error_fields

__all__ = ["CYCLE", "exception_to_dict", "format_exception_text", "json_safe"]

#: Marks a link back to an exception that was already rendered.
CYCLE = "<cycle>"

#: Longest ``repr`` kept for a context value that JSON cannot hold as is.
_MAX_REPR = 200


def json_safe(value: Any, _depth: int = 0) -> Any:
    """Return ``value`` as something :func:`json.dumps` accepts.

    Strings, numbers, booleans and ``None`` pass through; dates and times become
    ISO 8601 text, durations seconds; mappings and sequences are converted item
    by item (three levels deep); anything else becomes its ``repr``, shortened,
    because a log line or a response must never fail on an odd value.
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if _depth < 3 and isinstance(value, Mapping):
        return {str(k): json_safe(v, _depth + 1) for k, v in value.items()}
    if _depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v, _depth + 1) for v in value]
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not break a log line
        text = f"<unrepresentable {type(value).__name__}>"
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def _message(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break a log line
        return f"<unprintable {type(exc).__name__}>"


def _links(exc: BaseException) -> Iterator[tuple[str, BaseException]]:
    """The chained exceptions that ``traceback`` would show, in its order."""
    if exc.__cause__ is not None:
        yield "cause", exc.__cause__
    elif exc.__context__ is not None and not exc.__suppress_context__:
        yield "while_handling", exc.__context__
    if isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            yield "exceptions", member


# ---------------------------------------------------------------------------------
# dict rendering


def _node(exc: BaseException) -> dict[str, Any]:
    node: dict[str, Any] = {"type": _type_name(exc), "message": _message(exc)}
    fields = error_fields(exc, chain=False)
    if fields is not None:
        node.update(fields.as_dict())
        node["context"] = json_safe(fields.context)
    node["frames"] = [
        {"file": frame.filename, "line": frame.lineno, "function": frame.name}
        for frame in traceback.extract_tb(exc.__traceback__)
    ]
    return node


def exception_to_dict(exc: BaseException) -> dict[str, Any]:
    """Render ``exc`` with its whole chain and group members as a JSON-ready dict.

    A chained exception nests under ``cause`` or ``while_handling``; group members
    are listed under ``exceptions``. A link back to an exception rendered earlier
    is the string :data:`CYCLE`. Coded errors add ``code`` (``"inventory:120"``),
    ``module``, ``category``, ``severity``, ``retryable`` and their full
    ``context``: this rendering is for logs, never for clients.
    """
    seen: set[int] = {id(exc)}
    root = _node(exc)
    pending = [(exc, root)]
    while pending:
        current, node = pending.pop()
        for key, linked in _links(current):
            if id(linked) in seen:
                child: Any = CYCLE
            else:
                seen.add(id(linked))
                child = _node(linked)
                pending.append((linked, child))
            if key == "exceptions":
                node.setdefault("exceptions", []).append(child)
            else:
                node[key] = child
    return root


# ---------------------------------------------------------------------------------
# text rendering

_CAUSE_LINE = "The above exception was the direct cause of the following exception:"
_CONTEXT_LINE = "During handling of the above exception, another exception occurred:"


def _header(exc: BaseException) -> list[str]:
    lines = traceback.format_exception_only(type(exc), exc)
    fields = error_fields(exc, chain=False)
    if fields is not None and fields.code is not None:
        lines[0] = f"[{fields.code}] {lines[0]}"
    return lines


def format_exception_text(exc: BaseException) -> str:
    """Format ``exc`` like :func:`traceback.format_exception`, with codes shown.

    Chained exceptions come first, oldest first, separated by the usual
    "direct cause" / "during handling" lines; group members follow their group,
    each indented with ``| ``. A link back to an exception already shown is
    written as ``<cycle> ExceptionType`` instead of being followed.
    """
    out: list[str] = []
    _format_chain(exc, "", {id(exc)}, out)
    return "".join(out)


def _format_chain(
    exc: BaseException, indent: str, seen: set[int], out: list[str]
) -> None:
    # Follow the chain iteratively (it can be long); recursion only enters group
    # members, whose nesting is as shallow as the code that built the groups.
    chain: list[tuple[BaseException, str]] = []  # (exception, link to older one)
    cycle: BaseException | None = None
    current = exc
    while True:
        link = next(((k, e) for k, e in _links(current) if k != "exceptions"), None)
        if link is None:
            chain.append((current, ""))
            break
        key, older = link
        chain.append((current, key))
        if id(older) in seen:
            cycle = older
            break
        seen.add(id(older))
        current = older

    if cycle is not None:
        out.append(f"{indent}{CYCLE} {_type_name(cycle)}\n")
        out.append(indent + _separator(chain[-1][1]))
    for position in range(len(chain) - 1, -1, -1):
        item = chain[position][0]
        out.extend(indent + line for line in _block_lines(item))
        _format_members(item, indent, seen, out)
        if position > 0:
            out.append(indent + _separator(chain[position - 1][1]))


def _format_members(
    group: BaseException, indent: str, seen: set[int], out: list[str]
) -> None:
    if not isinstance(group, BaseExceptionGroup):
        return
    for number, member in enumerate(group.exceptions, 1):
        out.append(f"{indent}+---------------- {number} ----------------\n")
        if id(member) in seen:
            out.append(f"{indent}| {CYCLE} {_type_name(member)}\n")
            continue
        seen.add(id(member))
        _format_chain(member, indent + "| ", seen, out)


def _separator(key: str) -> str:
    line = _CAUSE_LINE if key == "cause" else _CONTEXT_LINE
    return f"\n{line}\n\n"


def _block_lines(exc: BaseException) -> list[str]:
    lines = []
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(exc.__traceback__))
    lines.extend(_header(exc))
    # Frames come as multi-line strings; split so every line gets the indent.
    return [line for part in lines for line in part.splitlines(keepends=True)]
