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

Each carries its evidence as attributes as well as in the message.
"""

from __future__ import annotations

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
    """Root of the errors errkit raises about its own use."""


class ConfigError(ErrkitError, ValueError):
    """Raised when a config file or dict has a bad key or value.

    ``file`` is the file (or ``"<dict>"``), ``key`` the dotted key path and
    ``value`` the rejected value.
    """

    def __init__(self, message: str, *, file: str, key: str, value: object) -> None:
        super().__init__(message)
        self.file = file
        self.key = key
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_config_error, (str(self), self.file, self.key, self.value))


def _rebuild_config_error(
    message: str, file: str, key: str, value: object
) -> ConfigError:
    return ConfigError(message, file=file, key=key, value=value)


class RegistryError(ErrkitError):
    """Root of code-range and code-registration rule violations."""


class InvalidRangeError(RegistryError, ValueError):
    """Raised when a range is malformed: start after end, or a negative code."""


class RangeOverlapError(RegistryError):
    """Raised when a module range overlaps another module's or a reserved range."""


class DuplicateModuleError(RegistryError):
    """Raised when a module name is declared twice in one registry."""


class UnknownModuleError(RegistryError, LookupError):
    """Raised when asking the registry about a module it does not know."""


class CodeOutOfRangeError(RegistryError):
    """Raised when a code lies outside its module's range (or in a reserved one)."""


class DuplicateCodeError(RegistryError):
    """Raised when two different classes claim the same (module, code)."""
