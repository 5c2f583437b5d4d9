"""Tests for errkit.runtime.problem_client: problem documents back to coded errors."""

from __future__ import annotations

import json

import pytest

import errkit
from errkit.runtime.problem import GENERIC_DETAIL
from errkit.runtime.problem_client import error_from_problem
from integrations.errors import (
    CASE_IDS,
    CASES,
    CORRELATION_ID,
    Case,
    OutOfStock,
    TooManyPicks,
    fixed_mapper,
)


class Picky(errkit.ConflictError, module="warehouse", code=121):
    """A kind whose __init__ needs more than a message."""

    def __init__(self, message: str, *, bin_id: int) -> None:
        super().__init__(message)
        self.bin_id = bin_id


class TestErrorFromProblem:
    @pytest.mark.parametrize(
        "case",
        [c for c in CASES if c.name != "uncoded"],
        ids=[i for i in CASE_IDS if i != "uncoded"],
    )
    def test_round_trip(self, case: Case) -> None:
        """Each coded problem comes back as the very class that was raised."""
        original = case.make()
        body = fixed_mapper().problem(original).to_json()
        back = error_from_problem(body)
        assert type(back) is type(original)
        assert back.code_str == original.code_str  # type: ignore[attr-defined]
        assert str(back) == case.body["detail"]

    def test_safe_fields_in_context(self) -> None:
        """Safe fields, correlation id, delay and status land in the context."""
        body = fixed_mapper().problem(
            TooManyPicks("slow down", limit=10, retry_after=12)
        )
        back = error_from_problem(body.body)
        assert isinstance(back, TooManyPicks)
        assert back.context == {"limit": 10, "retry_after": 12, "http_status": 429}
        assert back.retry_after == 12

    def test_envelope(self) -> None:
        """The envelope form restores the same error."""
        body = fixed_mapper(envelope=True).problem(
            OutOfStock("only 2 left", context={"sku": "A"})
        )
        back = error_from_problem(body.to_json())
        assert (type(back), str(back), back.context["sku"]) == (
            OutOfStock,
            "only 2 left",
            "A",
        )

    def test_unknown_code_is_ad_hoc(self) -> None:
        """A code the client lacks gives the category type carrying that code."""
        back = error_from_problem(
            {
                "status": 404,
                "detail": "no bin 9",
                "code": "racks:310",
                "category": "not_found",
            }
        )
        assert type(back) is errkit.NotFoundError
        assert (back.code_str, str(back)) == ("racks:310", "no bin 9")
        assert isinstance(back, LookupError)

    def test_uncoded_is_internal(self) -> None:
        """A redacted problem without a code comes back as an InternalError."""
        back = error_from_problem(fixed_mapper().problem(RuntimeError("x")).body)
        assert type(back) is errkit.InternalError
        assert str(back) == GENERIC_DETAIL
        assert back.context["correlation_id"] == CORRELATION_ID

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (400, errkit.ValidationError),
            (401, errkit.UnauthorizedError),
            (403, errkit.UnauthorizedError),
            (404, errkit.NotFoundError),
            (409, errkit.ConflictError),
            (429, errkit.RateLimitError),
            (502, errkit.ExternalError),
            (503, errkit.ExternalError),
            (504, errkit.TimeoutError),
            (500, errkit.InternalError),
            (418, errkit.InternalError),
        ],
        ids=lambda v: str(v) if isinstance(v, int) else v.__name__,
    )
    def test_missing_category_is_inferred_from_status(
        self, status: int, expected: type[errkit.CodedError]
    ) -> None:
        """Without a category, the status picks the type by the inverse table."""
        document = {"code": "racks:120", "status": status, "detail": "x"}
        back = error_from_problem(document)
        assert (type(back), back.code_str, str(back), back.context) == (
            expected,
            "racks:120",
            "x",
            {"http_status": status},
        )

    def test_category_wins_over_status(self) -> None:
        """A category the document names is used even if the status says otherwise."""
        back = error_from_problem(
            {"code": "racks:120", "status": 409, "category": "state", "detail": "x"}
        )
        assert type(back) is errkit.StateError

    def test_no_category_and_no_status_is_internal(self) -> None:
        """With neither category nor an integer status the error is internal."""
        back = error_from_problem({"code": "racks:120", "status": "409", "detail": "x"})
        assert type(back) is errkit.InternalError

    def test_class_with_required_init_parameter(self) -> None:
        """A class whose __init__ needs more than a message still comes back."""
        body = json.dumps(
            {
                "status": 409,
                "detail": "bin full",
                "code": "warehouse:121",
                "category": "conflict",
            }
        )
        back = error_from_problem(body)
        assert (type(back), str(back)) == (Picky, "bin full")

    def test_rejects_non_object(self) -> None:
        """A JSON document that is not an object is refused by type."""
        with pytest.raises(TypeError) as info:
            error_from_problem("[1, 2]")
        assert str(info.value) == "document must be a JSON object, got 'list'"
