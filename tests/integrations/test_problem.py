"""Tests for errkit.runtime.problem: the status table, bodies, redaction, logging."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

import errkit
from errkit.runtime.problem import (
    GENERIC_DETAIL,
    JSON_MEDIA_TYPE,
    PROBLEM_MEDIA_TYPE,
    ProblemMapper,
    log_problem,
)
from errkit.runtime.retry_after import retry_after_seconds
from integrations.errors import (
    CASE_IDS,
    CASES,
    CORRELATION_ID,
    DSN,
    Case,
    LedgerCorrupt,
    OutOfStock,
    PickTimeout,
    SkuMissing,
    SupplierDown,
    TooManyPicks,
    fixed_mapper,
)


class TestProblemMapper:
    @pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
    def test_case(self, case: Case) -> None:
        """Each category gets its status, headers and exact body."""
        problem = fixed_mapper().problem(case.make(), instance="/boom")
        assert problem.status == case.status
        assert problem.content_type == PROBLEM_MEDIA_TYPE
        assert {k.lower(): v for k, v in problem.headers.items()} == case.headers
        assert json.loads(problem.to_json()) == case.body

    def test_without_type_base(self) -> None:
        """Without a configured base, type is about:blank."""
        problem = ProblemMapper().problem(SkuMissing("gone"))
        assert problem.body["type"] == "about:blank"
        assert "instance" not in problem.body

    def test_default_correlation_id_is_uuid_hex(self) -> None:
        """A redacted problem gets a fresh 32-hex-digit correlation id each time."""
        mapper = ProblemMapper()
        first = mapper.problem(RuntimeError("x")).correlation_id
        second = mapper.problem(RuntimeError("x")).correlation_id
        assert first is not None and re.fullmatch(r"[0-9a-f]{32}", first)
        assert first != second

    def test_status_overrides(self) -> None:
        """Per-code overrides beat per-category ones, which beat the table."""
        mapper = ProblemMapper(
            status_by_category={"conflict": 422, "not_found": 410},
            status_by_code={"warehouse:120": 423},
        )
        assert mapper.status_for(OutOfStock("x")) == 423
        assert mapper.status_for(SkuMissing("x")) == 410
        assert mapper.status_for(ValueError("x")) == 500

    def test_override_rejects_non_error_status(self) -> None:
        """An override outside 400-599 is refused, naming the key and the value."""
        with pytest.raises(ValueError) as info:
            ProblemMapper(status_by_code={"warehouse:120": 200})
        assert str(info.value) == (
            "status_by_code['warehouse:120'] must be an HTTP error status from 400 to "
            "599, got 200"
        )

    def test_envelope(self) -> None:
        """The envelope form nests the same members under "error" as plain JSON."""
        problem = fixed_mapper(envelope=True).problem(
            OutOfStock("only 2 left", context={"sku": "A-1"})
        )
        assert problem.content_type == JSON_MEDIA_TYPE
        assert json.loads(problem.to_json()) == {
            "error": {
                "type": "/errors/warehouse/120",
                "title": "Conflict",
                "status": 409,
                "detail": "only 2 left",
                "code": "warehouse:120",
                "category": "conflict",
                "retryable": False,
                "sku": "A-1",
            }
        }

    def test_public_message_replaces_detail(self) -> None:
        """A class's public_message is the detail instead of its message."""

        class Quota(errkit.RateLimitError, public_message="quota used up"):
            pass

        problem = ProblemMapper().problem(Quota("tenant 42 used 1000/1000"))
        assert problem.body["detail"] == "quota used up"

    def test_wrapper_shows_inner_code(self) -> None:
        """A wrapper from errkit.wrap answers with the code found in its chain."""
        wrapped = errkit.wrap(SkuMissing("no A-1"), "loading the order failed")
        problem = fixed_mapper().problem(wrapped)
        assert (problem.status, problem.body["code"], problem.body["detail"]) == (
            404,
            "warehouse:110",
            "loading the order failed",
        )

    def test_internal_type_with_other_category_is_redacted(self) -> None:
        """A wrapper that is an InternalError keeps the inner status but no detail."""
        inner = RuntimeError("job failed")
        inner.__cause__ = OutOfStock("only 2 left", context={"sku": "A-1"})
        wrapped = errkit.wrap(inner, "settling failed")
        problem = fixed_mapper().problem(wrapped)
        assert isinstance(wrapped, errkit.InternalError)
        assert (problem.status, problem.body["detail"], "sku" in problem.body) == (
            409,
            GENERIC_DETAIL,
            False,
        )

    def test_external_keeps_safe_fields_not_message(self) -> None:
        """A 5xx external error loses its message but keeps its safe fields."""
        problem = fixed_mapper().problem(
            SupplierDown(f"connect to {DSN} failed", service="supplier")
        )
        assert (problem.body["detail"], problem.body["service"]) == (
            GENERIC_DETAIL,
            "supplier",
        )

    def test_safe_field_cannot_replace_member(self) -> None:
        """A safe context field named like a standard member never replaces it."""
        err = OutOfStock("x", context={"status": 200, "sku": "A"}, safe=["status"])
        assert ProblemMapper().problem(err).body["status"] == 409


def _raised_from(exc: BaseException, cause: BaseException) -> BaseException:
    exc.__cause__ = cause
    return exc


class TestRedaction:
    @pytest.mark.parametrize(
        "exc",
        [
            LedgerCorrupt(f"ledger unreadable via {DSN}", context={"dsn": DSN}),
            RuntimeError(f"connect failed: {DSN}"),
            SupplierDown(f"connect to {DSN} failed", context={"dsn": DSN}),
            PickTimeout(f"no answer from {DSN}", context={"dsn": DSN}),
            errkit.wrap(
                _raised_from(RuntimeError(f"job failed on {DSN}"), OutOfStock("x")),
                f"settling failed on {DSN}",
            ),
        ],
        ids=["internal", "uncoded", "external", "timeout", "internal-type-wrap"],
    )
    def test_nothing_internal_in_body(self, exc: BaseException) -> None:
        """Message, context, cause, class name and paths stay out of the body."""
        if exc.__cause__ is None:
            exc.__cause__ = OSError(f"{DSN} refused")
        text = ProblemMapper().problem(exc).to_json().decode()
        for leak in (
            "s3cr3t",
            "postgresql",
            "LedgerCorrupt",
            "RuntimeError",
            "OSError",
            "SupplierDown",
            "PickTimeout",
            ".py",
            "Traceback",
            "dsn",
        ):
            assert leak not in text
        assert json.loads(text)["detail"] == GENERIC_DETAIL


class TestLogProblem:
    def test_correlation_id_on_record(self, caplog: pytest.LogCaptureFixture) -> None:
        """The ERROR record carries the body's correlation id and the full message."""
        try:
            raise LedgerCorrupt(f"ledger unreadable via {DSN}")
        except LedgerCorrupt as exc:
            problem = ProblemMapper().problem(exc)
        with caplog.at_level(logging.INFO, logger="errkit.http"):
            log_problem(problem)
        [record] = caplog.records
        assert record.levelno == logging.ERROR
        correlation_id = record.correlation_id  # type: ignore[attr-defined]
        assert correlation_id == problem.body["correlation_id"]
        assert record.error_code == "warehouse:160"  # type: ignore[attr-defined]
        assert record.exc_info is not None and record.exc_info[1] is problem.exception
        assert DSN in str(record.exc_info[1])

    def test_client_error_logged_at_info(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A 4xx is logged at INFO without a traceback."""
        with caplog.at_level(logging.INFO, logger="errkit.http"):
            log_problem(ProblemMapper().problem(SkuMissing("gone")))
        [record] = caplog.records
        assert (record.levelno, record.getMessage(), record.exc_info) == (
            logging.INFO,
            "request rejected with 404: warehouse:110",
            None,
        )


class TestRetryAfter:
    NOW = 1_700_000_000.0

    @pytest.mark.parametrize(
        ("exc", "expected"),
        [
            (TooManyPicks("x", retry_after=12), 12.0),
            (TooManyPicks("x", retry_after=timedelta(minutes=2)), 120.0),
            (TooManyPicks("x", reset_at=NOW + 7.5), 7.5),
            (
                TooManyPicks("x", reset_at=datetime.fromtimestamp(NOW + 30, UTC)),
                30.0,
            ),
            (TooManyPicks("x", reset_at=NOW - 5), 0.0),
            (TooManyPicks("x", reset_at=datetime(2030, 1, 1)), None),
            (TooManyPicks("x"), None),
            (ValueError("x"), None),
        ],
        ids=[
            "seconds",
            "timedelta",
            "reset-timestamp",
            "reset-datetime",
            "reset-past",
            "naive-datetime",
            "none",
            "uncoded",
        ],
    )
    def test_delay(self, exc: BaseException, expected: float | None) -> None:
        """retry_after wins; reset_at counts from now; unknown gives None."""
        assert retry_after_seconds(exc, now=self.NOW) == expected

    def test_header_rounds_up(self) -> None:
        """A fractional delay is rounded up in Retry-After."""
        problem = ProblemMapper().problem(TooManyPicks("x", retry_after=1.2))
        assert (problem.headers, problem.body["retry_after"]) == (
            {"Retry-After": "2"},
            2,
        )

    def test_correlation_constant(self) -> None:
        """The fixed mapper used by the framework tests really is fixed."""
        assert fixed_mapper().problem(RuntimeError()).correlation_id == CORRELATION_ID
