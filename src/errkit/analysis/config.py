"""The toolkit configuration: `[tool.errkit]` in `pyproject.toml`, or `errkit.toml`.

The schema is in docs/ARCHITECTURE.md ("Configuration schema"). The core reads
the registry part (module ranges, reserved ranges); this module reads the whole
table for the toolkit: module paths and priorities, excludes, the metrics
namespace and the effort estimate. Every rejected value raises
`errkit.core._exceptions.ConfigError` naming the file, the dotted key and the
value, which the CLI turns into exit status 2.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from errkit.core._config import MODULE_KEYS, registry_from_mapping
from errkit.core._exceptions import ConfigError, RegistryError

if TYPE_CHECKING:
    from errkit.core._registry import Registry

log = logging.getLogger("errkit.analysis")

__all__ = [
    "DEFAULT_EXCLUDES",
    "ConfigError",
    "ModuleConfig",
    "ToolConfig",
    "find_config_file",
    "load_config",
    "parse_config",
]

#: Folders never scanned: version control, virtual environments, build output,
#: caches. Matched against every folder name on the way down. Any other folder
#: holding a `pyvenv.cfg` is a virtual environment and skipped too: a name like
#: `venv` or `env` alone may be a real package (the stdlib has `venv`).
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "site-packages",
    "__pypackages__",
    "node_modules",
    "build",
    "dist",
    "_build",
    "buck-out",
    ".eggs",
    "*.egg-info",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".errkit_cache",
)

_KNOWN_KEYS = frozenset(
    {
        "namespace",
        "exclude",
        "reserved",
        "effort_per_site_minutes",
        "modules",
        "codes",
        "alerts",  # read by errkit.analysis.alerts
        "baseline",  # read by errkit check
        "strict_modules",  # read by the core registry
    }
)
_MODULE_KEYS = MODULE_KEYS  # one list, shared with the core registry loader
_NAMESPACE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


@dataclass(frozen=True, slots=True)
class ModuleConfig:
    """One module of the target codebase and the code range it owns."""

    name: str
    paths: tuple[str, ...]  # posix, relative to the config's folder
    range: tuple[int, int] | None = None
    description: str = ""
    owner: str = ""
    priority: int = 1


@dataclass(frozen=True, slots=True)
class ToolConfig:
    """The whole `[tool.errkit]` table, validated, with defaults filled in."""

    root: str = "."  # the folder the config's paths are relative to
    source: str | None = None  # the file it came from, None for defaults
    namespace: str = "errkit"
    exclude: tuple[str, ...] = ()
    reserved: tuple[tuple[int, int], ...] = ()
    effort_per_site_minutes: float = 20.0
    modules: tuple[ModuleConfig, ...] = ()
    #: `[tool.errkit.codes.<module>]`: code -> the kind of failure it names.
    codes: Mapping[str, Mapping[int, str]] = field(default_factory=dict)

    def module_for(self, path: str) -> str | None:
        """The module owning `path` (posix, relative to `root`), or None.

        The longest configured path that contains the file wins, so a module
        may own a sub-folder of another's folder.
        """
        best, best_len = None, -1
        for module in self.modules:
            for owned in module.paths:
                inside = owned in ("", ".") or path == owned
                inside = inside or path.startswith(owned + "/")
                if inside and len(owned) > best_len:
                    best, best_len = module.name, len(owned)

        return best

    def registry(self) -> Registry:
        """The core `Registry` of the configured ranges.

        Raises:
            RegistryError: ranges overlap or repeat.
        """
        from errkit.core._registry import Registry

        registry = Registry()
        for first, last in self.reserved:
            registry.reserve(first, last, defined_at=f"{self.source} reserved")
        for m in self.modules:
            if m.range is not None:
                registry.add_module(
                    m.name,
                    m.range[0],
                    m.range[1],
                    description=m.description,
                    owner=m.owner,
                    defined_at=f"{self.source} modules.{m.name}",
                )
        return registry

    def module(self, name: str) -> ModuleConfig | None:
        """The configured module called `name`, or None."""
        return next((m for m in self.modules if m.name == name), None)

    def is_excluded(self, rel_path: str) -> bool:
        """True if a user exclude pattern matches `rel_path` or a parent of it."""
        if not self.exclude:
            return False
        pure = PurePosixPath(rel_path)
        candidates = [rel_path] + [str(p) for p in pure.parents if str(p) != "."]
        return any(
            fnmatch.fnmatchcase(c, pat) or fnmatch.fnmatchcase(c + "/", pat)
            for pat in self.exclude
            for c in candidates
        )

    def fingerprint(self) -> str:
        """A digest of everything that changes scan results; part of the cache key."""
        text = repr(
            (
                self.namespace,
                self.exclude,
                self.reserved,
                [(m.name, m.paths, m.range) for m in self.modules],
                sorted((k, sorted(v.items())) for k, v in self.codes.items()),
            )
        )
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def find_config_file(root: str | Path) -> tuple[Path, bool] | None:
    """The config file for `root`: `(path, is_pyproject)`, or None.

    A `pyproject.toml` counts only if it has a `[tool.errkit]` table; otherwise
    `errkit.toml` is used when present.
    """
    root = Path(root)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            msg = f"{pyproject}: cannot read TOML: {exc}"
            raise ConfigError(msg, file=str(pyproject), key="", value=None) from exc
        if "errkit" in data.get("tool", {}):
            return pyproject, True
    toml = root / "errkit.toml"
    if toml.is_file():
        return toml, False

    return None


def load_config(root: str | Path) -> ToolConfig:
    """The toolkit config found at `root`, or the defaults when there is none.

    Raises:
        ConfigError: the file is not valid TOML, or a key has a bad value.
    """
    root = Path(root)
    found = find_config_file(root) if root.is_dir() else None
    if found is None:
        return ToolConfig(root=str(root))
    path, is_pyproject = found
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: cannot read TOML: {exc}"
        raise ConfigError(msg, file=str(path), key="", value=None) from exc
    table, prefix = _errkit_table(data, is_pyproject, str(path))

    return parse_config(table, file=str(path), root=str(root), prefix=prefix)


def _errkit_table(
    data: dict[str, Any], is_pyproject: bool, file: str
) -> tuple[Any, str]:
    """The errkit table of a parsed file and the prefix of its key names.

    An `errkit.toml` may hold the keys at its top level or, as a copy of the
    pyproject table would, under `[tool.errkit]`; both read the same. Keys
    outside the table used are logged as ignored, never dropped silently.
    """
    if is_pyproject:
        return data["tool"]["errkit"], "tool.errkit."
    tool = data.get("tool")
    if not (isinstance(tool, Mapping) and "errkit" in tool):
        return data, ""
    for key in data:
        if key != "tool":
            log.warning("%s: key %s outside [tool.errkit] is ignored", file, key)
    for key in tool:
        if key != "errkit":
            log.warning("%s: table tool.%s is ignored", file, key)
    return tool["errkit"], "tool.errkit."


def parse_config(
    table: Mapping[str, Any], *, file: str = "<dict>", root: str = ".", prefix: str = ""
) -> ToolConfig:
    """Validate one `[tool.errkit]` table; `prefix` is prepended to key names."""
    check = _Checker(file, prefix)
    if not isinstance(table, Mapping):
        check.fail("", table, "must be a table")
    for key in table:
        if key not in _KNOWN_KEYS:
            log.warning("%s: unknown key %s%s is ignored", file, prefix, key)
    namespace = table.get("namespace", "errkit")
    if not isinstance(namespace, str) or not _NAMESPACE.fullmatch(namespace):
        check.fail("namespace", namespace, "must be an identifier")
    exclude = check.strings("exclude", table.get("exclude", []))
    reserved = tuple(
        check.range(f"reserved[{i}]", r)
        for i, r in enumerate(check.array("reserved", table.get("reserved", [])))
    )
    effort = table.get("effort_per_site_minutes", 20)
    if isinstance(effort, bool) or not isinstance(effort, int | float) or effort <= 0:
        check.fail("effort_per_site_minutes", effort, "must be a positive number")
    modules_table = table.get("modules", {})
    if not isinstance(modules_table, Mapping):
        check.fail("modules", modules_table, "must be a table of modules")
    modules = tuple(
        _module(check, name, value) for name, value in modules_table.items()
    )
    # The registry part (ranges, reserved, description, owner) is the core's:
    # its loader has the last word on what a valid range table is.
    try:
        registry_from_mapping(table, file=file, prefix=prefix)
    except RegistryError:
        pass  # overlapping ranges are `errkit check` findings, not load errors

    return ToolConfig(
        root=root,
        source=None if file == "<dict>" else file,
        namespace=namespace,
        exclude=exclude,
        reserved=reserved,
        effort_per_site_minutes=float(effort),
        modules=modules,
        codes=_codes(check, table.get("codes", {})),
    )


def _module(check: _Checker, name: str, value: Any) -> ModuleConfig:
    key = f"modules.{name}"
    if not isinstance(value, Mapping):
        check.fail(key, value, "must be a table")
    for sub in value:
        if sub not in _MODULE_KEYS:
            check.fail(f"{key}.{sub}", value[sub], "is not a module setting")
    if "paths" in value:
        paths = check.strings(f"{key}.paths", value["paths"])
    elif "path" in value:
        paths = check.strings(f"{key}.path", [value["path"]])
    else:
        paths = (name,)
    paths = tuple(p.replace("\\", "/").strip("/") or "." for p in paths)
    rng = check.range(f"{key}.range", value["range"]) if "range" in value else None
    priority = value.get("priority", 1)
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
        check.fail(f"{key}.priority", priority, "must be an integer of 1 or more")
    for text_key in ("description", "owner"):
        if not isinstance(value.get(text_key, ""), str):
            check.fail(f"{key}.{text_key}", value[text_key], "must be a string")

    return ModuleConfig(
        name=name,
        paths=paths,
        range=rng,
        description=value.get("description", ""),
        owner=value.get("owner", ""),
        priority=priority,
    )


def _codes(check: _Checker, table: Any) -> dict[str, dict[int, str]]:
    if not isinstance(table, Mapping):
        check.fail("codes", table, "must be a table of modules")
    codes: dict[str, dict[int, str]] = {}
    for module, entries in table.items():
        if not isinstance(entries, Mapping):
            check.fail(f"codes.{module}", entries, "must be a table of code = kind")
        codes[module] = {}
        for code, kind in entries.items():
            if not str(code).isdigit():
                check.fail(f"codes.{module}.{code}", code, "must be an integer code")
            codes[module][int(code)] = str(kind)

    return codes


class _Checker:
    """Builds the `ConfigError`s, so every message has the same shape."""

    def __init__(self, file: str, prefix: str) -> None:
        self.file = file
        self.prefix = prefix

    def fail(self, key: str, value: Any, rule: str) -> Any:
        full = f"{self.prefix}{key}".rstrip(".")
        msg = f"{self.file}: {full} {rule}, got {value!r}"
        raise ConfigError(msg, file=self.file, key=full, value=value)

    def array(self, key: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            self.fail(key, value, "must be an array")
        items: list[Any] = value
        return items

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        items = self.array(key, value)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item:
                self.fail(f"{key}[{i}]", item, "must be a non-empty string")
        return tuple(items)

    def range(self, key: str, value: Any) -> tuple[int, int]:
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 <= value[0] <= value[1]
        )
        if not ok:
            self.fail(key, value, "must be [first, last] with 0 <= first <= last")
        return (value[0], value[1])
