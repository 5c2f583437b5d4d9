"""The runtime's one door into the core.

Everything recovery and metrics need from layer 1 comes through here: the coded
error types, and the two questions metrics ask (is this label bounded? what are an
uncoded exception's labels?). One adapter keeps the rest of the runtime
independent of where the core keeps its registry and category tables.
"""

from __future__ import annotations

from errkit.core import (
    CATEGORY_DEFAULTS,
    Category,
    CodedError,
    InternalError,
    get_registry,
)

__all__ = ["CodedError", "InternalError", "is_registered", "uncoded_defaults"]


def is_registered(module: str, code: int | None) -> bool:
    """Whether ``module`` (``code is None``) or ``module:code`` is a bounded label.

    A module counts when it is declared in the registry or owns a class-declared
    code; a code counts when a class declared it, or it lies in its declared
    module's range. Both sets are fixed by configuration and source code, never
    by traffic.
    """
    registry = get_registry()
    if code is None:
        return registry.has_module(module) or bool(registry.codes(module))
    if registry.lookup(module, code) is not None:
        return True
    if registry.has_module(module):
        return code in registry.module(module)
    return False


def uncoded_defaults() -> tuple[str, str, bool]:
    """Category, severity and retryable of any exception that is not coded.

    An exception that is not a coded error is an unexpected failure, whatever
    builtin it is: ``internal`` with the internal category's severity
    (``error``) and retryable flag, the same answer an HTTP problem gives it.
    """
    defaults = CATEGORY_DEFAULTS[Category.INTERNAL]
    return Category.INTERNAL.value, defaults.severity.value, defaults.retryable
