"""The HTTP API through Flask's test client."""

from __future__ import annotations

import pytest

from bazaar.api import build_services, create_app
from bazaar.market import parse_order
from bazaar.mfa import totp

PASSPORT = {
    "type": "passport",
    "number": "C01X00T47",
    "country": "FR",
    "holder": "Grace Hopper",
    "expires": "2099-12-31",
}


@pytest.fixture
def services():
    s = build_services(sanctioned_names=["Mallory Moriarty"])
    yield s
    s.close()


@pytest.fixture
def client(services):
    app = create_app(services)
    return app.test_client()


@pytest.fixture
def buyer(client):
    client.post("/accounts", json={"account": "grace", "deposit": 10_000})
    client.post("/identity/grace", json=PASSPORT)
    return "grace"


def order(**overrides):
    data = {"account": "grace", "side": "buy", "gpu": "a100", "hours": 5, "price": 100}
    data.update(overrides)
    return data


class TestAccounts:
    def test_open_account(self, client):
        """POST /accounts opens an account with its deposit."""
        response = client.post("/accounts", json={"account": "a", "deposit": 50})
        assert (response.status_code, response.json) == (
            201,
            {"account": "a", "balance": 50},
        )

    def test_duplicate_account_is_400(self, client):
        """A second account of the same name is a 400 with the message."""
        client.post("/accounts", json={"account": "a"})
        response = client.post("/accounts", json={"account": "a"})
        assert (response.status_code, response.json) == (
            400,
            {"error": "account a already exists"},
        )

    def test_non_json_body_is_400(self, client):
        """A body that is not a JSON object is a 400."""
        response = client.post("/accounts", data="x", content_type="text/plain")
        assert (response.status_code, response.json) == (
            400,
            {"error": "request body must be a JSON object"},
        )


class TestIdentity:
    def test_sanctioned_user_is_422(self, client):
        """A sanctions hit is a 422 with the safe reason only."""
        response = client.post("/identity/m", json={**PASSPORT, "holder": "Mallory Moriarty"})
        assert (response.status_code, response.json) == (
            422,
            {"error": "sanctions screening"},
        )

    def test_bad_document_is_400(self, client):
        """A malformed document is a 400 naming the problem."""
        response = client.post("/identity/x", json={**PASSPORT, "expires": "soon"})
        assert (response.status_code, response.json) == (
            400,
            {"error": "expires is not an ISO date: 'soon'"},
        )


class TestOrders:
    def test_place_and_get_order(self, client, buyer):
        """A verified buyer's order is placed and can be read back."""
        response = client.post("/orders", json=order())
        assert response.status_code == 201
        order_id = response.json["order"]["id"]
        fetched = client.get(f"/orders/{order_id}")
        assert (fetched.status_code, fetched.json["hours"]) == (200, 5)

    def test_unverified_buyer_is_403(self, client):
        """An order from an unverified account is a 403."""
        client.post("/accounts", json={"account": "eve", "deposit": 1000})
        response = client.post("/orders", json=order(account="eve"))
        assert (response.status_code, response.json) == (
            403,
            {"error": "user eve is not verified"},
        )

    def test_invalid_order_is_400(self, client, buyer):
        """A zero-hour order is a 400 with the validation message."""
        response = client.post("/orders", json=order(hours=0))
        assert (response.status_code, response.json) == (
            400,
            {"error": "quantity must be positive"},
        )

    def test_insufficient_funds_is_402(self, client, buyer):
        """An order beyond the balance is a 402 with the amounts."""
        response = client.post("/orders", json=order(hours=1000))
        assert (response.status_code, response.json) == (
            402,
            {"error": "insufficient funds in grace: need 100000, have 10000"},
        )

    def test_closed_market_is_503(self, client, services, buyer):
        """An order into a halted market is a 503."""
        services.market.book("a100").halt()
        response = client.post("/orders", json=order())
        assert (response.status_code, response.json) == (
            503,
            {"error": "market a100 is closed"},
        )

    def test_unknown_order_is_404(self, client):
        """GET of an unknown order is a 404."""
        response = client.get("/orders/ord-0")
        assert (response.status_code, response.json) == (
            404,
            {"error": "order ord-0 not found"},
        )

    def test_cancel_unknown_order_is_404(self, client):
        """DELETE of an unknown order is a 404 with the unquoted message."""
        response = client.delete("/orders/a100/ord-0")
        assert (response.status_code, response.json) == (
            404,
            {"error": "order ord-0 not found"},
        )

    def test_trade_notifies_seller(self, client, services, buyer):
        """A trade queues a webhook notification to the seller."""
        services.ledger.open_account("prov")
        services.market.submit(parse_order(order(account="prov", side="sell", price=80)))
        response = client.post("/orders", json=order())
        assert len(response.json["trades"]) == 1
        services.notifier.flush()
        webhook = services.notifier.channel("webhook")
        assert webhook.sent == [("prov", "sold 5 h of a100", "")]


class TestHolds:
    @pytest.fixture
    def hold(self, services):
        services.ledger.open_account("ada", 1_000)
        return services.escrow.place_hold("ada", 300, ttl=60)

    def test_release_needs_mfa_enrolment(self, client, hold):
        """Releasing without MFA enrolment is a 404 naming the enrolment."""
        response = client.post(f"/holds/{hold.id}/release", json={"user": "ada"})
        assert (response.status_code, response.json) == (
            404,
            {"error": "user ada is not enrolled in MFA"},
        )

    def test_release_with_mfa(self, client, services, hold):
        """A valid MFA code releases the hold; a second release is a 409."""
        secret, _ = services.mfa.enroll("ada")
        now = services.mfa._clock()
        services.mfa.confirm("ada", totp(secret, now))
        response = client.post(
            f"/holds/{hold.id}/release", json={"user": "ada", "code": totp(secret, now)}
        )
        assert (response.status_code, response.json) == (
            200,
            {"hold": hold.id, "refund": 300},
        )
        services.mfa._enrollments["ada"].last_counter = -1  # allow this step again
        again = client.post(
            f"/holds/{hold.id}/release", json={"user": "ada", "code": totp(secret, now)}
        )
        assert (again.status_code, again.json) == (
            409,
            {"error": f"hold {hold.id} is already released"},
        )

    def test_wrong_code_is_401(self, client, services, hold):
        """A wrong MFA code is a 401."""
        secret, _ = services.mfa.enroll("ada")
        services.mfa.confirm("ada", totp(secret, services.mfa._clock()))
        response = client.post(f"/holds/{hold.id}/release", json={"user": "ada", "code": "000000"})
        assert (response.status_code, response.json) == (
            401,
            {"error": "invalid mfa code"},
        )

    def test_missing_user_is_400(self, client, hold):
        """A release body without a user is a 400."""
        response = client.post(f"/holds/{hold.id}/release", json={})
        assert (response.status_code, response.json) == (
            400,
            {"error": "user is required"},
        )


class TestOperations:
    def test_health(self, client):
        """GET /health is ok."""
        assert client.get("/health").json == {"status": "ok"}

    def test_metrics_count_requests(self, client):
        """/metrics exposes request counts labelled by endpoint and status."""
        client.get("/health")
        text = client.get("/metrics").get_data(as_text=True)
        samples = [
            line for line in text.splitlines() if line.startswith("bazaar_http_requests_total{")
        ]
        health = [
            line
            for line in samples
            if {'endpoint="health"', 'method="GET"', 'status="200"'}
            <= set(line[line.index("{") + 1 : line.index("}")].split(","))
        ]
        assert len(health) == 1
        assert float(health[0].rsplit(" ", 1)[1]) >= 1.0

    def test_unexpected_error_is_500(self, client, services, buyer, monkeypatch):
        """An unexpected exception is a 500 that does not leak the error's text."""

        def broken(order):
            raise AttributeError("'NoneType' object has no attribute 'price'")

        monkeypatch.setattr(services.market, "submit", broken)
        response = client.post("/orders", json=order())
        assert response.status_code == 500
        assert "NoneType" not in response.get_data(as_text=True)
