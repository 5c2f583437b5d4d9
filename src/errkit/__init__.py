"""errkit: one standard way to fail, for large Python codebases.

`import errkit` loads the core alone (standard library only). Runtime services
(recovery, hooks, metrics) are imported on first use of their names, so a service
that only raises coded errors pays nothing for them.
"""

from __future__ import annotations

import importlib
from typing import Any

# --- core (layer 1): imported eagerly -------------------------------------------
# The names below are re-exported through the computed __all__ at the end, which
# linters cannot read: hence the file-wide F401 exemption.
# ruff: noqa: F401
from . import sentinels
from .core import (
    BLOCKS,
    CATEGORY_DEFAULTS,
    Category,
    CategoryBlock,
    CategoryDefaults,
    CauseSnapshot,
    ChainLink,
    CodedAttributeError,
    CodedConnectionError,
    CodedError,
    CodedFileExistsError,
    CodedFileNotFoundError,
    CodedIndexError,
    CodedKeyError,
    CodedOSError,
    CodedTypeError,
    CodeOutOfRangeError,
    ConfigError,
    ConflictError,
    DuplicateCodeError,
    DuplicateModuleError,
    ErrkitError,
    ExternalError,
    InternalError,
    InvalidRangeError,
    Match,
    ModuleRange,
    NotFoundError,
    RangeOverlapError,
    RateLimitError,
    RegisteredCode,
    Registry,
    RegistryError,
    ReservedRange,
    Severity,
    StateError,
    TimeoutError,
    UnauthorizedError,
    UnknownModuleError,
    ValidationError,
    barrier,
    block_for_offset,
    category_for_builtin,
    category_of,
    code_of,
    coded,
    configure_registry,
    context_of,
    find,
    format_line,
    get_registry,
    has,
    is_barrier,
    is_retryable,
    links,
    load_registry,
    registry_from_mapping,
    root_cause,
    set_registry,
    severity_of,
    walk,
    with_context,
    wrap,
)

# The core's own __all__ is the list of its public names; errkit.TimeoutError is
# left out of it on purpose: a star import would shadow the builtin, and
# ``except TimeoutError`` would stop catching plain timeouts.
from .core import __all__ as _CORE

# --- runtime (layer 2): imported on first access ------------------------------------
#: public name -> module that defines it
_LAZY: dict[str, str] = {
    # recovery, failure handlers, hooks, metrics (issue 3)
    "Failure": "errkit.runtime.handlers",
    "RecoveredThread": "errkit.runtime.recovery",
    "ThreadGroup": "errkit.runtime.groups",
    "add_failure_handler": "errkit.runtime.handlers",
    "call_guarded": "errkit.runtime.guard",
    "configure_metrics": "errkit.runtime.metrics",
    "create_task": "errkit.runtime.futures",
    "guard": "errkit.runtime.guard",
    "install_hooks": "errkit.runtime.hooks",
    "log_failure": "errkit.runtime.handlers",
    "primary_error": "errkit.runtime.groups",
    "record": "errkit.runtime.metrics",
    "recovered": "errkit.runtime.recovery",
    "remove_failure_handler": "errkit.runtime.handlers",
    "run_in_executor": "errkit.runtime.futures",
    "run_in_threads": "errkit.runtime.groups",
    "start_thread": "errkit.runtime.recovery",
    "submit": "errkit.runtime.futures",
    "uninstall_hooks": "errkit.runtime.hooks",
    "watch": "errkit.runtime.futures",
    # problem details, logging and rendering (issue 7)
    "ErrorFieldsFilter": "errkit.runtime.logs",
    "JsonFormatter": "errkit.runtime.logs",
    "ProblemMapper": "errkit.runtime.problem",
    "error_from_problem": "errkit.runtime.problem_client",
    "exception_to_dict": "errkit.runtime.render",
    "format_exception_text": "errkit.runtime.render",
}

__version__ = "0.1.0"

# Computed so the three sources of names cannot drift apart (tests/core/test_exports).
__all__: list[str] = sorted(["__version__", *_CORE, *_LAZY])  # noqa: PLE0605


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'errkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
