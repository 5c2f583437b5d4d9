"""`errkit init`: a first config from the packages a project has.

Every library file must land in exactly one module, and nothing else in any:

- The packages are the folders with an `__init__.py` under `src/` and the
  root, except test, docs and example folders. Several packages: one module
  each. One package with public sub-packages: one module per sub-package plus
  one, named after the package, for its own top-level files (`__init__.py`,
  private `_name.py` modules and private sub-packages belong to it), listed
  by name so that no module's paths hold another's. One flat
  package: one module. No package at all: one module per top-level file.
- Everything else with Python in it (tests, `conftest.py`, `docs/`,
  `examples/`, `setup.py`, scripts) goes into `exclude`.
- Codes already declared in the source keep their place: a module whose
  codes fit one block of 100 gets that block, the others are allocated
  around it, from 100 upward, skipping reserved ranges.

The config goes into `pyproject.toml` as `[tool.errkit]` when the project has
one, else into `errkit.toml`; an existing errkit config is never overwritten
unless `force` is given.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from errkit.analysis.config import (
    DEFAULT_EXCLUDES,
    ModuleConfig,
    ToolConfig,
    find_config_file,
)
from errkit.analysis.sites import CodeDeclaration
from errkit.core._exceptions import ConfigError

__all__ = [
    "InitPlan",
    "adhoc_codes",
    "allocate_ranges",
    "assign_ranges",
    "discover_modules",
    "existing_codes",
    "metrics_namespace",
    "plan_modules",
    "render_config",
    "write_config",
]

log = logging.getLogger("errkit.analysis")

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
#: Folders that hold tests wherever they are: never library code.
_TEST_DIRS = frozenset({"tests", "test", "testing", "_tests"})
#: Top-level folders that are never a library package, even with `__init__.py`.
_NOT_PACKAGES = _TEST_DIRS | {"docs", "doc", "examples", "example", "benchmarks"}
_BLOCK = 100


@dataclass(frozen=True, slots=True)
class InitPlan:
    """What `init` proposes: `(name, paths)` per module, and the excludes."""

    modules: tuple[tuple[str, tuple[str, ...]], ...]
    exclude: tuple[str, ...]


def discover_modules(root: str | Path) -> list[tuple[str, str]]:
    """`(module name, path relative to root)` for each module `init` proposes."""
    return [(name, paths[0]) for name, paths in plan_modules(root).modules]


def plan_modules(root: str | Path) -> InitPlan:
    """The modules of the project at `root` and the excludes that leave only them."""
    root = Path(root)
    packages = _packages(root)
    modules: list[tuple[str, tuple[str, ...]]] = []
    if len(packages) == 1:
        package = packages[0]
        subs = [
            child
            for child in sorted(package.iterdir())
            if _is_package(child)
            and not child.name.startswith(("_", "."))
            and child.name not in _TEST_DIRS
        ]
        if subs:
            # The package's own files by name, not its folder: a folder would
            # hold the sub-packages too, and `errkit migrate <package>` would
            # take in every module.
            own = (package.name, _own_paths(package, subs, root))
            modules = [own, *((c.name, (_rel(c, root),)) for c in subs)]
        else:
            modules = [(package.name, (_rel(package, root),))]
    elif packages:
        modules = [(p.name, (_rel(p, root),)) for p in packages]
    else:  # a flat project: its top-level modules
        modules = [
            (f.stem, (_rel(f, root),))
            for base in _bases(root)
            for f in sorted(base.glob("*.py"))
            if _is_library_file(PurePosixPath(f.name))
            and f.name not in ("setup.py", "noxfile.py", "fabfile.py")
        ]
    modules = _unique_names(modules)
    config = ToolConfig(
        root=str(root), modules=tuple(ModuleConfig(n, p) for n, p in modules)
    )
    return InitPlan(tuple(modules), _excludes(root, config))


def metrics_namespace(name: str) -> str:
    """`name` as a Prometheus-safe metrics namespace: `"My-Shop 2"` -> `"my_shop_2"`."""
    text = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
    if not text:
        return "errkit"
    return f"_{text}" if text[0].isdigit() else text


def existing_codes(root: str | Path, plan: InitPlan) -> dict[str, list[int]]:
    """Codes already declared or raised in the source, by module, sorted.

    A declaration names its module (`module="escrow"`) or belongs to the
    planned module owning its file. Only files that mention errkit are scanned.
    """
    codes: dict[str, set[int]] = {}
    for decl in _declarations(root, plan):
        codes.setdefault(decl.module, set()).add(decl.code)
    return {module: sorted(found) for module, found in codes.items()}


def adhoc_codes(
    declarations: Iterable[CodeDeclaration],
) -> dict[str, dict[int, str]]:
    """Codes only raised ad hoc (no class declares them), for `[codes.<module>]`.

    `errkit check` wants every raised code declared; init lists these the way
    `errkit migrate` does: `502 = "ValidationError: account exists"`.
    """
    decls = list(declarations)
    declared = {(d.module, d.code) for d in decls if d.declared}
    table: dict[str, dict[int, str]] = {}
    for d in sorted(decls, key=lambda d: (d.module, d.code, d.path, d.line)):
        if d.declared or (d.module, d.code) in declared:
            continue
        text = f"{d.class_name}: {d.message}" if d.message else d.class_name
        table.setdefault(d.module, {}).setdefault(d.code, text)
    return table


def _declarations(root: str | Path, plan: InitPlan) -> list[CodeDeclaration]:
    from errkit.analysis.scanner import discover, scan_blobs

    root = Path(root)
    config = ToolConfig(
        root=str(root),
        exclude=plan.exclude,
        modules=tuple(ModuleConfig(n, p) for n, p in plan.modules),
    )
    blobs = []
    for rel, abspath in discover(root, config):
        try:
            data = Path(abspath).read_bytes()
        except OSError:
            continue  # `errkit scan` reports unreadable files; init needs none
        if b"errkit" in data:
            blobs.append((rel, data))
    return [
        decl for scan in scan_blobs(blobs, config, cache=False) for decl in scan.codes
    ]


def allocate_ranges(
    count: int,
    reserved: Sequence[tuple[int, int]] = (),
    taken: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """`count` ranges of 100 codes from 100 upward, none touching a reserved or
    taken one."""
    blocked = [*reserved, *taken]
    ranges: list[tuple[int, int]] = []
    first = _BLOCK
    while len(ranges) < count:
        last = first + _BLOCK - 1
        if not any(lo <= last and first <= hi for lo, hi in blocked):
            ranges.append((first, last))
        first += _BLOCK
    return ranges


def assign_ranges(
    names: Sequence[str],
    reserved: Sequence[tuple[int, int]] = (),
    existing: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, tuple[int, int]]:
    """A range for each module in `names`, keeping the codes already in use.

    A module whose `existing` codes fit one block of 100 (`501..541` ->
    `500-599`) gets that block, unless it is reserved or another module had it
    first; the blocks of modules not in `names` stay free of others. The rest
    are allocated from 100 upward around them.
    """
    existing = existing or {}
    pinned: dict[str, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for name, codes in existing.items():
        if not codes:
            continue
        block = _block_of(codes)
        free = block is not None and not any(
            lo <= block[1] and block[0] <= hi for lo, hi in [*reserved, *taken]
        )
        if name in names and block is not None and free:
            pinned[name] = block
            taken.append(block)
        elif name not in names:
            taken.append(block or (min(codes), max(codes)))
        else:
            log.warning(
                "module %s: its existing codes %s do not fit one free block of "
                "%d; it gets a new range",
                name,
                _codes_text(codes),
                _BLOCK,
            )
    rest = [n for n in names if n not in pinned]
    fresh = dict(zip(rest, allocate_ranges(len(rest), reserved, taken), strict=True))
    return {name: pinned.get(name) or fresh[name] for name in names}


def render_config(
    modules: Sequence[ModuleConfig],
    reserved: Sequence[tuple[int, int]] = (),
    *,
    pyproject: bool = True,
    namespace: str = "errkit",
    exclude: Sequence[str] = ("tests/**",),
    codes: Mapping[str, Mapping[int, str]] | None = None,
) -> str:
    """The TOML text of a config (the `[tool.errkit]` tables, or `errkit.toml`)."""
    head = "tool.errkit" if pyproject else ""
    lines = [f"[{head}]"] if pyproject else []
    lines.append(f"namespace = {_string(namespace)}")
    lines += _assign("exclude", exclude)
    lines.append(f"reserved = {[list(r) for r in reserved]}")
    lines.append("effort_per_site_minutes = 20")
    for module in modules:
        table = (
            f"{head}.modules.{_key(module.name)}"
            if head
            else f"modules.{_key(module.name)}"
        )
        lines += ["", f"[{table}]", *_assign("paths", module.paths)]
        if module.range:
            lines.append(f"range = [{module.range[0]}, {module.range[1]}]")
        lines.append(f"description = {_string(module.description)}")
        lines.append(f"owner = {_string(module.owner)}")
        lines.append(f"priority = {module.priority}")
    for name, entries in (codes or {}).items():
        prefix = f"{head}.codes" if head else "codes"
        lines += ["", f"[{prefix}.{_key(name)}]"]
        lines += [f"{code} = {_string(t)}" for code, t in sorted(entries.items())]
    return "\n".join(lines) + "\n"


def write_config(
    root: str | Path,
    *,
    force: bool = False,
    reserved: Sequence[tuple[int, int]] = (),
    namespace: str = "errkit",
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
    plan = plan_modules(root)
    if not plan.modules:
        msg = f"{root}: no Python package found to make modules of"
        raise ConfigError(msg, file=str(root), key="modules", value=[])
    declarations = _declarations(root, plan)
    in_use: dict[str, list[int]] = {}
    for decl in declarations:
        in_use.setdefault(decl.module, []).append(decl.code)
    names = [name for name, _ in plan.modules]
    ranges = assign_ranges(names, reserved, in_use)
    modules = [
        ModuleConfig(
            name, paths, ranges[name], description=f"{name} (set by errkit init)"
        )
        for name, paths in plan.modules
    ]
    modules.sort(key=lambda m: m.range or (0, 0))
    codes = {m: c for m, c in adhoc_codes(declarations).items() if m in names}
    pyproject = root / "pyproject.toml"
    is_pyproject = pyproject.is_file()
    rendered = render_config(
        modules,
        reserved,
        pyproject=is_pyproject,
        namespace=namespace,
        exclude=plan.exclude,
        codes=codes,
    )
    if is_pyproject:
        text = _without_errkit_tables(pyproject.read_text(encoding="utf-8"))
        _atomic_write(pyproject, text.rstrip("\n") + "\n\n" + rendered)
        return pyproject, modules
    target = root / "errkit.toml"
    _atomic_write(target, rendered)
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


def _bases(root: Path) -> list[Path]:
    return [root / "src", root] if (root / "src").is_dir() else [root]


def _is_package(path: Path) -> bool:
    return path.is_dir() and (path / "__init__.py").is_file()


def _packages(root: Path) -> list[Path]:
    """The top-level library packages under `src/` and the root."""
    return [
        p
        for base in _bases(root)
        for p in sorted(base.iterdir())
        if _is_package(p)
        and not _excluded(p.name)
        and not p.name.startswith(".")
        and p.name not in _NOT_PACKAGES
    ]


def _own_paths(package: Path, subs: list[Path], root: Path) -> tuple[str, ...]:
    """A package's files and folders outside its public sub-packages and tests."""
    paths = []
    for child in sorted(package.iterdir()):
        if child in subs or child.name in _TEST_DIRS or _excluded(child.name):
            continue
        if child.is_file() and child.suffix == ".py":
            if _is_library_file(PurePosixPath(child.name)):
                paths.append(_rel(child, root))
        elif child.is_dir() and any(child.rglob("*.py")):
            paths.append(_rel(child, root))
    return tuple(paths)


def _is_library_file(rel: PurePosixPath) -> bool:
    """False for test code: test folders, `test_*.py`, `*_test.py`, `conftest.py`."""
    name = rel.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return False
    return not any(part in _TEST_DIRS for part in rel.parts[:-1])


def _excludes(root: Path, config: ToolConfig) -> tuple[str, ...]:
    """Patterns for every Python file no module should own, as few as possible.

    Each such file is excluded through its highest folder that holds no
    library file (`docs/**`, `h11/tests/**`), or by its own path.
    """
    from errkit.analysis.scanner import discover

    files = [PurePosixPath(rel) for rel, _ in discover(root, config)]
    owned = {f for f in files if config.module_for(str(f)) and _is_library_file(f)}
    library_dirs = {str(parent) for f in owned for parent in f.parents}
    patterns = set()
    for f in files:
        if f in owned:
            continue
        outer = next(
            (p for p in reversed(f.parents[:-1]) if str(p) not in library_dirs), None
        )
        patterns.add(f"{outer}/**" if outer is not None else str(f))
    return tuple(sorted(patterns))


def _unique_names(
    modules: list[tuple[str, tuple[str, ...]]],
) -> list[tuple[str, tuple[str, ...]]]:
    """Module names made unique by their parent folder (`a_util`, `b_util`)."""
    count: dict[str, int] = {}
    for name, _ in modules:
        count[name] = count.get(name, 0) + 1
    out = []
    for name, paths in modules:
        if count[name] > 1:
            parent = PurePosixPath(paths[0]).parent.name
            name = f"{parent}_{name}" if parent else name
        out.append((name, paths))
    return out


def _block_of(codes: Sequence[int]) -> tuple[int, int] | None:
    first = min(codes) // _BLOCK * _BLOCK
    return (first, first + _BLOCK - 1) if max(codes) <= first + _BLOCK - 1 else None


def _codes_text(codes: Sequence[int]) -> str:
    return f"{min(codes)}..{max(codes)}"


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _string(name)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _assign(key: str, items: Sequence[str]) -> list[str]:
    """`key = [...]` on one line, or one item a line when it would run long."""
    line = f"{key} = {_array(items)}"
    if len(line) <= 88:
        return [line]
    return [f"{key} = [", *(f"    {_string(i)}," for i in items), "]"]


def _array(items: Sequence[str]) -> str:
    return "[" + ", ".join(_string(i) for i in items) + "]"
