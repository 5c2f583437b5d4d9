"""Where `import errkit` goes: the place isort (or ruff's `I` rules) would give it.

`errkit` is a third-party package for the file being migrated, so its import
belongs in the third-party section of the file's import block: after the
standard-library imports, before the project's own, in alphabetical order among
the third-party `import x` lines (which isort puts before the `from x import y`
lines of the same section). Where the file has no third-party section, the
import opens one, with a blank line on each side, as isort separates sections.
A file formatted by isort before the migration is still formatted after it.
"""

from __future__ import annotations

import ast
import enum
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class Layout(str, enum.Enum):
    """How the import line is inserted before its statement."""

    #: One more line of the previous statement's section, right after it.
    LINE_AFTER = "line-after"
    #: One more line of the statement's section, right before it (after the
    #: blank lines that open it).
    LINE_BEFORE = "line-before"
    #: A new section after the previous statement: a blank line, then the import.
    SECTION_AFTER = "section-after"
    #: A new section before the statement's section: the import and a blank line,
    #: placed after the blank lines that open the statement.
    SECTION_BEFORE = "section-before"


@dataclass(frozen=True, slots=True)
class ImportPlace:
    """Insert before top-level statement `index` (ast numbering) in `layout`."""

    index: int
    layout: Layout


_STDLIB = frozenset(sys.stdlib_module_names)


def first_party(path: str) -> frozenset[str]:
    """Top-level names of the project's own code, as isort finds them.

    The outermost package holding the file (folders with `__init__.py`), or the
    file's own name for a module outside any package.
    """
    file = Path(path)
    top = file.stem
    folder = file.parent
    while folder != folder.parent and (folder / "__init__.py").is_file():
        top = folder.name
        folder = folder.parent
    return frozenset({top})


def _section(node: ast.Import | ast.ImportFrom, own: frozenset[str]) -> str:
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return "local"
        name = node.module or ""
    else:
        name = node.names[0].name
    top = name.split(".")[0]
    if top == "__future__":
        return "future"
    if top in own:
        return "first-party"
    if top in _STDLIB:
        return "stdlib"
    return "third-party"


def _sort_key(node: ast.Import) -> str:
    return node.names[0].name.lower()


def import_place(
    body: Sequence[ast.stmt], path: str, header_end: int
) -> ImportPlace | None:
    """Where the import goes among the file's leading imports.

    `header_end` is the index after the docstring and `__future__` imports. None
    when the file has no top-level import after its header (the caller then puts
    the import right after the header).
    """
    own = first_party(path)
    block: list[tuple[int, ast.Import | ast.ImportFrom, str]] = []
    for index in range(header_end, len(body)):
        node = body[index]
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            break
        block.append((index, node, _section(node, own)))
    if not block:
        return None
    third = [(i, n) for i, n, section in block if section == "third-party"]
    straight = [(i, n) for i, n in third if isinstance(n, ast.Import)]
    if straight:
        after = [i for i, n in straight if _sort_key(n) > "errkit"]
        if after:
            return ImportPlace(after[0], Layout.LINE_BEFORE)
        return ImportPlace(straight[-1][0] + 1, Layout.LINE_AFTER)
    if third:
        return ImportPlace(third[0][0], Layout.LINE_BEFORE)
    later = [i for i, _, section in block if section in ("first-party", "local")]
    if later:
        return ImportPlace(later[0], Layout.SECTION_BEFORE)
    return ImportPlace(block[-1][0] + 1, Layout.SECTION_AFTER)
