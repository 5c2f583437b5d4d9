"""errkit: one standard way to fail, for large Python codebases.

`import errkit` loads the core alone (standard library only). Runtime services
(recovery, hooks, metrics) are imported on first use of their names, so a service
that only raises coded errors pays nothing for them.
"""

from __future__ import annotations

import importlib
from typing import Any

# --- core (layer 1): imported eagerly -------------------------------------------
# (filled by the core modules; keep the names sorted)

# --- runtime (layer 2): imported on first access ------------------------------------
#: public name -> module that defines it
_LAZY: dict[str, str] = {}

__version__ = "0.1.0"

__all__: list[str] = sorted(["__version__", *_LAZY])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'errkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
