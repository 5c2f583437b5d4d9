"""Request metrics for the API, exported at ``/metrics``."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, generate_latest

REQUESTS = Counter(
    "bazaar_http_requests",
    "HTTP requests handled, by endpoint and status",
    ["method", "endpoint", "status"],
)
REJECTED_ORDERS = Counter(
    "bazaar_rejected_orders",
    "Orders refused before reaching the book, by reason",
    ["reason"],
)


def observe(method: str, endpoint: str | None, status: int) -> None:
    # The endpoint name, not the URL, keeps ids out of the labels.
    REQUESTS.labels(method, endpoint or "unknown", str(status)).inc()


def render() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
