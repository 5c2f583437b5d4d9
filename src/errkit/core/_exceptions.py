"""errkit's own errors: what errkit raises when it is misused or misconfigured.

These are not the coded errors errkit gives to users (see ``_errors``); they report
problems with errkit's configuration and registry. The tree::

    ErrkitError                      root of everything errkit itself raises
    ├── ConfigError (ValueError)     a bad value in a config file or dict
    └── RegistryError                a code-range or code registration rule broken
        ├── InvalidRangeError (ValueError)   start > end, negative, or malformed
        ├── RangeOverlapError        two module ranges (or a reserved one) overlap
        ├── DuplicateModuleError     the same module name declared twice
        ├── UnknownModuleError (LookupError)  a module name the registry lacks
        ├── CodeOutOfRangeError      a code outside its module's range
        └── DuplicateCodeError       two classes claim the same (module, code)

Each carries its evidence as attributes as well as in the message, and pickles
with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._ranges import ModuleRange, RegisteredCode, ReservedRange

__all__ = [
    "CodeOutOfRangeError",
    "ConfigError",
    "DuplicateCodeError",
    "DuplicateModuleError",
    "ErrkitError",
    "InvalidRangeError",
    "RangeOverlapError",
    "RegistryError",
    "UnknownModuleError",
]


class ErrkitError(Exception):
    """Root of the errors errkit raises about its own use.

    Keyword arguments become attributes: the evidence a caller (the CLI, a test)
    can read without parsing the message.
    """

    def __init__(self, message: str, **evidence: object) -> None:
        super().__init__(message)
        self.__dict__.update(evidence)

    def __reduce__(self) -> tuple[object, ...]:
        # BaseException's own reduce calls cls(message), which fails for the
        # keyword-only evidence of subclasses (BR-09): rebuild without __init__.
        return (_rebuild, (type(self), str(self), dict(self.__dict__)))


def _rebuild(
    cls: type[ErrkitError], message: str, state: dict[str, object]
) -> ErrkitError:
    obj = cls.__new__(cls, message)
    Exception.__init__(obj, message)
    obj.__dict__.update(state)
    return obj


class ConfigError(ErrkitError, ValueError):
    """Raised when a config file or dict has a bad key or value.

    ``file`` is the file (or ``"<dict>"``), ``key`` the dotted key path and
    ``value`` the rejected value.
    """

    file: str
    key: str
    value: object

    def __init__(self, message: str, *, file: str, key: str, value: object) -> None:
        super().__init__(message, file=file, key=key, value=value)


class RegistryError(ErrkitError):
    """Root of code-range and code-registration rule violations."""


class InvalidRangeError(RegistryError, ValueError):
    """Raised when a range is malformed: start after end, or a negative code.

    ``value`` is the rejected bound or name.
    """

    value: object


class RangeOverlapError(RegistryError):
    """Raised when a module range overlaps another module's or a reserved range.

    ``new`` is the range being added, ``existing`` the one it overlaps.
    """

    new: ModuleRange | ReservedRange
    existing: ModuleRange | ReservedRange


class DuplicateModuleError(RegistryError):
    """Raised when a module name is declared twice in one registry.

    ``existing`` and ``new`` are the two declarations.
    """

    existing: ModuleRange
    new: ModuleRange


class UnknownModuleError(RegistryError, LookupError):
    """Raised when asking the registry about a module it does not know.

    ``module`` is the name asked for.
    """

    module: str


class CodeOutOfRangeError(RegistryError):
    """Raised when a code lies outside its module's range (or in a reserved one).

    ``module`` and ``code`` name the code, ``range`` the module's or reserved
    range it breaks, ``registration`` the class registration (None when only a
    code was checked).
    """

    module: str
    code: int
    range: ModuleRange | ReservedRange
    registration: RegisteredCode | None


class DuplicateCodeError(RegistryError):
    """Raised when two different classes claim the same (module, code).

    ``existing`` and ``new`` are the two registrations.
    """

    existing: RegisteredCode
    new: RegisteredCode
