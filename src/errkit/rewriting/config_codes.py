"""The parts of the toolkit config migration needs, and writing codes back to it.

Reading uses `tomllib`: module paths and ranges, and the codes already allocated.
Writing uses `tomlkit`, which edits the document in place, so the user's comments,
key order and spacing in `pyproject.toml` survive. Allocations go to
`[tool.errkit.codes.<module>]` (top-level `[codes.<module>]` in an `errkit.toml`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from errkit.rewriting.files import write_atomic


class ConfigError(ValueError):
    """The toolkit config is missing or says something migration cannot use."""


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    """One module of the target: its name, folders and inclusive code range."""

    name: str
    paths: tuple[Path, ...]
    low: int
    high: int
    codes: Mapping[int, str]

    def owns(self, path: Path) -> bool:
        """Whether `path` lies in one of the module's folders or is one of its files."""
        resolved = path.resolve()
        return any(resolved == p or p in resolved.parents for p in self.paths)


@dataclass(frozen=True, slots=True)
class MigrateConfig:
    """The config file and the modules it declares."""

    path: Path
    modules: tuple[ModuleSpec, ...]

    def module_for(self, path: Path) -> ModuleSpec | None:
        """The module owning `path`; the deepest folder wins."""
        owners = [m for m in self.modules if m.owns(path)]
        return max(
            owners, key=lambda m: max(len(p.parts) for p in m.paths), default=None
        )

    def module_named(self, name: str) -> ModuleSpec | None:
        return next((m for m in self.modules if m.name == name), None)


def find_config(start: Path) -> Path:
    """The nearest `pyproject.toml` with `[tool.errkit]`, or `errkit.toml`."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "errkit" in _load(pyproject).get("tool", {}):
            return pyproject
        if (candidate / "errkit.toml").is_file():
            return candidate / "errkit.toml"
    msg = f"no [tool.errkit] config found at or above {str(start)!r}"
    raise ConfigError(msg)


def load_migrate_config(path: Path) -> MigrateConfig:
    """Read modules, ranges and known codes from the config file at `path`."""
    section = _section(_load(path), path)
    codes = section.get("codes", {})
    modules = []
    for name, spec in section.get("modules", {}).items():
        where = f"{path}: modules.{name}"
        span = spec.get("range")
        if not (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(v, int) for v in span)
        ):
            msg = f"{where}.range must be [low, high]; got {span!r}"
            raise ConfigError(msg)
        known = {}
        for code, key in codes.get(name, {}).items():
            if not str(code).isdigit():
                msg = f"{path}: codes.{name} keys must be integers; got {code!r}"
                raise ConfigError(msg)
            known[int(code)] = str(key)
        paths = tuple((path.parent / p).resolve() for p in spec.get("paths", [name]))
        modules.append(ModuleSpec(name, paths, span[0], span[1], known))
    return MigrateConfig(path=path, modules=tuple(modules))


def write_codes(path: Path, allocations: Mapping[str, Mapping[int, str]]) -> None:
    """Add new allocations to the config, keeping everything else as written."""
    if not any(allocations.values()):
        return
    document = tomlkit.parse(path.read_bytes().decode("utf-8"))
    section: Any = document
    if path.name == "pyproject.toml":
        section = document["tool"]["errkit"]
    if "codes" not in section:
        section["codes"] = tomlkit.table(is_super_table=True)
    codes = section["codes"]
    for module, new in allocations.items():
        if not new:
            continue
        if module not in codes:
            codes[module] = tomlkit.table()
        table = codes[module]
        for code in sorted(new):
            table[str(code)] = new[code]
    write_atomic(path, tomlkit.dumps(document).encode("utf-8"))


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path}: not valid TOML ({exc})"
        raise ConfigError(msg) from exc


def _section(document: dict[str, Any], path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        section = document.get("tool", {}).get("errkit")
        if not isinstance(section, dict):
            msg = f"{path}: no [tool.errkit] table"
            raise ConfigError(msg)
        return section
    return document
