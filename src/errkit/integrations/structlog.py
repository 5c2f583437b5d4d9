"""A structlog processor adding errkit fields and the rendered exception chain.

Put :func:`add_error_fields` in the processor chain before the renderer::

    structlog.configure(processors=[..., add_error_fields, JSONRenderer()])

For an event logged with an exception (``log.exception(...)``, ``exc_info=True``
or ``exc_info=err``) it adds the ``error_*`` fields of a coded error and replaces
``exc_info`` with ``exception``: the whole chain with group members as nested
dicts (:func:`errkit.runtime.render.exception_to_dict`), safe on cycles, so a JSON
renderer can write it. Events without an exception pass through unchanged.

Needs the ``structlog`` extra only for structlog itself: the processor is a plain
function of the standard processor signature.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from typing import Any

from errkit.runtime.logs import record_fields
from errkit.runtime.render import exception_to_dict

__all__ = ["add_error_fields"]


def _exception(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        value = exc_info[1]
        return value if isinstance(value, BaseException) else None
    if exc_info is True:
        return sys.exc_info()[1]
    return None


def add_error_fields(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: ``error_*`` fields and ``exception`` for logged errors."""
    if "exc_info" not in event_dict:
        return event_dict
    exc = _exception(event_dict.pop("exc_info"))
    if exc is None:
        return event_dict
    for name, value in record_fields(exc).items():
        event_dict.setdefault(name, value)
    event_dict["exception"] = exception_to_dict(exc)
    return event_dict
