"""Registry policy findings for `errkit check`: ranges and codes as the tree uses them.

The core registry enforces the same rules at import time, one class at a time;
this module checks the whole tree statically, so CI reports every problem at
once and before anything runs. The rules:

| rule | level | what |
| --- | --- | --- |
| `range-overlap` | error | two module ranges, or a module and a reserved range, share codes |
| `unknown-module` | error | a code names a module the config does not declare |
| `code-out-of-range` | error | a code outside its module's range |
| `duplicate-code` | error | one (module, code) used for two different kinds of failure |
| `undeclared-code` | error | a code raised ad hoc that no class and no config entry declares |
| `category-block` | warning | a code whose category does not belong in its block |
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from errkit.analysis.sites import CodeDeclaration
from errkit.core import Category, block_for_offset


class Level(str, enum.Enum):
    """Whether a finding fails `errkit check` (error) or only with `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ModuleRange:
    """A configured module's inclusive code range."""

    name: str
    first: int
    last: int

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and self.first <= code <= self.last

    def __str__(self) -> str:
        return f"{self.first}-{self.last}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken registry rule, located where a reader can fix it."""

    rule: str
    level: Level
    message: str
    path: str | None = None
    line: int | None = None
    module: str | None = None
    code: int | None = None

    @property
    def location(self) -> str:
        """`path:line`, `path`, or "" when the finding has no place in the tree."""
        if self.path is None:
            return ""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path or "", self.line or 0, self.rule, self.message)


def check_policy(
    ranges: Sequence[ModuleRange],
    codes: Iterable[CodeDeclaration],
    *,
    reserved: Sequence[tuple[int, int]] = (),
    config_codes: Mapping[str, Iterable[int]] | None = None,
    config_path: str | None = None,
) -> list[Finding]:
    """Every registry finding for the configured ranges and the codes in the tree.

    `config_codes` are the codes the config's `[tool.errkit.codes.<module>]`
    tables declare (written by `errkit migrate`); they count as declarations
    for `undeclared-code`. `config_path` locates range findings. Findings come
    back sorted by place, then rule.
    """
    codes = list(codes)
    findings = _overlaps(ranges, reserved, config_path)
    by_module = {r.name: r for r in ranges}
    for decl in codes:
        findings.extend(_range_findings(decl, by_module))
    findings.extend(_duplicates(codes))
    findings.extend(_undeclared(codes, config_codes or {}))

    return sorted(findings, key=Finding.sort_key)


def _overlaps(
    ranges: Sequence[ModuleRange],
    reserved: Sequence[tuple[int, int]],
    config_path: str | None,
) -> list[Finding]:
    findings = []
    ordered = sorted(ranges, key=lambda r: (r.first, r.last, r.name))
    for i, left in enumerate(ordered):
        for right in ordered[i + 1 :]:
            if right.first > left.last:
                break
            findings.append(
                Finding(
                    "range-overlap", Level.ERROR,
                    f"range of {left.name} ({left}) overlaps range of "
                    f"{right.name} ({right})",
                    path=config_path, module=right.name,
                )
            )  # fmt: skip
        for first, last in reserved:
            if first <= left.last and left.first <= last:
                findings.append(
                    Finding(
                        "range-overlap", Level.ERROR,
                        f"range of {left.name} ({left}) overlaps reserved range "
                        f"{first}-{last}",
                        path=config_path, module=left.name,
                    )
                )  # fmt: skip

    return findings


def _range_findings(
    decl: CodeDeclaration, by_module: Mapping[str, ModuleRange]
) -> list[Finding]:
    name = f"{decl.module}:{decl.code} ({decl.class_name})"
    span = by_module.get(decl.module)
    if span is None:
        known = ", ".join(sorted(by_module)) or "none"
        msg = f"{name} names module {decl.module!r}, which the config does not "
        msg += f"declare (modules: {known})"
        return [_at(decl, "unknown-module", Level.ERROR, msg)]
    if decl.code not in span:
        msg = f"{name} is outside the range of {decl.module} ({span})"
        return [_at(decl, "code-out-of-range", Level.ERROR, msg)]
    if decl.category is None:
        return []

    block = block_for_offset(decl.code - span.first)
    try:
        category = Category(decl.category)
    except ValueError:
        return []  # not a category name: nothing to compare against
    if block.allows(category):
        return []
    first = span.first + (decl.code - span.first) // 10 * 10
    msg = (
        f"{name} has category {category.value} but sits in the {block.name} "
        f"block ({first}-{first + 9}) of {decl.module}"
    )
    return [_at(decl, "category-block", Level.WARNING, msg)]


def _at(decl: CodeDeclaration, rule: str, level: Level, message: str) -> Finding:
    """A finding located at a declaration or raise."""
    return Finding(
        rule, level, message,
        path=decl.path, line=decl.line, module=decl.module, code=decl.code,
    )  # fmt: skip


def _kind_of(
    decl: CodeDeclaration, classes: Mapping[str, str]
) -> tuple[tuple[str, ...], str]:
    """What failure a declaration stands for: an identity key and a readable label.

    A declared class is one kind wherever it is raised (the same name declared
    in two files is two kinds); an ad-hoc raise is its type plus its message,
    the way `errkit migrate` allocates codes, unless it raises the class that
    is declared for the same code.
    """
    if decl.declared:
        return ("class", decl.class_name, decl.path), f"class {decl.class_name}"
    if decl.class_name in classes:
        path = classes[decl.class_name]
        return ("class", decl.class_name, path), f"class {decl.class_name}"
    label = decl.class_name
    if decl.message is not None:
        label = f"{decl.class_name}({decl.message!r})"
    return ("raise", decl.class_name, decl.message or ""), label


def _duplicates(codes: Sequence[CodeDeclaration]) -> list[Finding]:
    groups: dict[tuple[str, int], list[CodeDeclaration]] = {}
    for decl in codes:
        groups.setdefault((decl.module, decl.code), []).append(decl)

    findings = []
    for (module, code), decls in sorted(groups.items()):
        decls = sorted(decls, key=lambda d: (not d.declared, d.path, d.line))
        classes: dict[str, str] = {}
        for decl in decls:
            if decl.declared:
                classes.setdefault(decl.class_name, decl.path)
        # The first place each kind appears; later places of a kind are fine.
        kinds: dict[tuple[str, ...], tuple[str, CodeDeclaration]] = {}
        for decl in decls:
            key, label = _kind_of(decl, classes)
            kinds.setdefault(key, (label, decl))
        if len(kinds) < 2:
            continue
        (origin_label, origin), *others = kinds.values()
        for label, decl in others:
            msg = (
                f"{module}:{code} is used for two kinds: {label} here and "
                f"{origin_label} at {origin.path}:{origin.line}"
            )
            findings.append(
                Finding(
                    "duplicate-code", Level.ERROR, msg,
                    path=decl.path, line=decl.line, module=module, code=code,
                )
            )  # fmt: skip

    return findings


def _undeclared(
    codes: Sequence[CodeDeclaration], config_codes: Mapping[str, Iterable[int]]
) -> list[Finding]:
    declared = {(d.module, d.code) for d in codes if d.declared}
    for module, numbers in config_codes.items():
        declared.update((module, int(n)) for n in numbers)

    findings = []
    for decl in codes:
        if decl.declared or (decl.module, decl.code) in declared:
            continue
        msg = (
            f"{decl.module}:{decl.code} ({decl.class_name}) is raised but not "
            f"declared: declare a class for it or list it under "
            f"[tool.errkit.codes.{decl.module}]"
        )
        findings.append(
            Finding(
                "undeclared-code", Level.ERROR, msg,
                path=decl.path, line=decl.line, module=decl.module, code=decl.code,
            )
        )  # fmt: skip

    return findings
