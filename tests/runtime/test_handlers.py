"""Failure handlers: the default log record, user handlers, raising handlers."""

from __future__ import annotations

import logging
import threading

import pytest

import errkit
from errkit.runtime.handlers import report


class Throttled(errkit.RateLimitError, module="api.gateway", code=580):
    """Too many requests from one client."""


class TestDefaultHandler:
    """`log_failure` logs at ERROR on errkit.recovery with the traceback and fields."""

    def test_record_fields(self, errkit_log):
        """Message, level, logger, exc_info and the errkit_* attributes."""

        def work() -> None:
            raise Throttled("slow down", context={"client": "c-7"})

        errkit.start_thread(work, context="api:poll", name="poller").join()
        [record] = errkit_log.failures()
        assert record.name == "errkit.recovery"
        assert record.levelno == logging.ERROR
        assert record.getMessage() == (
            "thread 'poller' failed: api.gateway:580 (context api:poll)"
        )
        assert type(record.exc_info[1]) is Throttled
        assert (
            record.errkit_context,
            record.errkit_source,
            record.errkit_name,
            record.errkit_module,
            record.errkit_code,
            record.errkit_category,
            record.errkit_severity,
        ) == (
            "api:poll",
            "thread",
            "poller",
            "api.gateway",
            "580",
            "rate_limit",
            "warning",
        )

    @pytest.mark.parametrize(
        "exc",
        [ValueError("bad"), TypeError("odd"), KeyError("sku")],
        ids=["ValueError", "TypeError", "KeyError"],
    )
    def test_uncoded_failure_is_labelled_internal(self, errkit_log, exc):
        """An uncoded failure's record says internal/error, as its HTTP problem does."""

        def work() -> None:
            raise exc

        errkit.start_thread(work, context="m:uncoded").join()
        [record] = errkit_log.failures()
        assert (
            record.errkit_module,
            record.errkit_code,
            record.errkit_category,
            record.errkit_severity,
        ) == ("unregistered", "unregistered", "internal", "error")

    def test_formatted_record_holds_the_traceback(self, errkit_log):
        """Formatting the record prints the traceback with the failing frame."""

        def deep_failure() -> None:
            raise ValueError("deep")

        errkit.start_thread(deep_failure, context="m:deep").join()
        text = logging.Formatter().format(errkit_log.failures()[0])
        assert "Traceback (most recent call last)" in text
        assert "in deep_failure" in text
        assert "ValueError: deep" in text

    def test_removing_the_default_silences_the_log(self, errkit_log, metrics_registry):
        """Without log_failure, failures are still counted but not logged."""
        errkit.remove_failure_handler(errkit.log_failure)
        errkit.start_thread(lambda: 1 / 0, context="m:quiet").join()
        assert errkit_log.records == []
        assert metrics_registry.total("errors_total") == 1.0


class TestUserHandlers:
    """Users add their own handlers; a broken one is contained."""

    def test_handler_receives_the_failure(self):
        """A crash reporter gets a Failure with exception, context, source and name."""
        got: list[errkit.Failure] = []
        errkit.add_failure_handler(got.append)
        err = OSError("disk")

        def work() -> None:
            raise err

        errkit.start_thread(work, context="store:flush", name="flusher").join()
        assert got == [errkit.Failure(err, "store:flush", "thread", "flusher")]

    def test_adding_twice_calls_once(self):
        """The same handler added twice is called once per failure."""
        got: list[errkit.Failure] = []
        errkit.add_failure_handler(got.append)
        errkit.add_failure_handler(got.append)
        report(ValueError("x"), context="m:op", source="thread")
        assert len(got) == 1

    def test_raising_handler_is_logged_not_propagated(self, errkit_log):
        """A handler that raises is logged; the next handler still runs."""
        got: list[str] = []

        def broken(failure: errkit.Failure) -> None:
            raise RuntimeError("reporter down")

        errkit.add_failure_handler(broken)
        errkit.add_failure_handler(lambda f: got.append(f.context or ""))
        assert report(KeyError("k"), context="m:op", source="thread") is True
        assert got == ["m:op"]
        broken_records = [
            r
            for r in errkit_log.records
            if r.getMessage().startswith("failure handler")
        ]
        assert len(broken_records) == 1
        assert str(broken_records[0].exc_info[1]) == "reporter down"

    def test_remove_unknown_handler(self):
        """Removing a handler that was never added names it in the error."""

        def stranger(failure: errkit.Failure) -> None:
            return None

        with pytest.raises(ValueError) as info:
            errkit.remove_failure_handler(stranger)
        assert str(info.value) == (
            f"handler {stranger!r} is not a registered failure handler"
        )

    def test_handlers_run_in_the_failing_thread(self):
        """Handlers run in the thread that caught the failure."""
        names: list[str] = []
        errkit.add_failure_handler(
            lambda f: names.append(threading.current_thread().name)
        )
        errkit.start_thread(lambda: 1 / 0, context="m:t", name="failing").join()
        assert names == ["failing"]
