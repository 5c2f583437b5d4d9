"""Tests for errkit.integrations.fastapi through FastAPI's own TestClient."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from errkit.integrations.fastapi import ProblemMiddleware, install, problem_handler
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
) -> FastAPI:
    """An app whose /boom route raises what ``fail`` makes; /ok answers normally."""
    app = FastAPI()

    @app.get("/boom")
    async def boom() -> None:
        raise fail()

    @app.get("/sync-boom")
    def sync_boom() -> None:
        raise fail()

    @app.get("/ok")
    async def ok() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(status_code=418, detail="short and stout")

    install(app, mapper=mapper)
    return app


class TestCategories:
    @pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
    def test_status_type_and_body(self, case: Case) -> None:
        """Each category answers with its status, problem+json and the exact body."""
        client = TestClient(make_app(case.make, fixed_mapper()))
        response = client.get("/boom")
        assert response.status_code == case.status
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json() == case.body
        for name, value in case.headers.items():
            assert response.headers[name] == value

    def test_sync_route(self) -> None:
        """A sync route (run in the thread pool) is answered the same way."""
        client = TestClient(make_app(lambda: OutOfStock("only 2 left"), fixed_mapper()))
        response = client.get("/sync-boom")
        assert (response.status_code, response.json()["code"]) == (409, "warehouse:120")

    def test_framework_http_errors_untouched(self) -> None:
        """FastAPI's own HTTPException and unknown routes keep their usual answers."""
        client = TestClient(make_app(lambda: OutOfStock("x")))
        assert client.get("/teapot").json() == {"detail": "short and stout"}
        assert client.get("/nowhere").status_code == 404
        assert client.get("/ok").json() == {"ok": "yes"}

    def test_envelope(self) -> None:
        """The envelope mapper answers application/json with an "error" object."""
        client = TestClient(
            make_app(lambda: OutOfStock("only 2 left"), fixed_mapper(envelope=True))
        )
        response = client.get("/boom")
        assert response.headers["content-type"] == "application/json"
        assert response.json()["error"]["code"] == "warehouse:120"


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
        client = TestClient(make_app(fail))
        with caplog.at_level(logging.INFO, logger="errkit.http"):
            response = client.get("/boom")
        assert response.status_code == 500
        assert "s3cr3t" not in response.text and "postgresql" not in response.text
        body = response.json()
        assert body["detail"] == GENERIC_DETAIL
        assert re.fullmatch(r"[0-9a-f]{32}", body["correlation_id"])

        [record] = [r for r in caplog.records if r.name == "errkit.http"]
        assert record.levelno == logging.ERROR
        assert record.correlation_id == body["correlation_id"]
        assert record.exc_info is not None and DSN in str(record.exc_info[1])

    @pytest.mark.parametrize("name", sorted(CYCLES))
    def test_cyclic_chain_gets_its_500(
        self, name: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """BR-11: a request that raised a cyclic chain gets its 500 and its record."""

        def fail() -> BaseException:
            try:
                CYCLES[name]()
            except BaseException as exc:  # noqa: BLE001
                return exc
            raise AssertionError

        client = TestClient(make_app(fail))
        with caplog.at_level(logging.INFO, logger="errkit.http"):
            response = client.get("/boom")
        assert response.status_code == 500
        assert response.json()["detail"] == GENERIC_DETAIL
        assert len([r for r in caplog.records if r.name == "errkit.http"]) == 1


class TestClientRoundTrip:
    def test_back_to_the_coded_error(self) -> None:
        """The client turns the response body back into the raised class."""
        client = TestClient(
            make_app(lambda: OutOfStock("only 2 left", context={"sku": "A-1"}))
        )
        error = error_from_problem(client.get("/boom").content)
        assert isinstance(error, OutOfStock)
        assert (error.code_str, str(error), error.context["sku"]) == (
            "warehouse:120",
            "only 2 left",
            "A-1",
        )


class TestMetrics:
    def test_each_failure_counted_once(self, counts: Counts) -> None:
        """Handled and escaped errors are each counted once; successes not at all."""
        client = TestClient(make_app(lambda: OutOfStock("only 2 left")))
        client.get("/boom")
        client.get("/sync-boom")
        client.get("/ok")
        assert counts("warehouse:120", "conflict", "warning") == 2.0

        client = TestClient(make_app(lambda: RuntimeError("x")))
        client.get("/boom")  # escapes the handlers: answered by the middleware
        assert counts("unregistered:unregistered", "internal", "error") == 1.0


class TestWiring:
    def test_handler_without_middleware(self) -> None:
        """problem_handler alone (no middleware) answers Exception too."""
        app = FastAPI()

        @app.get("/boom")
        async def boom() -> None:
            raise RuntimeError("x")

        app.add_exception_handler(Exception, problem_handler)
        response = TestClient(app, raise_server_exceptions=False).get("/boom")
        assert (response.status_code, response.json()["detail"]) == (
            500,
            GENERIC_DETAIL,
        )

    def test_middleware_passes_non_http(self) -> None:
        """Lifespan and other non-HTTP scopes go straight through."""
        seen = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["type"])

        asyncio.run(ProblemMiddleware(app)({"type": "lifespan"}, None, None))
        assert seen == ["lifespan"]
