"""Categories, severities, their defaults, and the category-block code policy.

Everything here is data, so the runtime (defaults for a raised error), the scanner
(is code 1013 in the right block?) and the catalog read one table instead of
re-deriving the rules.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "BLOCKS",
    "BUILTIN_CATEGORIES",
    "CATEGORY_DEFAULTS",
    "Category",
    "CategoryBlock",
    "CategoryDefaults",
    "Severity",
    "as_category",
    "as_severity",
    "block_for_offset",
    "category_for_builtin",
]


class Category(StrEnum):
    """What kind of failure an error is; the value is the wire/label spelling."""

    VALIDATION = "validation"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAUTHORIZED = "unauthorized"
    STATE = "state"
    EXTERNAL = "external"
    INTERNAL = "internal"
    TIMEOUT = "timeout"
    RATE_LIMIT = "rate_limit"


class Severity(StrEnum):
    """How loudly an error should be reported; ordered from quiet to loud."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for info up to 3 for critical, for threshold comparisons."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK: Final = {s: i for i, s in enumerate(Severity)}


_CATEGORY_BY_VALUE: Final[dict[str, Category]] = {c.value: c for c in Category}
_SEVERITY_BY_VALUE: Final[dict[str, Severity]] = {s.value: s for s in Severity}


def as_category(value: object, param: str = "category") -> Category:
    """``value`` (a ``Category`` or its string) as a ``Category``.

    A dict lookup, not ``Category(value)``: this runs on raise paths.

    Raises:
        ValueError: ``value`` names no category; the message lists them.
    """
    found = _CATEGORY_BY_VALUE.get(value) if isinstance(value, str) else None
    if found is None:
        names = ", ".join(_CATEGORY_BY_VALUE)
        msg = f"{param} must be one of {names}, got {value!r}"
        raise ValueError(msg)
    return found


def as_severity(value: object, param: str = "severity") -> Severity:
    """``value`` (a ``Severity`` or its string) as a ``Severity``.

    Raises:
        ValueError: ``value`` names no severity; the message lists them.
    """
    found = _SEVERITY_BY_VALUE.get(value) if isinstance(value, str) else None
    if found is None:
        names = ", ".join(_SEVERITY_BY_VALUE)
        msg = f"{param} must be one of {names}, got {value!r}"
        raise ValueError(msg)
    return found


@dataclass(frozen=True, slots=True)
class CategoryDefaults:
    """Severity and retryability an error of a category gets unless overridden."""

    severity: Severity
    retryable: bool


#: Per-category defaults. Retryable means repeating the same call may succeed:
#: true only where the failure lies outside the caller's request.
CATEGORY_DEFAULTS: Final[Mapping[Category, CategoryDefaults]] = MappingProxyType(
    {
        Category.VALIDATION: CategoryDefaults(Severity.WARNING, False),
        Category.NOT_FOUND: CategoryDefaults(Severity.WARNING, False),
        Category.CONFLICT: CategoryDefaults(Severity.WARNING, False),
        Category.UNAUTHORIZED: CategoryDefaults(Severity.WARNING, False),
        Category.STATE: CategoryDefaults(Severity.ERROR, False),
        Category.EXTERNAL: CategoryDefaults(Severity.ERROR, True),
        Category.INTERNAL: CategoryDefaults(Severity.ERROR, False),
        Category.TIMEOUT: CategoryDefaults(Severity.ERROR, True),
        Category.RATE_LIMIT: CategoryDefaults(Severity.WARNING, True),
    }
)


@dataclass(frozen=True, slots=True)
class CategoryBlock:
    """One ten-code block of a module's range and the categories it is meant for.

    ``first``/``last`` are offsets from the start of the range modulo 100, so the
    policy repeats for every hundred codes of a larger range. ``categories`` is
    empty for the reserved block: no error belongs there.
    """

    name: str
    first: int
    last: int
    categories: frozenset[Category]

    @property
    def category(self) -> Category | None:
        """The block's main category (the first one listed), or None if reserved."""
        return _BLOCK_PRIMARY.get(self.name)

    def allows(self, category: Category) -> bool:
        """True if an error of ``category`` may take a code in this block."""
        return category in self.categories


def _block(name: str, index: int, *cats: Category) -> CategoryBlock:
    return CategoryBlock(name, index * 10, index * 10 + 9, frozenset(cats))


#: The category-block policy, in offset order (00-09 ... 90-99).
BLOCKS: Final[tuple[CategoryBlock, ...]] = (
    _block("validation", 0, Category.VALIDATION),
    _block("not_found", 1, Category.NOT_FOUND),
    _block("conflict", 2, Category.CONFLICT),
    _block("unauthorized", 3, Category.UNAUTHORIZED),
    _block("state", 4, Category.STATE),
    # Timeouts are failures of something outside the caller, like external ones.
    _block("external", 5, Category.EXTERNAL, Category.TIMEOUT),
    _block("internal", 6, Category.INTERNAL),
    # Signatures, tokens, checksums: refused credentials or malformed proofs.
    _block("verification", 7, Category.UNAUTHORIZED, Category.VALIDATION),
    _block("rate_limit", 8, Category.RATE_LIMIT),
    _block("reserved", 9),
)

_BLOCK_PRIMARY: Final[dict[str, Category]] = {
    "validation": Category.VALIDATION,
    "not_found": Category.NOT_FOUND,
    "conflict": Category.CONFLICT,
    "unauthorized": Category.UNAUTHORIZED,
    "state": Category.STATE,
    "external": Category.EXTERNAL,
    "internal": Category.INTERNAL,
    "verification": Category.UNAUTHORIZED,
    "rate_limit": Category.RATE_LIMIT,
}


def block_for_offset(offset: int) -> CategoryBlock:
    """The block for a code's offset from the start of its module's range.

    Raises:
        ValueError: ``offset`` is negative.
    """
    if offset < 0:
        msg = f"offset must be zero or more, got {offset!r}"
        raise ValueError(msg)
    return BLOCKS[(offset % 100) // 10]


#: The category a builtin exception stands for, most specific first: used for
#: ``coded(builtin)`` without a category and for ``category_of`` on foreign errors.
BUILTIN_CATEGORIES: Final[tuple[tuple[type[BaseException], Category], ...]] = (
    (builtins.TimeoutError, Category.TIMEOUT),
    (FileNotFoundError, Category.NOT_FOUND),
    (FileExistsError, Category.CONFLICT),
    (PermissionError, Category.UNAUTHORIZED),
    (ConnectionError, Category.EXTERNAL),
    (NotImplementedError, Category.INTERNAL),
    (LookupError, Category.NOT_FOUND),
    (ValueError, Category.VALIDATION),
    (TypeError, Category.VALIDATION),
    (OSError, Category.EXTERNAL),
)


def category_for_builtin(exc_type: type[BaseException]) -> Category:
    """The category a (subclass of a) builtin exception type stands for.

    Anything not listed in :data:`BUILTIN_CATEGORIES` is internal: an unexpected
    failure of our own code.
    """
    for builtin, category in BUILTIN_CATEGORIES:
        if issubclass(exc_type, builtin):
            return category
    return Category.INTERNAL
