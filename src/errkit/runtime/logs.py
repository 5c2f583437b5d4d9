"""Coded errors in standard :mod:`logging` records: fields, JSON lines, text.

- :class:`ErrorFieldsFilter` adds ``error_code``, ``error_module``,
  ``error_category``, ``error_severity``, ``error_retryable`` and
  ``error_context`` to every record logged with a coded error as its
  ``exc_info``. (``LogRecord`` already has a ``module`` attribute: the Python
  module that logged, hence the ``error_`` prefix.)
- :class:`JsonFormatter` writes each record as one JSON line, the exception
  rendered with its whole chain and group members by
  :func:`errkit.runtime.render.exception_to_dict`.
- :class:`TextFormatter` is a plain :class:`logging.Formatter` whose traceback
  shows each coded error's code.

All three are safe on cyclic chains and never raise for an odd exception: a log
call must not be what turns one failure into two.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from errkit.runtime._fields import error_fields
from errkit.runtime.render import exception_to_dict, format_exception_text, json_safe

__all__ = [
    "RECORD_FIELDS",
    "ErrorFieldsFilter",
    "JsonFormatter",
    "TextFormatter",
    "record_fields",
]

#: The record attributes errkit adds, in the order JSON lines show them.
RECORD_FIELDS = (
    "error_code",
    "error_module",
    "error_category",
    "error_severity",
    "error_retryable",
    "error_context",
)

#: Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime", "taskName"}


def record_fields(exc: BaseException | None) -> dict[str, Any]:
    """The ``error_*`` record attributes for ``exc``; empty if it is not coded."""
    fields = None if exc is None else error_fields(exc)
    if fields is None:
        return {}
    return {
        "error_code": fields.code,
        "error_module": fields.module,
        "error_category": fields.category,
        "error_severity": fields.severity,
        "error_retryable": fields.retryable,
        "error_context": dict(fields.context),
    }


def _exception(record: logging.LogRecord) -> BaseException | None:
    info = record.exc_info
    if info and isinstance(info, tuple) and isinstance(info[1], BaseException):
        return info[1]
    return None


class ErrorFieldsFilter(logging.Filter):
    """Adds the ``error_*`` attributes of a record's coded exception; keeps all records.

    Attach it to a handler (or logger) in front of any formatter. Attributes a
    caller already set through ``extra`` are left as they are.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in record_fields(_exception(record)).items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object per line.

    Keys: ``timestamp`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, the
    ``error_*`` fields of a coded exception, anything passed through ``extra``
    (e.g. ``correlation_id``), and ``exception``: the whole chain as nested
    objects. Values JSON cannot hold are written as their ``repr``.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        exc = _exception(record)
        line.update(record_fields(exc))
        for name, value in record.__dict__.items():
            if name not in _STANDARD_ATTRS and not name.startswith("_"):
                line[name] = value
        if exc is not None:
            line["exception"] = exception_to_dict(exc)
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(json_safe_line(line), ensure_ascii=False)


def json_safe_line(line: dict[str, Any]) -> dict[str, Any]:
    """``line`` with every value JSON can hold; the rendered exception is kept whole."""
    exception = line.pop("exception", None)
    safe: dict[str, Any] = {key: json_safe(value) for key, value in line.items()}
    if exception is not None:
        safe["exception"] = exception
    return safe


class TextFormatter(logging.Formatter):
    """A :class:`logging.Formatter` whose tracebacks show codes and survive cycles."""

    def formatException(self, ei: Any) -> str:
        exc = ei[1] if isinstance(ei, tuple) else None
        if not isinstance(exc, BaseException):
            return super().formatException(ei)
        return format_exception_text(exc).rstrip("\n")
