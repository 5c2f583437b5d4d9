"""`errkit init`: a first config from the packages a project has.

Modules are the top-level packages under the root (or under `src/`); when
there is exactly one, its sub-packages and public modules become the modules
instead, since one range for a whole service says nothing. Each module gets
a 100-code range, allocated from 100 upward, skipping reserved ranges. The
config goes into `pyproject.toml` as `[tool.errkit]` when the project has
one, else into `errkit.toml`; an existing errkit config is never overwritten
unless `force` is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from errkit.analysis.config import DEFAULT_EXCLUDES, ModuleConfig, find_config_file
from errkit.core._exceptions import ConfigError

__all__ = ["allocate_ranges", "discover_modules", "render_config", "write_config"]

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def discover_modules(root: str | Path) -> list[tuple[str, str]]:
    """`(module name, path relative to root)` for each module `init` proposes."""
    root = Path(root)
    bases = [root / "src"] if (root / "src").is_dir() else [root]
    packages = [
        p
        for base in bases
        for p in sorted(base.iterdir())
        if p.is_dir()
        and (p / "__init__.py").is_file()
        and not _excluded(p.name)
        and p.name not in ("tests", "test", "docs", "examples")
    ]
    if len(packages) != 1:
        return [(p.name, p.relative_to(root).as_posix()) for p in packages]

    package = packages[0]
    found = []
    for child in sorted(package.iterdir()):
        if child.name.startswith(("_", ".")) or _excluded(child.name):
            continue
        if child.is_dir() and (child / "__init__.py").is_file():
            found.append((child.name, child.relative_to(root).as_posix()))
        elif child.suffix == ".py":
            found.append((child.stem, child.relative_to(root).as_posix()))
    return found or [(package.name, package.relative_to(root).as_posix())]


def allocate_ranges(
    count: int, reserved: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """`count` ranges of 100 codes from 100 upward, none touching a reserved one."""
    ranges: list[tuple[int, int]] = []
    first = 100
    while len(ranges) < count:
        last = first + 99
        if not any(lo <= last and first <= hi for lo, hi in reserved):
            ranges.append((first, last))
        first += 100
    return ranges


def render_config(
    modules: Sequence[ModuleConfig],
    reserved: Sequence[tuple[int, int]] = (),
    *,
    pyproject: bool = True,
) -> str:
    """The TOML text of a config (the `[tool.errkit]` tables, or `errkit.toml`)."""
    head = "tool.errkit" if pyproject else ""
    lines = [f"[{head}]"] if pyproject else []
    lines.append('namespace = "errkit"')
    lines.append('exclude = ["tests/**"]')
    lines.append(f"reserved = {[list(r) for r in reserved]}")
    lines.append("effort_per_site_minutes = 20")
    for module in modules:
        table = (
            f"{head}.modules.{_key(module.name)}"
            if head
            else f"modules.{_key(module.name)}"
        )
        lines += ["", f"[{table}]", f"paths = {_array(module.paths)}"]
        if module.range:
            lines.append(f"range = [{module.range[0]}, {module.range[1]}]")
        lines.append(f"description = {_string(module.description)}")
        lines.append(f"owner = {_string(module.owner)}")
        lines.append(f"priority = {module.priority}")
    return "\n".join(lines) + "\n"


def write_config(
    root: str | Path,
    *,
    force: bool = False,
    reserved: Sequence[tuple[int, int]] = (),
) -> tuple[Path, list[ModuleConfig]]:
    """Discover, allocate and write; returns the file written and the modules.

    Raises:
        ConfigError: an errkit config exists and `force` is not set, or no
            package was found. With `force`, the old config's reserved ranges
            stay reserved.
    """
    root = Path(root)
    existing = find_config_file(root)
    if existing is not None and not force:
        path = existing[0]
        key = "tool.errkit" if existing[1] else ""
        msg = f"{path}: an errkit config exists already; use --force to replace it"
        raise ConfigError(msg, file=str(path), key=key, value=None)
    if existing is not None:  # --force: keep the ranges the old config reserved
        from errkit.analysis.config import load_config

        kept = load_config(root).reserved
        reserved = [*reserved, *(r for r in kept if r not in reserved)]
    found = discover_modules(root)
    if not found:
        msg = f"{root}: no Python package found to make modules of"
        raise ConfigError(msg, file=str(root), key="modules", value=[])
    ranges = allocate_ranges(len(found), reserved)
    modules = [
        ModuleConfig(name, (path,), rng, description=f"{name} (set by errkit init)")
        for (name, path), rng in zip(found, ranges, strict=True)
    ]

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        text = _without_errkit_tables(pyproject.read_text(encoding="utf-8"))
        text = text.rstrip("\n") + "\n\n" + render_config(modules, reserved)
        _atomic_write(pyproject, text)
        return pyproject, modules
    target = root / "errkit.toml"
    _atomic_write(target, render_config(modules, reserved, pyproject=False))
    return target, modules


def _without_errkit_tables(text: str) -> str:
    """The pyproject text with every `[tool.errkit...]` table removed (for --force)."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            name = header.group(1).replace('"', "").replace(" ", "")
            skipping = name == "tool.errkit" or name.startswith("tool.errkit.")
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.errkit-tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _excluded(name: str) -> bool:
    return name in DEFAULT_EXCLUDES or name.endswith(".egg-info")


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _string(name)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _array(items: Sequence[str]) -> str:
    return "[" + ", ".join(_string(i) for i in items) + "]"
