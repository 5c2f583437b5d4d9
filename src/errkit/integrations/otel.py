"""Record an errkit error on the current OpenTelemetry span.

:func:`record_on_span` adds an ``exception`` event to the active span (when one
is recording), sets the span status to ERROR and attaches the error's bounded
fields as attributes: ``error.type`` (the code string, else the exception class
path, as OpenTelemetry's semantic conventions ask), ``errkit.code``,
``errkit.module``, ``errkit.category``, ``errkit.severity``,
``errkit.retryable``. The error's context is not attached: span attributes are
exported to a tracing backend, and context values are sensitive by default.

Needs the ``otel`` extra (the API only; the SDK is the application's choice).
"""

from __future__ import annotations

from typing import Any

from errkit.integrations._common import require
from errkit.runtime._fields import error_fields

trace = require("opentelemetry.trace", "otel")

__all__ = ["record_on_span", "span_attributes"]


def span_attributes(exc: BaseException) -> dict[str, str | bool]:
    """The span attributes errkit sets for ``exc``."""
    fields = error_fields(exc)
    if fields is None:
        cls = type(exc)
        return {"error.type": f"{cls.__module__}.{cls.__qualname__}"}
    attributes: dict[str, str | bool] = {
        "errkit.category": fields.category,
        "errkit.severity": fields.severity,
        "errkit.retryable": fields.retryable,
    }
    if fields.module is not None:
        attributes["errkit.module"] = fields.module
    if fields.code is not None:
        attributes["errkit.code"] = fields.code
        attributes["error.type"] = fields.code
    else:
        attributes["error.type"] = f"{type(exc).__module__}.{type(exc).__qualname__}"
    return attributes


def record_on_span(exc: BaseException, span: Any = None) -> bool:
    """Record ``exc`` on ``span`` (default: the current one); False if none records.

    Does nothing and returns False when there is no active, recording span, so
    it is safe to call from code that may run untraced.
    """
    target = trace.get_current_span() if span is None else span
    if not target.is_recording():
        return False

    attributes = span_attributes(exc)
    target.record_exception(exc, attributes=attributes)
    target.set_attributes(attributes)
    description = attributes.get("errkit.code", attributes["error.type"])
    target.set_status(trace.Status(trace.StatusCode.ERROR, str(description)))
    return True
