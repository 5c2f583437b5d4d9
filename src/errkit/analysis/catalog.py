"""The error catalog: every code in the tree, what it means and what to do about it.

Built from the scanner's `CodeDeclaration` records (declared classes and ad-hoc
coded raises) plus one extra pass that finds where each declared class is
raised, so an entry can say "declared at errors.py:12, raised at stock.py:40".
Severity and retryability come from the category defaults of the core; the
client advice is per category. Renderers live in `catalog_format`.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from errkit.analysis.sites import CodeDeclaration, FileScan
from errkit.core import CATEGORY_DEFAULTS, Category, category_for_builtin

logger = logging.getLogger("errkit.analysis")

#: What a client should do on an error of each category.
CLIENT_ACTIONS: Mapping[str, str] = {
    "validation": "Fix the request before sending it again; repeating it "
    "unchanged fails the same way.",
    "not_found": "Check the identifier: the resource does not exist or is not "
    "visible to the caller. Do not retry unchanged.",
    "conflict": "Re-read the current state and resolve the conflict, then "
    "retry with the updated request.",
    "unauthorized": "Authenticate again or obtain the missing permission; "
    "retrying with the same credentials fails.",
    "state": "The resource is not in a state that allows this operation; wait "
    "for or trigger the needed transition first.",
    "external": "A dependency failed; retry with exponential backoff and jitter.",
    "internal": "A fault on the server side; report it with the correlation "
    "id. Retrying is unlikely to help.",
    "timeout": "Retry with backoff; the operation may have completed, so only "
    "retry calls that are idempotent.",
    "rate_limit": "Slow down: wait until the limit resets (Retry-After) "
    "before retrying.",
}
_CATEGORY_NAMES = frozenset(c.value for c in Category)
_UNKNOWN_ACTION = "No category is known for this code; treat it as internal."


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One code of the catalog, with everything a reader of a log line needs."""

    module: str
    code: int
    class_name: str
    category: str | None
    severity: str | None
    retryable: bool | None
    message: str | None
    description: str | None
    client_action: str
    #: `path:line` of each class declaring the code (several only if broken)
    declared_at: tuple[str, ...] = ()
    #: `path:line` of each raise of the code found in the tree
    raised_at: tuple[str, ...] = ()

    @property
    def code_str(self) -> str:
        return f"{self.module}:{self.code}"

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-able data, `code_str` included."""
        return {
            "code_str": self.code_str,
            "module": self.module,
            "code": self.code,
            "class": self.class_name,
            "category": self.category,
            "severity": self.severity,
            "retryable": self.retryable,
            "message": self.message,
            "description": self.description,
            "client_action": self.client_action,
            "declared_at": list(self.declared_at),
            "raised_at": list(self.raised_at),
        }


@dataclass(frozen=True, slots=True)
class RaiseSite:
    """A `raise` of a declared class, found by `find_raises`."""

    class_name: str
    path: str
    line: int
    message: str | None = None


@dataclass(slots=True)
class _Draft:
    decls: list[CodeDeclaration] = field(default_factory=list)
    raises: list[RaiseSite] = field(default_factory=list)
    #: (path, line) -> literal `severity` / `retryable` keywords found there
    overrides: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)


def build_catalog(
    scans: Iterable[FileScan],
    root: str | Path,
    module_for: Callable[[str], str | None] = lambda path: None,
) -> list[CatalogEntry]:
    """Every (module, code) found in the scans, sorted by module then code.

    `root` is where the scans' relative paths start; files that declare
    nothing are read only if they mention a declared class name.
    """
    scans = list(scans)
    drafts: dict[tuple[str, int], _Draft] = {}
    for scan in scans:
        for decl in scan.codes:
            drafts.setdefault((decl.module, decl.code), _Draft()).decls.append(decl)

    # Which (module, code) each declared class name stands for.
    owners: dict[str, list[tuple[str, int]]] = {}
    for key, draft in drafts.items():
        for decl in draft.decls:
            if decl.declared and key not in owners.get(decl.class_name, []):
                owners.setdefault(decl.class_name, []).append(key)
    # Ad-hoc raises whose message the scanner left out (not a plain literal).
    untold: dict[str, set[int]] = {}
    for draft in drafts.values():
        for decl in draft.decls:
            if not decl.declared and decl.message is None:
                untold.setdefault(decl.path, set()).add(decl.line)

    templates: dict[tuple[str, int], str] = {}
    for scan in scans:
        if scan.skipped is not None:
            continue
        lines = frozenset(untold.get(scan.path, ()))
        for site in _raises_in(Path(root, scan.path), scan.path, owners, lines):
            if site.line in lines and site.message is not None:
                templates[site.path, site.line] = site.message
            if site.class_name in owners:
                owner = _owner(site, owners[site.class_name], module_for)
                if owner is not None:
                    drafts[owner].raises.append(site)
    overrides = _overrides(root, [d for draft in drafts.values() for d in draft.decls])
    for draft in drafts.values():
        draft.decls = [
            replace(d, message=templates.get((d.path, d.line), d.message))
            for d in draft.decls
        ]
        draft.overrides = overrides

    return [
        _entry(module, code, drafts[module, code]) for module, code in sorted(drafts)
    ]


def _raises_in(
    file: Path,
    path: str,
    owners: Mapping[str, list[tuple[str, int]]],
    lines: frozenset[int],
) -> list[RaiseSite]:
    try:
        data = file.read_bytes()
    except OSError as exc:
        logger.warning("catalog: cannot read %s: %s", file, exc)
        return []
    if not lines and not any(name.encode() in data for name in owners):
        return []
    return find_raises(data, path, frozenset(owners), lines)


def _overrides(
    root: str | Path, decls: list[CodeDeclaration]
) -> dict[tuple[str, int], dict[str, Any]]:
    """Literal `severity=` and `retryable=` keywords of each declaring class
    statement or ad-hoc raise call, which the scan records do not carry."""
    lines: dict[str, set[int]] = {}
    for decl in decls:
        lines.setdefault(decl.path, set()).add(decl.line)

    found: dict[tuple[str, int], dict[str, Any]] = {}
    for path, wanted in lines.items():
        try:
            tree = ast.parse(Path(root, path).read_bytes(), filename=path)
        except (OSError, SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) not in wanted:
                continue
            if isinstance(node, ast.ClassDef):
                keywords = node.keywords
            elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                keywords = node.exc.keywords
            else:
                continue
            values = {k.arg: _literal(k.value) for k in keywords if k.arg in _OWN}
            values = {k: v for k, v in values.items() if v is not None}
            if values:
                found[path, node.lineno] = values

    return found


_OWN = frozenset({"severity", "retryable"})


def _literal(node: ast.expr) -> str | bool | None:
    """`"critical"`, `True`, or `errkit.Severity.CRITICAL` as "critical"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bool)):
        return node.value
    if isinstance(node, ast.Attribute) and _last_name(node.value) == "Severity":
        return node.attr.lower()
    return None


def _owner(
    site: RaiseSite,
    keys: list[tuple[str, int]],
    module_for: Callable[[str], str | None],
) -> tuple[str, int] | None:
    # Two modules may declare classes of the same name; the raising file's own
    # module decides, and a raise that still cannot be told apart is left out.
    if len(keys) == 1:
        return keys[0]
    home = module_for(site.path)
    mine = [key for key in keys if key[0] == home]
    return mine[0] if len(mine) == 1 else None


def find_raises(
    source: bytes | str,
    path: str,
    names: frozenset[str],
    lines: frozenset[int] = frozenset(),
) -> list[RaiseSite]:
    """Raises of the named classes (`raise X(...)`, `raise pkg.X`) in one file,
    and any raise on one of `lines` (to read an ad-hoc raise's message).

    A file that does not parse gives no sites; the scanner reports it already.
    """
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []

    sites = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        target, message = node.exc, None
        if isinstance(target, ast.Call):
            message = _template(target.args[0]) if target.args else None
            target = target.func
        name = _last_name(target)
        if name in names or node.lineno in lines:
            sites.append(RaiseSite(name or "", path, node.lineno, message))

    return sites


def _template(node: ast.expr) -> str | None:
    """A literal message, or an f-string as its template (`only {n} left`)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue):
            parts.append("{" + ast.unparse(value.value) + "}")

    return "".join(parts)


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _entry(module: str, code: int, draft: _Draft) -> CatalogEntry:
    decls = sorted(draft.decls, key=lambda d: (not d.declared, d.path, d.line))
    main = decls[0]
    category = next((d.category for d in decls if d.category), None)
    if category is None:
        category = _coded_builtin_category(main.class_name)
    severity: str | None = None
    retryable: bool | None = None
    if category in _CATEGORY_NAMES:
        defaults = CATEGORY_DEFAULTS[Category(category)]
        severity, retryable = defaults.severity.value, defaults.retryable
    # `severity=` / `retryable=` on the class (or the first ad-hoc raise) win.
    own = draft.overrides.get((main.path, main.line), {})
    severity = own.get("severity", severity)
    retryable = own.get("retryable", retryable)

    raised = sorted(
        {(d.path, d.line) for d in decls if not d.declared}
        | {(r.path, r.line) for r in draft.raises}
    )
    messages = [d.message for d in decls if d.message]
    messages += [r.message for r in sorted(draft.raises, key=_place) if r.message]
    docstring = next((d.docstring for d in decls if d.docstring), None)

    return CatalogEntry(
        module=module,
        code=code,
        class_name=main.class_name,
        category=category,
        severity=severity,
        retryable=retryable,
        message=messages[0] if messages else None,
        description=inspect.cleandoc(docstring) if docstring else None,
        client_action=CLIENT_ACTIONS.get(category or "", _UNKNOWN_ACTION),
        declared_at=tuple(f"{d.path}:{d.line}" for d in decls if d.declared),
        raised_at=tuple(f"{path}:{line}" for path, line in raised),
    )


def _coded_builtin_category(class_name: str) -> str | None:
    """The category of `errkit.CodedKeyError` and its kin: their builtin's."""
    builtin = getattr(builtins, class_name.removeprefix("Coded"), None)
    if not class_name.startswith("Coded") or not isinstance(builtin, type):
        return None
    if not issubclass(builtin, BaseException):
        return None
    return category_for_builtin(builtin).value


def _place(site: RaiseSite) -> tuple[str, int]:
    return site.path, site.line


def parse_code(text: str) -> tuple[str, int]:
    """`"inventory:120"` as `("inventory", 120)`; ValueError names the bad text."""
    module, sep, number = text.rpartition(":")
    if not sep or not module or not number.isdigit():
        msg = (
            f"code must look like 'module:number' (e.g. 'inventory:120'), got {text!r}"
        )
        raise ValueError(msg)
    return module, int(number)
