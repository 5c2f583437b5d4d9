"""The registry of module code ranges, reserved ranges and registered error codes.

A module owns one inclusive range of integer codes (``inventory: 100-199``); some
ranges are reserved for no one. Error classes declared with ``module=`` and
``code=`` register here at class creation, which is where duplicates and
out-of-range codes are caught: at import time, naming both parties.

One process-wide registry (``get_registry()``) serves class registration. Tools
build their own ``Registry`` objects from config files (see ``_config``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

from ._categories import CategoryBlock, block_for_offset
from ._exceptions import (
    CodeOutOfRangeError,
    DuplicateCodeError,
    DuplicateModuleError,
    RangeOverlapError,
    UnknownModuleError,
)
from ._ranges import ModuleRange, RegisteredCode, ReservedRange, where

__all__ = [
    "ModuleRange",
    "RegisteredCode",
    "Registry",
    "ReservedRange",
    "get_registry",
    "set_registry",
]


def _overlaps(a: ModuleRange | ReservedRange, b: ModuleRange | ReservedRange) -> bool:
    return a.start <= b.end and b.start <= a.end


def _same_class(a: type[BaseException], b: type[BaseException]) -> bool:
    # A module imported twice (reload, or under two names in tests) re-creates
    # its classes; the same qualified name means the same kind, not a clash.
    return a.__module__ == b.__module__ and a.__qualname__ == b.__qualname__


class Registry:
    """Module ranges, reserved ranges, and the codes error classes registered.

    Safe to use from several threads: class creation can happen in any of them.
    """

    def __init__(
        self,
        modules: Iterable[ModuleRange] = (),
        reserved: Iterable[ReservedRange] = (),
        *,
        strict: bool = False,
    ) -> None:
        #: Reject codes of modules that are not declared. Off by default, so a
        #: library's own error kinds still import in a service whose config does
        #: not list the library; `errkit check` reports them either way.
        self.strict = strict
        self._lock = threading.RLock()
        self._modules: dict[str, ModuleRange] = {}
        self._reserved: list[ReservedRange] = []
        self._codes: dict[tuple[str, int], RegisteredCode] = {}
        for rng in reserved:
            self._add_reserved(rng)
        for mod in modules:
            self._add_module(mod)

    def __repr__(self) -> str:
        return (
            f"Registry(modules={len(self._modules)}, reserved={len(self._reserved)},"
            f" codes={len(self._codes)})"
        )

    # --- ranges -------------------------------------------------------------------

    @property
    def modules(self) -> tuple[ModuleRange, ...]:
        """All module ranges, sorted by start."""
        return tuple(sorted(self._modules.values(), key=lambda m: m.start))

    @property
    def reserved(self) -> tuple[ReservedRange, ...]:
        """All reserved ranges, sorted by start."""
        return tuple(sorted(self._reserved, key=lambda r: r.start))

    def add_module(
        self,
        name: str,
        start: int,
        end: int,
        *,
        description: str = "",
        owner: str = "",
        defined_at: str | None = None,
    ) -> ModuleRange:
        """Add a module's range; reject a duplicate name or any overlap.

        Raises:
            InvalidRangeError: the range is malformed.
            DuplicateModuleError: ``name`` is already declared.
            RangeOverlapError: the range overlaps a module's or a reserved range;
                the message names both.
            CodeOutOfRangeError: a class already registered for ``name`` has a
                code outside the new range.
        """
        mod = ModuleRange(name, start, end, description, owner, defined_at)
        return self._add_module(mod)

    def reserve(
        self,
        start: int,
        end: int,
        *,
        reason: str = "",
        defined_at: str | None = None,
    ) -> ReservedRange:
        """Reserve a range; reject an overlap with a module's or reserved range.

        Raises:
            InvalidRangeError: the range is malformed.
            RangeOverlapError: the range overlaps another; the message names both.
            CodeOutOfRangeError: an already registered code lies inside it.
        """
        return self._add_reserved(ReservedRange(start, end, reason, defined_at))

    def _add_module(self, mod: ModuleRange) -> ModuleRange:
        with self._lock:
            old = self._modules.get(mod.name)
            if old is not None:
                msg = (
                    f"module {mod.name!r} is declared twice: range "
                    f"{old.start}-{old.end}{where(old.defined_at)} and range "
                    f"{mod.start}-{mod.end}{where(mod.defined_at)}"
                )
                raise DuplicateModuleError(msg, existing=old, new=mod)
            others: list[ModuleRange | ReservedRange] = [
                *self._modules.values(),
                *self._reserved,
            ]
            for other in others:
                if _overlaps(mod, other):
                    msg = f"{mod.describe()} overlaps {other.describe()}"
                    raise RangeOverlapError(msg, new=mod, existing=other)
            for reg in self._codes.values():
                if reg.module == mod.name and reg.code not in mod:
                    raise _out_of_range(reg, mod)
            self._modules[mod.name] = mod
        return mod

    def _add_reserved(self, rng: ReservedRange) -> ReservedRange:
        with self._lock:
            others: list[ModuleRange | ReservedRange] = [
                *self._modules.values(),
                *self._reserved,
            ]
            for other in others:
                if _overlaps(rng, other):
                    msg = f"{rng.describe()} overlaps {other.describe()}"
                    raise RangeOverlapError(msg, new=rng, existing=other)
            for reg in self._codes.values():
                if reg.code in rng:
                    raise _inside_reserved(reg, rng)
            self._reserved.append(rng)
        return rng

    def module(self, name: str) -> ModuleRange:
        """The range of module ``name``.

        Raises:
            UnknownModuleError: no module of that name is declared.
        """
        try:
            return self._modules[name]
        except KeyError:
            known = ", ".join(sorted(self._modules)) or "none"
            msg = f"module name {name!r} is not declared (declared: {known})"
            raise UnknownModuleError(msg, module=name) from None

    def has_module(self, name: str) -> bool:
        """True if module ``name`` is declared."""
        return name in self._modules

    def module_for_code(self, code: int) -> ModuleRange | None:
        """The module whose range holds ``code``, or None."""
        for mod in self._modules.values():
            if code in mod:
                return mod
        return None

    def is_reserved(self, code: int) -> bool:
        """True if ``code`` lies in a reserved range."""
        return any(code in rng for rng in self._reserved)

    def block_of(self, code: int, module: str | None = None) -> CategoryBlock:
        """The category block of ``code``: which category it is meant for.

        The offset is taken from the start of ``module``'s range, or of the range
        holding ``code``; with neither, from the last whole hundred.
        """
        mod = self.module(module) if module is not None else self.module_for_code(code)
        return mod.block_of(code) if mod is not None else block_for_offset(code % 100)

    def check_code(self, module: str, code: int) -> None:
        """Raise if ``code`` is outside ``module``'s declared range.

        A module the registry does not know is not checked: ranges may be
        configured after error classes are imported, and ``add_module`` re-checks.

        Raises:
            CodeOutOfRangeError: the code is outside the range or reserved.
        """
        mod = self._modules.get(module)
        if mod is not None and code not in mod:
            msg = f"code {module}:{code} is outside {mod.describe()}"
            raise CodeOutOfRangeError(
                msg, module=module, code=code, range=mod, registration=None
            )
        for rng in self._reserved:
            if code in rng:
                msg = f"code {module}:{code} is inside {rng.describe()}"
                raise CodeOutOfRangeError(
                    msg, module=module, code=code, range=rng, registration=None
                )

    # --- registered codes ---------------------------------------------------------

    def register(
        self, cls: type[BaseException], module: str, code: int, defined_at: str = ""
    ) -> RegisteredCode:
        """Record that ``cls`` is the kind ``module:code``.

        Registering a class with the same qualified name again (a re-import)
        replaces the old entry.

        Raises:
            DuplicateCodeError: another class claims ``module:code``; the message
                names both classes and where each is defined.
            CodeOutOfRangeError: the code is outside the module's declared range,
                or inside a reserved range.
        """
        new = RegisteredCode(module, code, cls, defined_at)
        with self._lock:
            old = self._codes.get((module, code))
            if old is not None and not _same_class(old.cls, cls):
                msg = (
                    f"error code {new.code_str} is claimed twice: by "
                    f"{old.describe()} and by {new.describe()}"
                )
                raise DuplicateCodeError(msg, existing=old, new=new)
            mod = self._modules.get(module)
            if mod is not None and code not in mod:
                raise _out_of_range(new, mod)
            if mod is None and self.strict:
                known = ", ".join(sorted(self._modules)) or "none"
                msg = (
                    f"{new.describe()} uses module {module!r}, which the strict "
                    f"registry does not declare (declared: {known})"
                )
                raise UnknownModuleError(msg, module=module)
            for rng in self._reserved:
                if code in rng:
                    raise _inside_reserved(new, rng)
            self._codes[(module, code)] = new
        return new

    def unregister(self, module: str, code: int) -> None:
        """Forget the class registered for ``module:code`` (for tests and reloads)."""
        with self._lock:
            self._codes.pop((module, code), None)

    def lookup(self, module: str, code: int) -> RegisteredCode | None:
        """The registration of ``module:code``, or None."""
        return self._codes.get((module, code))

    def codes(self, module: str | None = None) -> list[RegisteredCode]:
        """Registered codes sorted by module and code, optionally of one module."""
        regs = self._codes.values()
        return sorted(
            (r for r in regs if module is None or r.module == module),
            key=lambda r: (r.module, r.code),
        )

    def __iter__(self) -> Iterator[RegisteredCode]:
        return iter(self.codes())

    def adopt_codes(self, other: Registry) -> None:
        """Register every code of ``other`` here, checking ranges and duplicates."""
        for reg in other.codes():
            self.register(reg.cls, reg.module, reg.code, reg.defined_at)


def _out_of_range(reg: RegisteredCode, mod: ModuleRange) -> CodeOutOfRangeError:
    msg = f"error code {reg.code_str} of {reg.describe()} is outside {mod.describe()}"
    return CodeOutOfRangeError(
        msg, module=reg.module, code=reg.code, range=mod, registration=reg
    )


def _inside_reserved(reg: RegisteredCode, rng: ReservedRange) -> CodeOutOfRangeError:
    msg = f"error code {reg.code_str} of {reg.describe()} is inside {rng.describe()}"
    return CodeOutOfRangeError(
        msg, module=reg.module, code=reg.code, range=rng, registration=reg
    )


_default = Registry()


def get_registry() -> Registry:
    """The process-wide registry that error classes register into."""
    return _default


def set_registry(registry: Registry, *, adopt: bool = True) -> Registry:
    """Make ``registry`` the process-wide one and return the previous one.

    With ``adopt`` (the default), codes already registered by imported classes
    move into the new registry first, so they are checked against its ranges.

    Raises:
        CodeOutOfRangeError, DuplicateCodeError: an adopted code breaks a rule of
            the new registry; the process-wide registry is then left unchanged.
    """
    global _default
    if adopt:
        registry.adopt_codes(_default)
    previous, _default = _default, registry
    return previous
