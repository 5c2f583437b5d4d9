"""HTTP problem details (RFC 9457) for any exception, without leaking internals.

:meth:`ProblemMapper.problem` turns an exception into a :class:`Problem`: status,
headers and an ``application/problem+json`` body. Framework integrations send it;
:func:`log_problem` writes the matching log record.

Status by category (override per category with ``status_by_category`` or per code
with ``status_by_code``):

==============  =====================================================
category        status
==============  =====================================================
validation      400
not_found       404
conflict        409
unauthorized    401; 403 when the error matches the ``Forbidden`` sentinel
state           409
external        503 when retryable (the upstream may come back), else 502
internal        500
timeout         504
rate_limit      429, with ``Retry-After`` when the error says how long
(uncoded)       500
==============  =====================================================

What the body holds: ``type`` (``<type_base><module>/<code>`` when a base is
configured, else ``about:blank``), ``title`` (the status phrase), ``status``,
``detail`` (the error's ``safe_message``: its class's ``public_message``, else
its message), ``instance`` (when the caller passes one), and the
extension members ``code``, ``category``, ``retryable``, ``retry_after`` (when
known) and the context fields the error declares safe.

Every server-side problem (any 5xx: internal, external, timeout, uncoded) and
every error whose type is an ``InternalError`` is redacted: its ``detail`` is the
class's declared ``public_message`` or else the constant :data:`GENERIC_DETAIL`,
and it gets a ``correlation_id`` that :func:`log_problem` also puts on the log
record, where the message, cause, context and traceback go. Internal and uncoded
errors carry no context fields at all; external and timeout errors keep the
fields their class declares safe. Class names, file paths and tracebacks are
never part of any body.

``ProblemMapper(envelope=True)`` sends the same members as
``{"error": {"code": "inventory:120", ...}}`` with ``application/json``, for
clients that already expect that shape; :func:`errkit.error_from_problem` reads
both forms back into the coded error.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from types import MappingProxyType
from typing import Any

from errkit.runtime._core import InternalError
from errkit.runtime._fields import ErrorFields, error_fields
from errkit.runtime._safe import forbidden, safe_context
from errkit.runtime.render import json_safe
from errkit.runtime.retry_after import retry_after_seconds

__all__ = [
    "GENERIC_DETAIL",
    "JSON_MEDIA_TYPE",
    "PROBLEM_MEDIA_TYPE",
    "RESERVED_MEMBERS",
    "STATUS_BY_CATEGORY",
    "Problem",
    "ProblemMapper",
    "log_problem",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
JSON_MEDIA_TYPE = "application/json"

#: The ``detail`` of every redacted (internal or uncoded) problem.
GENERIC_DETAIL = "An internal error occurred; quote the correlation_id to support."

#: Default HTTP status per category; see the module docstring for the variants.
STATUS_BY_CATEGORY: Mapping[str, int] = MappingProxyType(
    {
        "validation": 400,
        "not_found": 404,
        "conflict": 409,
        "unauthorized": 401,
        "state": 409,
        "external": 502,
        "internal": 500,
        "timeout": 504,
        "rate_limit": 429,
    }
)

#: Members every problem may carry; safe context fields never replace them.
RESERVED_MEMBERS = frozenset(
    {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "code",
        "category",
        "retryable",
        "retry_after",
        "correlation_id",
    }
)

_log = logging.getLogger("errkit.http")


def _new_correlation_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Problem:
    """One problem response: what to send, and what to log with it."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    exception: BaseException
    correlation_id: str | None = None
    content_type: str = PROBLEM_MEDIA_TYPE

    def to_json(self) -> bytes:
        """The body as compact UTF-8 JSON."""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class ProblemMapper:
    """Settings for turning exceptions into problems; the defaults suit most services.

    ``type_base`` prefixes ``<module>/<code>`` to form each code's ``type`` URI
    (e.g. ``"https://docs.example/errors/"``); without it ``type`` is
    ``about:blank``. ``envelope=True`` wraps the members as ``{"error": {...}}``
    with ``application/json``, for clients that already expect that shape.
    ``redacted_categories`` are answered with :data:`GENERIC_DETAIL`.
    """

    type_base: str | None = None
    status_by_category: Mapping[str, int] = field(default_factory=dict)
    status_by_code: Mapping[str, int] = field(default_factory=dict)
    redacted_categories: frozenset[str] = frozenset({"internal"})
    generic_detail: str = GENERIC_DETAIL
    envelope: bool = False
    correlation_id: Callable[[], str] = _new_correlation_id

    def __post_init__(self) -> None:
        for name in ("status_by_category", "status_by_code"):
            for key, status in getattr(self, name).items():
                if not (isinstance(status, int) and 400 <= status <= 599):
                    msg = (
                        f"{name}[{key!r}] must be an HTTP error status from 400 to "
                        f"599, got {status!r}"
                    )
                    raise ValueError(msg)

    def status_for(self, exc: BaseException) -> int:
        """The HTTP status for ``exc`` (500 for anything that is not coded)."""
        fields = error_fields(exc)
        if fields is None:
            return 500
        return self._status(exc, fields)

    def _status(self, exc: BaseException, fields: ErrorFields) -> int:
        if fields.code is not None and fields.code in self.status_by_code:
            return self.status_by_code[fields.code]
        if fields.category in self.status_by_category:
            return self.status_by_category[fields.category]
        if fields.category == "unauthorized" and forbidden(exc):
            return 403
        if fields.category == "external" and fields.retryable:
            return 503
        return STATUS_BY_CATEGORY.get(fields.category, 500)

    def problem(self, exc: BaseException, *, instance: str | None = None) -> Problem:
        """The problem response for ``exc``; ``instance`` is e.g. the request path."""
        fields = error_fields(exc)
        status = 500 if fields is None else self._status(exc, fields)
        secret = self._secret(exc, fields)
        redacted = secret or status >= 500

        body: dict[str, Any] = {
            "type": self._type(fields),
            "title": HTTPStatus(status).phrase if status in _PHRASES else "Error",
            "status": status,
            "detail": _detail(exc, redacted, self.generic_detail),
        }
        if instance is not None:
            body["instance"] = instance
        if fields is not None and fields.code is not None:
            body["code"] = fields.code
        body["category"] = "internal" if fields is None else fields.category
        body["retryable"] = False if fields is None else fields.retryable

        headers: dict[str, str] = {}
        delay = None if fields is None else retry_after_seconds(exc)
        if delay is not None and status in (429, 503):
            seconds = math.ceil(delay)
            body["retry_after"] = seconds
            headers["Retry-After"] = str(seconds)
        correlation_id = None
        if redacted or status >= 500:
            correlation_id = self.correlation_id()
            body["correlation_id"] = correlation_id
        if not secret:
            for name, value in safe_context(exc).items():
                if name not in RESERVED_MEMBERS:
                    body[name] = json_safe(value)

        if self.envelope:
            return Problem(
                status, {"error": body}, headers, exc, correlation_id, JSON_MEDIA_TYPE
            )
        return Problem(status, body, headers, exc, correlation_id)

    def _secret(self, exc: BaseException, fields: ErrorFields | None) -> bool:
        # Whether nothing of the error but its code may reach the client: its
        # message and even its safe fields. A type that is an InternalError stays
        # secret when wrapping gave it another category. Other server-side
        # failures (5xx) lose only their message (see `problem`): an external or
        # timeout message tends to name hosts and connection strings.
        return (
            fields is None
            or fields.category in self.redacted_categories
            or isinstance(exc, InternalError)
        )

    def _type(self, fields: ErrorFields | None) -> str:
        if self.type_base is None or fields is None or fields.code is None:
            return "about:blank"
        return f"{self.type_base}{fields.module}/{fields.code.rpartition(':')[2]}"


_PHRASES = frozenset(int(status) for status in HTTPStatus)


def _detail(exc: BaseException, redacted: bool, generic: str) -> str:
    # A class's declared public_message is always fit for clients; otherwise a
    # redacted problem says only the generic detail, and the others their message.
    public = getattr(exc, "public_message", None)
    if isinstance(public, str):
        return public
    return generic if redacted else str(exc)


def log_problem(
    problem: Problem,
    *,
    logger: logging.Logger | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Log the exception behind ``problem``, with its correlation id on the record.

    Server errors (5xx) are logged at ERROR with the traceback; client errors at
    INFO without one, since they are expected outcomes. The record carries
    ``correlation_id`` and ``http_status`` attributes, plus the error fields that
    :class:`errkit.runtime.logs.ErrorFieldsFilter` would add, and ``extra``.
    """
    from errkit.runtime.logs import record_fields

    target = _log if logger is None else logger
    exc = problem.exception
    attributes: dict[str, Any] = {
        "correlation_id": problem.correlation_id,
        "http_status": problem.status,
        **record_fields(exc),
        **(extra or {}),
    }
    fields = error_fields(exc)
    label = fields.code if fields is not None and fields.code else type(exc).__name__
    if problem.status >= 500:
        target.error(
            "request failed with %d: %s (correlation_id=%s)",
            problem.status,
            label,
            problem.correlation_id,
            exc_info=(type(exc), exc, exc.__traceback__),
            extra=attributes,
        )
    else:
        target.info(
            "request rejected with %d: %s", problem.status, label, extra=attributes
        )
