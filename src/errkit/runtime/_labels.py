"""Bounded metric labels for an exception.

A label value may only come from a bounded set, or the number of series grows
with traffic (BR-14: a context or message label multiplied series by the number
of datasets). So:

- ``module`` is the error's module when the registry knows it, else
  :data:`UNREGISTERED`;
- ``code`` is the code (``"120"``) when it lies in its registered module's range,
  else :data:`UNREGISTERED`; uncoded exceptions share that one bucket too;
- ``category`` and ``severity`` are enum values; an exception that is not a
  coded error is an unexpected failure, so it is ``internal`` / ``error``
  whatever builtin it is (a bare ``KeyError`` is not a classified "not found"),
  as its HTTP problem answers it;
- nothing is ever taken from the message, ``repr`` or context values.

Only the exception itself is looked at, not its chain: the metric describes what
was raised, as the log line does.

Labels are worked out once per kind of error and then cached with the counter
children, so the registry should be loaded before the first error is recorded; a
module declared later keeps counting as ``unregistered`` until
``errkit.configure_metrics()`` rebuilds the counters.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from errkit.runtime._core import CodedError, is_registered, uncoded_defaults

__all__ = ["OTHER", "UNREGISTERED", "Labels", "error_key", "labels_for"]

#: The bucket for modules and codes outside the registry, and uncoded errors.
UNREGISTERED = "unregistered"
#: The context label used once the configured number of contexts is reached.
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Labels:
    """The label values of one kind of error, and whether it is retryable."""

    module: str
    code: str
    category: str
    severity: str
    retryable: bool
    #: ``module:code`` for log messages, or None when uncoded.
    display: str | None


#: The labels of every exception that is not a coded error.
_UNCODED = Labels(UNREGISTERED, UNREGISTERED, *uncoded_defaults(), None)


def error_key(exc: BaseException) -> Hashable:
    """A cheap key such that equal keys always mean equal labels.

    Recording builds it on every call to find its cached counter children, so it
    reads a few attributes and nothing else.
    """
    if isinstance(exc, CodedError):
        return (exc.module, exc.code, exc.category, exc.severity, exc.retryable)
    # Every uncoded exception has the same labels, so one key serves them all.
    return _UNCODED


def labels_for(exc: BaseException) -> Labels:
    """The label values of ``exc`` (see the module docstring for the rules)."""
    if isinstance(exc, CodedError):
        return _coded_labels(exc)
    return _UNCODED


def _coded_labels(exc: CodedError) -> Labels:
    module, code = exc.module, exc.code
    registered = module is not None and is_registered(module, code)
    known_module = module is not None and is_registered(module, None)
    return Labels(
        module=module if module is not None and known_module else UNREGISTERED,
        code=str(code) if registered and code is not None else UNREGISTERED,
        category=str(getattr(exc.category, "value", exc.category)),
        severity=str(getattr(exc.severity, "value", exc.severity)),
        retryable=bool(exc.retryable),
        display=exc.code_str if code is not None else None,
    )
