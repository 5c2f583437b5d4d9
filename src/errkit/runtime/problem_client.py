"""The client side of problem details: a problem document back to a coded error.

A service answers ``OutOfStock`` (``inventory:120``) with a problem document; a
client of that service that shares the error classes gets the same class back
from :func:`error_from_problem`, so it can ``except OutOfStock`` across the
network. A code the client does not know becomes an ad-hoc instance of the
category type (a ``NotFoundError`` for ``not_found``, ...), still carrying the
code. A document without a ``category`` member (a server that is not errkit, or
an older one) is classified by its ``status`` through :data:`CATEGORY_BY_STATUS`,
the inverse of the server's status table, so ``409`` still comes back as a
``ConflictError``; with neither, or a category this client does not know, it
becomes an ``InternalError``.

The restored error's message is the problem's ``detail``; its context holds the
extension members the server sent (the safe context fields, ``correlation_id``,
``retry_after``) plus ``http_status``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from errkit import core
from errkit.runtime.problem import RESERVED_MEMBERS

__all__ = ["CATEGORY_BY_STATUS", "error_from_problem"]

_CATEGORY_TYPES: Mapping[str, str] = {
    "validation": "ValidationError",
    "not_found": "NotFoundError",
    "conflict": "ConflictError",
    "unauthorized": "UnauthorizedError",
    "state": "StateError",
    "external": "ExternalError",
    "internal": "InternalError",
    "timeout": "TimeoutError",
    "rate_limit": "RateLimitError",
}

#: The category of a problem that names none, by its HTTP status: the inverse of
#: :data:`errkit.runtime.problem.STATUS_BY_CATEGORY` (409 is ``conflict``, the
#: commoner of the two categories answered with it). Any other status:
#: ``internal``.
CATEGORY_BY_STATUS: Mapping[int, str] = MappingProxyType(
    {
        400: "validation",
        401: "unauthorized",
        403: "unauthorized",
        404: "not_found",
        409: "conflict",
        429: "rate_limit",
        502: "external",
        503: "external",
        504: "timeout",
    }
)

#: Members copied into the restored error's context besides the safe fields.
_KEPT_MEMBERS = ("correlation_id", "retry_after")


def _members(document: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    if isinstance(document, (str, bytes)):
        document = json.loads(document)
    if not isinstance(document, Mapping):
        msg = f"document must be a JSON object, got {type(document).__name__!r}"
        raise TypeError(msg)
    inner = document.get("error")
    if isinstance(inner, Mapping) and "status" not in document:
        return inner  # the envelope form
    return document


def _parse_code(value: Any) -> tuple[str, int] | None:
    if not isinstance(value, str):
        return None
    module, _, number = value.rpartition(":")
    if not module or not number.isdigit():
        return None
    return module, int(number)


def error_from_problem(document: Mapping[str, Any] | str | bytes) -> core.CodedError:
    """The coded error a problem document stands for.

    ``document`` may be the plain or the envelope form, parsed or raw JSON.

    Raises:
        TypeError: ``document`` is not a JSON object.
        ValueError: ``document`` is text that is not JSON.
    """
    members = _members(document)
    detail = str(members.get("detail") or members.get("title") or "")
    context: dict[str, Any] = {
        name: value for name, value in members.items() if name not in RESERVED_MEMBERS
    }
    for name in _KEPT_MEMBERS:
        if name in members:
            context[name] = members[name]
    if isinstance(members.get("status"), int):
        context["http_status"] = members["status"]

    parsed = _parse_code(members.get("code"))
    if parsed is not None:
        registered = core.get_registry().lookup(*parsed)
        if registered is not None and issubclass(registered.cls, core.CodedError):
            return _restore(registered.cls, detail, context)
    category = _category(members)
    cls = getattr(core, _CATEGORY_TYPES.get(category, "InternalError"))
    if parsed is None:
        return _restore(cls, detail, context)
    module, code = parsed
    error = _restore(cls, detail, context)
    error.module, error.code = module, code  # ad hoc: a code this client lacks
    return error


def _category(members: Mapping[str, Any]) -> str:
    category = members.get("category")
    if category:
        return str(category)
    status = members.get("status")
    if isinstance(status, int) and not isinstance(status, bool):
        return CATEGORY_BY_STATUS.get(status, "internal")
    return "internal"


def _restore(
    cls: type[core.CodedError], detail: str, context: dict[str, Any]
) -> core.CodedError:
    # The fields arrived because the server declared them safe; they stay safe
    # here, so a client that re-serves the error (a gateway) shows them too.
    try:
        return cls(detail, context=context, safe=context.keys())
    except TypeError:
        # A subclass with its own required __init__ parameters: build it the way
        # unpickling does, without calling that __init__.
        error = cls.__new__(cls, detail)
        core.CodedError.__init__(error, detail, context=context, safe=context.keys())
        return error
