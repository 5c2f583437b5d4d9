"""The bundled example's Flask API answers migrated errors through errkit."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SERVICE = Path(__file__).resolve().parents[2] / "examples" / "service"


@pytest.fixture(name="app")
def fixture_app() -> Iterator[tuple[Any, Any]]:
    """The example's app with its services; the services are closed afterwards."""
    if str(SERVICE) not in sys.path:
        sys.path.insert(0, str(SERVICE))
    from bazaar.api import build_services, create_app

    services = build_services()
    yield create_app(services), services
    services.close()


class TestExampleApi:
    def test_migrated_error_is_problem(
        self, app: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A coded escrow error escaping a view becomes a problem+json 409."""
        from bazaar.escrow.errors import HoldExpired

        flask_app, services = app

        def expired(order_id: str) -> None:
            raise HoldExpired(f"hold for {order_id} expired")

        monkeypatch.setattr(services.market, "find_order", expired)
        response = flask_app.test_client().get("/orders/o-7")
        assert response.status_code == 409
        assert response.content_type == "application/problem+json"
        assert response.get_json(force=True) == {
            "type": "about:blank",
            "title": "Conflict",
            "status": 409,
            "detail": "hold for o-7 expired",
            "instance": "/orders/o-7",
            "code": "escrow:540",
            "category": "state",
            "retryable": False,
        }

    def test_legacy_errors_keep_legacy_handler(
        self, app: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An uncoded error still gets the app's own generic 500."""
        flask_app, services = app

        def broken(order_id: str) -> None:
            raise AttributeError("'NoneType' object has no attribute 'price'")

        monkeypatch.setattr(services.market, "find_order", broken)
        response = flask_app.test_client().get("/orders/o-7")
        assert (response.status_code, response.json) == (
            500,
            {"error": "internal error"},
        )
