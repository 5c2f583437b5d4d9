"""tenacity strategies that follow what errkit errors say about retrying.

Usage::

    from tenacity import retry, stop_after_attempt, wait_exponential
    from errkit.integrations.tenacity import retry_if_retryable, wait_retry_after

    @retry(
        retry=retry_if_retryable(),
        wait=wait_retry_after(fallback=wait_exponential(max=30)),
        stop=stop_after_attempt(5),
    )
    def fetch_quote(): ...

:class:`retry_if_retryable` retries exactly the attempts that failed with an error
:func:`errkit.is_retryable` accepts (timeouts, external and rate-limit errors by
default; per class and per raise overridable), never a successful attempt.
:class:`wait_retry_after` waits as long as the error asks (``retry_after`` or a
rate limit's ``reset_at``, see :mod:`errkit.runtime.retry_after`), else as long as
the fallback strategy says. The names follow tenacity's own lower-case style, so
they compose with ``|``, ``&`` and ``+`` like tenacity's strategies.

Needs the ``tenacity`` extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from errkit.core import is_retryable, walk
from errkit.integrations._common import require
from errkit.runtime.retry_after import retry_after_seconds

tenacity = require("tenacity", "tenacity")

__all__ = ["retry_if_retryable", "wait_retry_after"]


def _failure(retry_state: Any) -> BaseException | None:
    outcome = retry_state.outcome
    if outcome is None or not outcome.failed:
        return None
    exc = outcome.exception()
    return exc if isinstance(exc, BaseException) else None


class retry_if_retryable(tenacity.retry_base):  # type: ignore[misc,name-defined]
    """Retry when the attempt raised an error that errkit marks retryable."""

    def __call__(self, retry_state: Any) -> bool:
        exc = _failure(retry_state)
        return exc is not None and is_retryable(exc)


class wait_retry_after(tenacity.wait.wait_base):  # type: ignore[misc,name-defined]
    """Wait the delay the failed attempt's error asks for, else the fallback's.

    The first error in the chain that names a delay wins. ``max_wait`` caps the
    delay, so a misbehaving upstream asking for an hour cannot stall a worker.
    """

    def __init__(
        self,
        fallback: Callable[[Any], float] | None = None,
        *,
        max_wait: float | None = None,
    ) -> None:
        if max_wait is not None and max_wait < 0:
            msg = f"max_wait must be zero or more, got {max_wait!r}"
            raise ValueError(msg)
        self.fallback = fallback
        self.max_wait = max_wait

    def __call__(self, retry_state: Any) -> float:
        exc = _failure(retry_state)
        delay = None
        if exc is not None:
            for linked in walk(exc):
                delay = retry_after_seconds(linked)
                if delay is not None:
                    break
        if delay is None:
            delay = 0.0 if self.fallback is None else float(self.fallback(retry_state))
        if self.max_wait is not None:
            delay = min(delay, self.max_wait)
        return delay
