"""The errkit fields of one exception, read once for logs, responses and spans.

Every service integration needs the same few values from an exception: its code
string, module, category, severity, retryable flag and context. Reading them in one
place keeps the integrations from disagreeing about, say, how a category is spelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from errkit.core import CodedError, walk

__all__ = ["ErrorFields", "error_fields", "value_name"]


def value_name(value: Any) -> str:
    """Plain string of an enum: ``Category.NOT_FOUND`` -> ``"not_found"``."""
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class ErrorFields:
    """What errkit knows about a coded error, as plain values."""

    code: str | None
    module: str | None
    category: str
    severity: str
    retryable: bool
    context: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The fields without the context, keyed as in JSON log lines."""
        return {
            "code": self.code,
            "module": self.module,
            "category": self.category,
            "severity": self.severity,
            "retryable": self.retryable,
        }


def error_fields(exc: BaseException, *, chain: bool = True) -> ErrorFields | None:
    """The fields of ``exc`` if it is a coded error, else ``None``.

    A wrapper made by ``errkit.wrap`` has a category but often no code of its
    own; with ``chain`` its code and module are those of the first coded error
    with a code further down the chain (barriers respected), as ``code_of``
    finds them. Category, severity, retryable and context are always ``exc``'s
    own: the raised error decides how it is answered.
    """
    if not isinstance(exc, CodedError):
        return None
    coded: CodedError = exc
    if exc.code is None and chain:
        coded = next(
            (e for e in walk(exc) if isinstance(e, CodedError) and e.code is not None),
            exc,
        )
    return ErrorFields(
        code=coded.code_str if coded.code is not None else None,
        module=coded.module,
        category=value_name(exc.category),
        severity=value_name(exc.severity),
        retryable=bool(exc.retryable),
        context=dict(exc.context or {}),
    )
