"""Pieces every framework integration shares: the import guard and metric recording."""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

__all__ = ["record_error", "require"]

_log = logging.getLogger("errkit.integrations")


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``, or fail naming the errkit extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = (
            f"errkit's {extra} integration needs {module!r}; "
            f"install it with: pip install 'errkit[{extra}]'"
        )
        raise ImportError(msg) from exc


def record_error(exc: BaseException) -> None:
    """Count ``exc`` in errkit's metrics; a metrics failure never fails the request.

    A broken metrics backend (an unwritable multiprocess directory, a missing
    extra) must not turn an error response into a crash, so it is logged at
    WARNING with its traceback instead of raised.
    """
    from errkit.runtime.metrics import record

    try:
        record(exc)
    except Exception:  # noqa: BLE001 - whatever broke, the response goes out
        _log.warning(
            "could not record %s in errkit metrics", type(exc).__name__, exc_info=True
        )
