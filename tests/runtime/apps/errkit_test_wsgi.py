"""A tiny WSGI app for the pre-forking multiprocess metrics test.

Served by gunicorn with several workers and ``PROMETHEUS_MULTIPROC_DIR`` set before
start: ``/fail`` records one coded error, ``/crash`` runs a failing recovered thread,
``/metrics`` returns the multiprocess scrape summed over every worker's files.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest, multiprocess

import errkit


class SkuMissing(errkit.NotFoundError, module="shop.catalog", code=210):
    """A catalog entry that does not exist."""


if os.environ.get("ERRKIT_TEST_RECORD_AT_IMPORT"):
    # With --preload this runs once, in the master, before the workers fork.
    errkit.record(SkuMissing("recorded by the master"))


def _crash() -> None:
    raise SkuMissing("background refresh failed")


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/fail":
        time.sleep(0.02)  # keep this worker busy so the others take requests too
        errkit.record(SkuMissing("sku 42 missing"))
        body = str(os.getpid()).encode()
    elif path == "/crash":
        errkit.start_thread(_crash, context="shop:refresh").join()
        body = str(os.getpid()).encode()
    elif path == "/metrics":
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = b"ok"
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]
