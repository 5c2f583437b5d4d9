"""The Flask application.

Every view translates the errors it expects into a JSON body ``{"error": ...}`` and
a status; anything unexpected becomes a 500 through the generic error handler.
"""

from __future__ import annotations

import logging
from typing import Any

import errkit
from errkit.integrations.flask import install as install_problem_details
from flask import Flask, Response, jsonify, request

from bazaar.api import metrics
from bazaar.api.services import Services, build_services
from bazaar.identity import VerificationFailed, parse_document
from bazaar.market import InsufficientFunds, parse_order

log = logging.getLogger("bazaar.api")


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"error": message}), status


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValueError("request body must be a JSON object")
    return data


def create_app(services: Services | None = None) -> Flask:
    app = Flask("bazaar")
    # Migrated (coded) errors that escape a view become problem+json responses;
    # the legacy handler below still answers everything else.
    install_problem_details(app, handle=(errkit.CodedError,))
    app.config["SERVICES"] = services or build_services()
    svc: Services = app.config["SERVICES"]

    @app.after_request
    def count(response: Response) -> Response:
        metrics.observe(request.method, request.endpoint, response.status_code)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _error("internal error", 500)

    @app.get("/health")
    def health() -> Response:
        return jsonify({"status": "ok"})

    @app.get("/metrics")
    def metrics_endpoint() -> Response:
        body, content_type = metrics.render()
        return Response(body, content_type=content_type)

    @app.post("/accounts")
    def open_account() -> tuple[Response, int]:
        try:
            data = _body()
            account = data["account"]
            svc.ledger.open_account(account, int(data.get("deposit", 0)))
        except KeyError:
            return _error("account is required", 400)
        except ValueError as e:
            return _error(str(e), 400)
        return jsonify({"account": account, "balance": svc.ledger.balance(account)}), 201

    @app.post("/identity/<user_id>")
    def verify_identity(user_id: str) -> tuple[Response, int]:
        try:
            document = parse_document(_body())
            result = svc.identity.verify(user_id, document)
        except ValueError as e:
            return _error(str(e), 400)
        except VerificationFailed as e:
            return _error(e.reason, 422)
        return jsonify({"user": user_id, "status": result.status}), 200

    @app.post("/orders")
    def place_order() -> tuple[Response, int]:
        try:
            order = parse_order(_body())
            svc.identity.require_verified(order.account)
            trades = svc.market.submit(order)
        except ValueError as e:
            metrics.REJECTED_ORDERS.labels("invalid").inc()
            return _error(str(e), 400)
        except PermissionError as e:
            metrics.REJECTED_ORDERS.labels("unverified").inc()
            return _error(str(e), 403)
        except InsufficientFunds as e:
            metrics.REJECTED_ORDERS.labels("funds").inc()
            return _error(str(e), 402)
        except RuntimeError as e:
            if "closed" in str(e):
                return _error(str(e), 503)
            raise
        body = {"order": order.to_dict(), "trades": [t.id for t in trades]}
        return jsonify(body), 201

    @app.get("/orders/<order_id>")
    def get_order(order_id: str) -> tuple[Response, int]:
        try:
            order = svc.market.find_order(order_id)
        except LookupError as e:
            if "not found" in str(e):
                return _error(f"order {order_id} not found", 404)
            raise
        return jsonify(order.to_dict()), 200

    @app.delete("/orders/<gpu>/<order_id>")
    def cancel_order(gpu: str, order_id: str) -> tuple[Response, int]:
        try:
            order = svc.market.cancel(gpu, order_id)
        except LookupError as e:
            return _error(str(e).strip("'\""), 404)
        return jsonify(order.to_dict()), 200

    @app.post("/holds/<hold_id>/release")
    def release_hold(hold_id: str) -> tuple[Response, int]:
        try:
            data = _body()
            user = data["user"]
            if not svc.mfa.check_or_deny(user, str(data.get("code", ""))):
                return _error("invalid mfa code", 401)
            hold = svc.escrow.get_hold(hold_id)
            if hold.account != user:
                raise PermissionError(f"hold {hold_id} does not belong to {user}")
            refund = svc.escrow.release(hold_id)
        except KeyError as e:
            return _error(f"{e.args[0]} is required", 400)
        except PermissionError as e:
            return _error(str(e), 403)
        except LookupError as e:
            return _error(str(e), 404)
        except RuntimeError as e:
            return _error(str(e), 409)
        return jsonify({"hold": hold_id, "refund": refund}), 200

    return app
