"""Loading a ``Registry`` from a dict or a TOML file.

The schema is the ``[tool.errkit]`` table of ``docs/ARCHITECTURE.md``. The core
reads only ``modules.<name>.range/description/owner`` and ``reserved``; other
keys (paths, priority, exclude, codes ...) belong to the analysis layer and are
left alone here. Every error names the file, the dotted key and the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._exceptions import ConfigError
from ._registry import Registry, set_registry

if TYPE_CHECKING:
    from pathlib import Path

# tomllib and pathlib are imported by the functions that read files: a service
# that never loads a config file should not pay for them at `import errkit`.

__all__ = [
    "configure_registry",
    "load_registry",
    "read_errkit_table",
    "registry_from_mapping",
]

_PYPROJECT = "pyproject.toml"
_ERRKIT_TOML = "errkit.toml"


def _fail(file: str, key: str, value: object, rule: str) -> ConfigError:
    return ConfigError(
        f"{file}: {key}: {rule}, got {value!r}", file=file, key=key, value=value
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _pair(file: str, key: str, value: object) -> tuple[int, int]:
    rule = "must be a list of two integers [start, end] with 0 <= start <= end"
    if not (isinstance(value, list) and len(value) == 2):
        raise _fail(file, key, value, rule)
    start, end = value
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end):
        raise _fail(file, key, value, rule)
    return start, end


def _text(file: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(file, key, value, "must be a string")
    return value


#: The keys a module table may hold (the analysis layer reads the others).
MODULE_KEYS = frozenset({"paths", "path", "range", "description", "owner", "priority"})


def registry_from_mapping(
    table: Mapping[str, Any], *, file: str = "<dict>", prefix: str = ""
) -> Registry:
    """Build a ``Registry`` from the ``[tool.errkit]`` table as a mapping.

    ``file`` and ``prefix`` (e.g. ``"tool.errkit."``) only shape error messages.

    Raises:
        ConfigError: a key has a value of the wrong shape.
        RangeOverlapError, DuplicateModuleError: ranges break a registry rule;
            the message names both ranges and where each is defined.
    """
    if not isinstance(table, Mapping):
        raise _fail(file, prefix.rstrip(".") or "<root>", table, "must be a table")
    strict = table.get("strict_modules", False)
    if not isinstance(strict, bool):
        raise _fail(file, f"{prefix}strict_modules", strict, "must be true or false")
    registry = Registry(strict=strict)

    reserved = table.get("reserved", [])
    if not isinstance(reserved, list):
        raise _fail(file, f"{prefix}reserved", reserved, "must be a list of ranges")
    for i, item in enumerate(reserved):
        key = f"{prefix}reserved[{i}]"
        start, end = _pair(file, key, item)
        registry.reserve(start, end, defined_at=f"{file} {key}")

    modules = table.get("modules", {})
    if not isinstance(modules, Mapping):
        raise _fail(file, f"{prefix}modules", modules, "must be a table of modules")
    for name, spec in modules.items():
        key = f"{prefix}modules.{name}"
        if not isinstance(spec, Mapping):
            raise _fail(file, key, spec, "must be a table")
        if "range" not in spec:
            unknown = sorted(set(spec) - MODULE_KEYS)
            hint = f" (unknown keys here: {', '.join(unknown)})" if unknown else ""
            raise _fail(file, f"{key}.range", None, f"is required{hint}")
        start, end = _pair(file, f"{key}.range", spec["range"])
        registry.add_module(
            name,
            start,
            end,
            description=_text(file, f"{key}.description", spec.get("description", "")),
            owner=_text(file, f"{key}.owner", spec.get("owner", "")),
            defined_at=f"{file} [{key}]",
        )
    return registry


def read_errkit_table(path: str | Path) -> tuple[dict[str, Any], str, str]:
    """The errkit table of a config file, its key prefix and the file read.

    ``path`` is a ``pyproject.toml`` (table ``[tool.errkit]``), an
    ``errkit.toml`` (top level), or a directory holding either (the pyproject
    wins when it has a ``[tool.errkit]`` table).

    Raises:
        ConfigError: no such file, unreadable TOML, or no errkit table.
    """
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        pyproject, own = path / _PYPROJECT, path / _ERRKIT_TOML
        if pyproject.is_file() and "errkit" in _load(pyproject).get("tool", {}):
            path = pyproject
        elif own.is_file():
            path = own
        else:
            raise _fail(
                str(path),
                "tool.errkit",
                None,
                f"no {_PYPROJECT} with [tool.errkit] and no {_ERRKIT_TOML} found",
            )
    data = _load(path)
    if path.name != _PYPROJECT:
        return data, "", str(path)
    table = data.get("tool", {}).get("errkit")
    if table is None:
        raise _fail(str(path), "tool.errkit", None, "is missing")
    return table, "tool.errkit.", str(path)


def _load(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise _fail(str(path), "<file>", str(path), "file does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(str(path), "<file>", str(exc), "is not valid TOML") from exc


def load_registry(source: str | Path | Mapping[str, Any]) -> Registry:
    """A ``Registry`` from a mapping (the errkit table) or a config file/folder.

    Raises:
        ConfigError: bad file or bad value, naming file, key and value.
        RegistryError: ranges that overlap or repeat.
    """
    if isinstance(source, Mapping):
        return registry_from_mapping(source)
    table, prefix, file = read_errkit_table(source)
    return registry_from_mapping(table, file=file, prefix=prefix)


def configure_registry(source: str | Path | Mapping[str, Any]) -> Registry:
    """Load ``source`` and make it the process-wide registry; return it.

    Codes already registered by imported error classes move into it and are
    checked against its ranges, so call this at startup, before or after
    importing the modules that declare error kinds.

    Raises:
        ConfigError: bad file or bad value, naming file, key and value.
        RegistryError: overlapping ranges, or a registered code that breaks the
            new ranges (the process-wide registry is then left unchanged).
    """
    registry = load_registry(source)
    set_registry(registry)
    return registry
