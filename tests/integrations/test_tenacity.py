"""Tests for errkit.integrations.tenacity: retry exactly the retryable errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import tenacity

import errkit
from errkit.integrations.tenacity import retry_if_retryable, wait_retry_after
from integrations.errors import OutOfStock, PickTimeout, SupplierDown, TooManyPicks


def attempts(
    errors: list[BaseException], **options: object
) -> tuple[int, list[float], BaseException | str]:
    """Run a function failing with ``errors`` in turn (then succeeding) under tenacity.

    Returns the number of calls, the waits tenacity chose and the outcome.
    """
    calls = 0
    sleeps: list[float] = []

    def work() -> str:
        nonlocal calls
        calls += 1
        if calls <= len(errors):
            raise errors[calls - 1]
        return "done"

    options.setdefault("retry", retry_if_retryable())
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(5),
        sleep=sleeps.append,
        reraise=True,
        **options,  # type: ignore[arg-type]
    )
    try:
        outcome: BaseException | str = retrying(work)
    except Exception as exc:  # noqa: BLE001
        outcome = exc
    return calls, sleeps, outcome


class TestRetryIfRetryable:
    @pytest.mark.parametrize(
        ("make", "calls"),
        [
            (lambda: SupplierDown("down"), 2),
            (lambda: PickTimeout("slow"), 2),
            (lambda: TooManyPicks("slow down"), 2),
            (lambda: TimeoutError("builtin timeout"), 2),
            (lambda: OutOfStock("gone"), 1),
            (lambda: SupplierDown("down", retryable=False), 1),
            (lambda: ValueError("bad"), 1),
        ],
        ids=[
            "external",
            "timeout",
            "rate-limit",
            "builtin-timeout",
            "conflict",
            "marked-not-retryable",
            "uncoded",
        ],
    )
    def test_retries_exactly_retryable(
        self, make: Callable[[], BaseException], calls: int
    ) -> None:
        """A retryable failure is retried (then succeeds); others raise at once."""
        counted, _, outcome = attempts([make()])
        assert counted == calls
        if calls == 1:
            assert isinstance(outcome, BaseException)
        else:
            assert outcome == "done"

    def test_success_not_retried(self) -> None:
        """A successful first attempt is not repeated."""
        assert attempts([])[0] == 1

    def test_composes_with_tenacity(self) -> None:
        """The predicate combines with tenacity's own via |."""
        predicate = retry_if_retryable() | tenacity.retry_if_exception_type(KeyError)
        calls, _, outcome = attempts([KeyError("k")], retry=predicate)
        assert (calls, outcome) == (2, "done")


class TestWaitRetryAfter:
    def test_honours_retry_after(self) -> None:
        """The wait is the error's retry_after, not the fallback."""
        _, sleeps, _ = attempts(
            [TooManyPicks("slow down", retry_after=12), SupplierDown("down")],
            wait=wait_retry_after(fallback=tenacity.wait_fixed(1)),
        )
        assert sleeps == [12.0, 1.0]

    def test_honours_reset_at_in_chain(self) -> None:
        """A wrapped rate-limit error's reset time is found through the chain."""
        import time

        inner = TooManyPicks("slow down", reset_at=time.time() + 3600)
        _, sleeps, _ = attempts(
            [errkit.wrap(inner, "quote failed")], wait=wait_retry_after(max_wait=60)
        )
        assert sleeps == [60.0]

    def test_negative_cap_rejected(self) -> None:
        """A negative max_wait is refused with its value."""
        with pytest.raises(ValueError) as info:
            wait_retry_after(max_wait=-1)
        assert str(info.value) == "max_wait must be zero or more, got -1"
