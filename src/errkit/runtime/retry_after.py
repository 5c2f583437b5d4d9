"""How long a caller should wait before retrying, as an error says it.

Rate-limit and external errors may carry a ``retry_after`` (seconds, or a
:class:`~datetime.timedelta`) or a ``reset_at`` (an aware :class:`~datetime.datetime`
or a POSIX timestamp), as attributes or context fields. HTTP ``Retry-After``
headers and the tenacity wait strategy both read them through
:func:`retry_after_seconds`, so a service and its clients agree on the delay.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

__all__ = ["retry_after_seconds"]


def _lookup(exc: BaseException, name: str) -> Any:
    value = getattr(exc, name, None)
    if value is None:
        context = getattr(exc, "context", None)
        if isinstance(context, Mapping):
            value = context.get(name)
    return value


def _seconds(value: Any, now: float) -> float | None:
    if isinstance(value, bool):  # a bool is an int, but never a delay
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return None  # a naive time could be any zone; guessing could stall
        return value.timestamp() - now
    return None


def retry_after_seconds(
    exc: BaseException, *, now: float | None = None
) -> float | None:
    """Seconds to wait before retrying after ``exc``, or ``None`` if it does not say.

    ``retry_after`` wins over ``reset_at``; a reset time in the past gives ``0.0``.
    ``now`` (a POSIX timestamp) is for tests; it defaults to the current time.
    """
    current = time.time() if now is None else now
    delay = _seconds(_lookup(exc, "retry_after"), current)
    if delay is None:
        reset = _lookup(exc, "reset_at")
        if isinstance(reset, (int, float)) and not isinstance(reset, bool):
            delay = float(reset) - current  # a number here is a timestamp
        else:
            delay = _seconds(reset, current)
    if delay is None:
        return None
    return max(delay, 0.0)
