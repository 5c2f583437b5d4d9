"""Tests for errkit.integrations.flask through Flask's own test client."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from flask import Flask, abort

import errkit
from errkit.integrations.flask import install
from errkit.runtime.problem import GENERIC_DETAIL, ProblemMapper
from errkit.runtime.problem_client import error_from_problem
from integrations.conftest import Counts
from integrations.errors import (
    CASE_IDS,
    CASES,
    CYCLES,
    DSN,
    Case,
    LedgerCorrupt,
    OutOfStock,
    fixed_mapper,
)


def make_app(
    fail: Callable[[], BaseException], mapper: ProblemMapper | None = None
) -> Flask:
    """An app whose /boom view raises what ``fail`` makes."""
    app = Flask("errkit_flask_test")
    app.testing = True  # Flask must still answer through the handler, not re-raise

    @app.get("/boom")
    def boom() -> str:
        raise fail()

    @app.get("/forbidden")
    def forbidden() -> str:
        abort(403)

    install(app, mapper=mapper)
    return app


class TestCategories:
    @pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
    def test_status_type_and_body(self, case: Case) -> None:
        """Each category answers with its status, problem+json and the exact body."""
        response = make_app(case.make, fixed_mapper()).test_client().get("/boom")
        assert response.status_code == case.status
        assert response.content_type == "application/problem+json"
        assert response.get_json(force=True) == case.body
        for name, value in case.headers.items():
            assert response.headers[name] == value

    def test_werkzeug_http_errors_untouched(self) -> None:
        """abort() and unknown URLs keep Flask's own answers."""
        client = make_app(lambda: OutOfStock("x")).test_client()
        assert client.get("/forbidden").status_code == 403
        assert client.get("/nowhere").status_code == 404
        assert client.get("/nowhere").content_type.startswith("text/html")


class TestRedactionAndCorrelation:
    @pytest.mark.parametrize(
        "fail",
        [
            lambda: LedgerCorrupt(f"ledger unreadable via {DSN}"),
            lambda: RuntimeError(f"connect failed: {DSN}"),
        ],
        ids=["internal", "uncoded"],
    )
    def test_correlation_id_shared_with_log(
        self, fail: Callable[[], BaseException], caplog: pytest.LogCaptureFixture
    ) -> None:
        """The body hides the password; its correlation id is on the ERROR record."""
        client = make_app(fail).test_client()
        with caplog.at_level(logging.INFO, logger="errkit.http"):
            response = client.get("/boom")
        text = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "s3cr3t" not in text and "postgresql" not in text
        body = response.get_json(force=True)
        assert body["detail"] == GENERIC_DETAIL
        assert re.fullmatch(r"[0-9a-f]{32}", body["correlation_id"])

        [record] = [r for r in caplog.records if r.name == "errkit.http"]
        assert record.correlation_id == body["correlation_id"]
        assert record.exc_info is not None and DSN in str(record.exc_info[1])

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cyclic_chain_gets_its_500(self, name: str) -> None:
        """BR-11: a request that raised a cyclic chain still gets its 500."""

        def fail() -> BaseException:
            try:
                CYCLES[name]()
            except BaseException as exc:  # noqa: BLE001
                return exc
            raise AssertionError

        response = make_app(fail).test_client().get("/boom")
        assert response.status_code == 500


class TestClientRoundTrip:
    def test_back_to_the_coded_error(self) -> None:
        """The client turns the response body back into the raised class."""
        client = make_app(
            lambda: OutOfStock("only 2 left", context={"sku": "A-1"})
        ).test_client()
        error = error_from_problem(client.get("/boom").get_data())
        assert isinstance(error, OutOfStock)
        assert (error.code_str, str(error), error.context["sku"]) == (
            "warehouse:120",
            "only 2 left",
            "A-1",
        )


class TestMetrics:
    def test_each_failure_counted_once(self, counts: Counts) -> None:
        """Every answered error is counted once in errkit's error counter."""
        client = make_app(lambda: OutOfStock("only 2 left")).test_client()
        client.get("/boom")
        client.get("/boom")
        client.get("/forbidden")  # Flask's own HTTP error: not an errkit failure
        assert counts("warehouse:120", "conflict", "warning") == 2.0

    def test_only_coded_errors(self) -> None:
        """handle=(CodedError,) leaves other exceptions to the app's own handler."""
        app = make_app(lambda: RuntimeError("legacy"), fixed_mapper())
        app.extensions.clear()
        app.error_handler_spec.clear()

        @app.errorhandler(Exception)
        def legacy(error: Exception) -> tuple[str, int]:
            return "legacy handler", 500

        install(app, handle=(errkit.CodedError,))
        response = app.test_client().get("/boom")
        assert (response.status_code, response.get_data(as_text=True)) == (
            500,
            "legacy handler",
        )
