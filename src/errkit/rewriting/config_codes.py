"""The parts of the toolkit config migration needs, and writing codes back to it.

Reading goes through the analysis layer's loader (`errkit.analysis.config`), which
validates the whole table through the core registry loader: a bad range is the
same `ConfigError` naming file, key and value for `migrate` as for every other
command, and there is one config reader. This module only adapts the result
(absolute module folders, each module's range and known codes). Writing uses
`tomlkit`, which edits the document in place, so the user's comments, key order
and spacing in `pyproject.toml` survive. Allocations go to
`[tool.errkit.codes.<module>]` (top-level `[codes.<module>]` in an `errkit.toml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from errkit.analysis.config import (
    ConfigError,
    ToolConfig,
    find_config_file,
    load_config,
)
from errkit.rewriting.files import write_atomic

__all__ = [
    "ConfigError",
    "MigrateConfig",
    "ModuleSpec",
    "find_config",
    "load_migrate_config",
    "migrate_config",
    "write_codes",
]


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
    """The config file, the modules it declares, and the validated tool config."""

    path: Path
    modules: tuple[ModuleSpec, ...]
    tool: ToolConfig | None = None

    def module_for(self, path: Path) -> ModuleSpec | None:
        """The module owning `path`; the deepest folder wins."""
        owners = [m for m in self.modules if m.owns(path)]
        return max(
            owners, key=lambda m: max(len(p.parts) for p in m.paths), default=None
        )

    def module_named(self, name: str) -> ModuleSpec | None:
        return next((m for m in self.modules if m.name == name), None)

    @property
    def exclude(self) -> tuple[str, ...]:
        """The config's own `exclude` globs (relative to the config's folder)."""
        return self.tool.exclude if self.tool is not None else ()


def find_config(start: Path) -> Path:
    """The nearest `pyproject.toml` with `[tool.errkit]`, or `errkit.toml`.

    Raises ConfigError when there is none at or above `start`.
    """
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        found = find_config_file(candidate)
        if found is not None:
            return found[0]
    msg = f"no [tool.errkit] config found at or above {str(start)!r}"
    raise ConfigError(msg, file=str(start), key="", value=None)


def load_migrate_config(path: Path) -> MigrateConfig:
    """Read and validate the config file at `path` with the analysis loader.

    Raises ConfigError (file, key, value) for anything the loader rejects, and
    when `path` is not the file the loader picks for its folder.
    """
    tool = load_config(path.parent)
    if tool.source is None or Path(tool.source).resolve() != path.resolve():
        msg = (
            f"{path}: config must be the pyproject.toml with [tool.errkit] or the "
            f"errkit.toml of its folder; that folder's config is {tool.source!r}"
        )
        raise ConfigError(msg, file=str(path), key="", value=tool.source)
    return migrate_config(tool, path)


def migrate_config(tool: ToolConfig, path: Path) -> MigrateConfig:
    """The migration view of a validated `ToolConfig` loaded from `path`.

    Every module needs a code range to allocate codes from.
    """
    base = Path(tool.root)
    modules = []
    prefix = "tool.errkit." if path.name == "pyproject.toml" else ""
    for module in tool.modules:
        if module.range is None:
            key = f"{prefix}modules.{module.name}.range"
            msg = f"{path}: {key} must be set for errkit migrate to allocate codes"
            raise ConfigError(msg, file=str(path), key=key, value=None)
        paths = tuple((base / p).resolve() for p in module.paths)
        low, high = module.range
        known = dict(tool.codes.get(module.name, {}))
        modules.append(ModuleSpec(module.name, paths, low, high, known))
    return MigrateConfig(path=path, modules=tuple(modules), tool=tool)


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
