"""The value types of the registry: module ranges, reserved ranges, registrations.

Frozen records with their own validation, so a malformed range cannot exist, and
a ``describe()`` each that registry messages use to name both parties of a clash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._categories import CategoryBlock, block_for_offset
from ._exceptions import InvalidRangeError

__all__ = ["ModuleRange", "RegisteredCode", "ReservedRange", "where"]


def _check_bounds(what: str, start: int, end: int) -> None:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            msg = f"{what}: {name} must be an integer, got {value!r}"
            raise InvalidRangeError(msg, value=value)
        if value < 0:
            msg = f"{what}: {name} must be zero or more, got {value!r}"
            raise InvalidRangeError(msg, value=value)
    if start > end:
        msg = f"{what}: start must not exceed end, got {start!r}-{end!r}"
        raise InvalidRangeError(msg, value=(start, end))


def where(defined_at: str | None) -> str:
    """`` (defined at X)`` when the location is known, for messages."""
    return f" (defined at {defined_at})" if defined_at else ""


@dataclass(frozen=True, slots=True)
class ModuleRange:
    """A module's inclusive code range, with who owns it and what it is for."""

    name: str
    start: int
    end: int
    description: str = ""
    owner: str = ""
    defined_at: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            msg = f"module name must be a non-empty string, got {self.name!r}"
            raise InvalidRangeError(msg, value=self.name)
        _check_bounds(f"module {self.name!r} range", self.start, self.end)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and self.start <= code <= self.end

    @property
    def size(self) -> int:
        """How many codes the range holds."""
        return self.end - self.start + 1

    def block_of(self, code: int) -> CategoryBlock:
        """The category block ``code`` falls in, by its offset from ``start``."""
        return block_for_offset(code - self.start)

    def describe(self) -> str:
        """``module 'inventory' range 100-199 (defined at ...)``, for messages."""
        return (
            f"module {self.name!r} range {self.start}-{self.end}"
            f"{where(self.defined_at)}"
        )


@dataclass(frozen=True, slots=True)
class ReservedRange:
    """An inclusive range of codes no module may take."""

    start: int
    end: int
    reason: str = ""
    defined_at: str | None = None

    def __post_init__(self) -> None:
        _check_bounds("reserved range", self.start, self.end)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and self.start <= code <= self.end

    def describe(self) -> str:
        """``reserved range 900-999 (defined at ...)``, for messages."""
        return f"reserved range {self.start}-{self.end}{where(self.defined_at)}"


@dataclass(frozen=True, slots=True)
class RegisteredCode:
    """One ``(module, code)`` claimed by an error class, and where it was declared."""

    module: str
    code: int
    cls: type[BaseException] = field(compare=False)
    defined_at: str = ""

    @property
    def code_str(self) -> str:
        """``"inventory:120"``."""
        return f"{self.module}:{self.code}"

    def describe(self) -> str:
        """``class 'shop.errors.OutOfStock' (shop/errors.py:12)``, for messages."""
        name = f"{self.cls.__module__}.{self.cls.__qualname__}"
        return f"class {name!r}{where(self.defined_at)}"
