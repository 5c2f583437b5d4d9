"""Error kinds of a small warehouse service, and the problem each must become.

Shared by the framework tests so FastAPI, Flask and gRPC are held to one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import errkit
from errkit import sentinels
from errkit.runtime.problem import GENERIC_DETAIL, ProblemMapper

MODULE = "warehouse"
CORRELATION_ID = "5f0c6e3a9b2d4c1e8f7a6b5c4d3e2f10"
#: A password inside a connection string: must never reach a client.
DSN = "postgresql://shop:s3cr3t-pw@127.0.0.1:5432/shop"


class BadQuantity(errkit.ValidationError, module=MODULE, code=101):
    """A quantity is zero or negative."""


class SkuMissing(errkit.NotFoundError, module=MODULE, code=110):
    """No such stock-keeping unit."""


class OutOfStock(errkit.ConflictError, module=MODULE, code=120, safe=["sku"]):
    """Not enough stock to reserve."""


class NotLoggedIn(errkit.UnauthorizedError, module=MODULE, code=130):
    """The request carries no session."""


class NotYourOrder(
    errkit.UnauthorizedError, sentinels.Forbidden, module=MODULE, code=131
):
    """The caller is known but may not touch this order."""


class OrderClosed(errkit.StateError, module=MODULE, code=140):
    """The order no longer accepts changes."""


class SupplierDown(errkit.ExternalError, module=MODULE, code=150):
    """The supplier API is unreachable (retryable)."""


class SupplierBadReply(errkit.ExternalError, module=MODULE, code=151, retryable=False):
    """The supplier API answered nonsense."""


class PickTimeout(errkit.TimeoutError, module=MODULE, code=155):
    """Picking did not finish in time."""


class LedgerCorrupt(errkit.InternalError, module=MODULE, code=160):
    """The stock ledger is inconsistent."""


class TooManyPicks(errkit.RateLimitError, module=MODULE, code=180):
    """The caller exceeded its pick rate."""


def fixed_mapper(**options: Any) -> ProblemMapper:
    """A mapper with a type base and a constant correlation id, for exact bodies."""
    return ProblemMapper(
        type_base="/errors/", correlation_id=lambda: CORRELATION_ID, **options
    )


@dataclass(frozen=True)
class Case:
    """One error and the exact response a client must get for it."""

    name: str
    make: Callable[[], BaseException]
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    grpc_status: str = ""


def _body(
    status: int, title: str, code: int | None, category: str, **rest: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"/errors/{MODULE}/{code}" if code is not None else "about:blank",
        "title": title,
        "status": status,
        "detail": rest.pop("detail"),
        "instance": "/boom",
    }
    if code is not None:
        body["code"] = f"{MODULE}:{code}"
    body["category"] = category
    body["retryable"] = rest.pop("retryable", False)
    body.update(rest)
    return body


CASES = [
    Case(
        "validation",
        lambda: BadQuantity("quantity must be positive", field="quantity", value=-3),
        400,
        _body(
            400,
            "Bad Request",
            101,
            "validation",
            detail="quantity must be positive",
            field="quantity",
        ),
        grpc_status="INVALID_ARGUMENT",
    ),
    Case(
        "not_found",
        lambda: SkuMissing("sku A-1 not found", resource_type="sku", resource_id="A-1"),
        404,
        _body(
            404,
            "Not Found",
            110,
            "not_found",
            detail="sku A-1 not found",
            resource_type="sku",
        ),
        grpc_status="NOT_FOUND",
    ),
    Case(
        "conflict",
        lambda: OutOfStock("only 2 left", context={"sku": "A-1", "shelf": 7}),
        409,
        _body(409, "Conflict", 120, "conflict", detail="only 2 left", sku="A-1"),
        grpc_status="ABORTED",
    ),
    Case(
        "unauthorized-401",
        lambda: NotLoggedIn("no session cookie"),
        401,
        _body(401, "Unauthorized", 130, "unauthorized", detail="no session cookie"),
        grpc_status="UNAUTHENTICATED",
    ),
    Case(
        "unauthorized-403",
        lambda: NotYourOrder("order 7 is not yours", action="cancel"),
        403,
        _body(
            403,
            "Forbidden",
            131,
            "unauthorized",
            detail="order 7 is not yours",
            action="cancel",
        ),
        grpc_status="PERMISSION_DENIED",
    ),
    Case(
        "state",
        lambda: OrderClosed("order 7 is closed", state="closed"),
        409,
        _body(
            409, "Conflict", 140, "state", detail="order 7 is closed", state="closed"
        ),
        grpc_status="FAILED_PRECONDITION",
    ),
    Case(
        "external-503",
        lambda: SupplierDown(
            "supplier unreachable", service="supplier", retry_after=30
        ),
        503,
        _body(
            503,
            "Service Unavailable",
            150,
            "external",
            detail=GENERIC_DETAIL,
            retryable=True,
            retry_after=30,
            correlation_id=CORRELATION_ID,
            service="supplier",
        ),
        {"retry-after": "30"},
        grpc_status="UNAVAILABLE",
    ),
    Case(
        "external-502",
        lambda: SupplierBadReply("supplier sent HTML", service="supplier"),
        502,
        _body(
            502,
            "Bad Gateway",
            151,
            "external",
            detail=GENERIC_DETAIL,
            correlation_id=CORRELATION_ID,
            service="supplier",
        ),
        grpc_status="UNAVAILABLE",
    ),
    Case(
        "internal",
        lambda: LedgerCorrupt(f"ledger unreadable via {DSN}", component="ledger"),
        500,
        _body(
            500,
            "Internal Server Error",
            160,
            "internal",
            detail=GENERIC_DETAIL,
            correlation_id=CORRELATION_ID,
        ),
        grpc_status="INTERNAL",
    ),
    Case(
        "timeout",
        lambda: PickTimeout("picking took too long", operation="pick", duration=2.5),
        504,
        _body(
            504,
            "Gateway Timeout",
            155,
            "timeout",
            detail=GENERIC_DETAIL,
            retryable=True,
            correlation_id=CORRELATION_ID,
            operation="pick",
            duration=2.5,
        ),
        grpc_status="DEADLINE_EXCEEDED",
    ),
    Case(
        "rate_limit",
        lambda: TooManyPicks("slow down", limit=10, remaining=0, retry_after=12),
        429,
        _body(
            429,
            "Too Many Requests",
            180,
            "rate_limit",
            detail="slow down",
            retryable=True,
            retry_after=12,
            limit=10,
            remaining=0,
        ),
        {"retry-after": "12"},
        grpc_status="RESOURCE_EXHAUSTED",
    ),
    Case(
        "uncoded",
        lambda: RuntimeError(f"connect failed: {DSN}"),
        500,
        _body(
            500,
            "Internal Server Error",
            None,
            "internal",
            detail=GENERIC_DETAIL,
            correlation_id=CORRELATION_ID,
        ),
        grpc_status="INTERNAL",
    ),
]
CASE_IDS = [case.name for case in CASES]


# --- BR-11: chains that loop back on themselves ------------------------------------


def self_cause() -> None:
    """``raise e from e``: the exception is its own cause."""
    try:
        raise ValueError("bad input")
    except ValueError as e:
        raise e from e


def regroup() -> None:
    """Re-raising a group member: its ``__context__`` is the group holding it."""
    try:
        raise ExceptionGroup("batch", [ValueError("item 3")])
    except ExceptionGroup as eg:
        raise eg.exceptions[0]


class Unhashable(Exception):
    """An exception that cannot go in a set: defining __eq__ drops __hash__."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable)


def two_cycle() -> None:
    """Two exceptions that are each other's ``__context__``."""
    a, b = Unhashable("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    raise a


CYCLES = {"self_cause": self_cause, "regroup": regroup, "two_cycle": two_cycle}


def raised(fn: Callable[[], None]) -> BaseException:
    """The exception ``fn`` raises (with its traceback and chain)."""
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - tests collect anything
        return exc
    raise AssertionError(f"{fn.__name__} did not raise")
