"""error-class: a custom exception class gains a category type and a code.

`class OutOfStock(Exception)` becomes
`class OutOfStock(errkit.ConflictError, Exception, module="inventory", code=120)`.
Every original base is kept, and the errkit base goes just before the first builtin
exception base, so the class's method order among its own bases is unchanged. A
category type is used only if it adds no builtin ancestor the class did not already
have; otherwise the base is `errkit.CodedError` with a `category=` keyword, so no
`except` clause starts or stops catching the class.
"""

from __future__ import annotations

import ast
import builtins
import re

import libcst as cst

import errkit.core
from errkit.rewriting.raise_generic import append_args, errkit_attr, keyword_arg
from errkit.rewriting.targets import ClassEdit, CodeRequest

#: category -> (errkit category type, the builtins it is an instance of)
CATEGORY_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "validation": ("ValidationError", frozenset({"ValueError"})),
    "not_found": ("NotFoundError", frozenset({"LookupError"})),
    "conflict": ("ConflictError", frozenset()),
    "unauthorized": ("UnauthorizedError", frozenset({"PermissionError", "OSError"})),
    "state": ("StateError", frozenset({"RuntimeError"})),
    "external": ("ExternalError", frozenset({"ConnectionError", "OSError"})),
    "internal": ("InternalError", frozenset({"RuntimeError"})),
    "timeout": ("TimeoutError", frozenset({"TimeoutError", "OSError"})),
    "rate_limit": ("RateLimitError", frozenset()),
}

#: The category a builtin base implies, most specific builtin first.
_BASE_CATEGORY = (
    ("PermissionError", "unauthorized"),
    ("TimeoutError", "timeout"),
    ("ConnectionError", "external"),
    ("FileNotFoundError", "not_found"),
    ("FileExistsError", "conflict"),
    ("KeyError", "not_found"),
    ("IndexError", "not_found"),
    ("LookupError", "not_found"),
    ("ValueError", "validation"),
    ("TypeError", "validation"),
    ("OSError", "external"),
    ("RuntimeError", "internal"),
)

#: Names that say the category outright, whatever builtin the class is based on
#: (`ConflictingIdError(KeyError)` is a conflict, not a missing key). First
#: match wins.
_STRONG_NAMES = (
    (re.compile(r"Conflict|Exists|Duplicate", re.IGNORECASE), "conflict"),
    (re.compile(r"NotFound|Missing", re.IGNORECASE), "not_found"),
    (re.compile(r"Timeout|TimedOut", re.IGNORECASE), "timeout"),
    (
        re.compile(r"Permission|Unauthori[sz]ed|Forbidden", re.IGNORECASE),
        "unauthorized",
    ),
    (re.compile(r"Invalid|Validation", re.IGNORECASE), "validation"),
    (re.compile(r"RateLimit|Throttl", re.IGNORECASE), "rate_limit"),
    (re.compile(r"Expired|State", re.IGNORECASE), "state"),
)

#: Weaker hints, for classes whose builtin bases say nothing (plain Exception).
_NAME_CATEGORY = (
    (re.compile(r"NoSuch|Unknown", re.IGNORECASE), "not_found"),
    (re.compile(r"Malformed|BadRequest|Parse", re.IGNORECASE), "validation"),
    (re.compile(r"OutOf|Already", re.IGNORECASE), "conflict"),
    (re.compile(r"Auth|Denied", re.IGNORECASE), "unauthorized"),
    (re.compile(r"Quota", re.IGNORECASE), "rate_limit"),
    (re.compile(r"Closed|NotReady|NotRunning", re.IGNORECASE), "state"),
    (
        re.compile(r"Connection|Network|Remote|Upstream|External", re.IGNORECASE),
        "external",
    ),
)


def _owned_attributes() -> frozenset[str]:
    """Names a user class cannot set without changing how an errkit base behaves.

    Every attribute the errkit types define, except properties that accept any
    assignment (the structured fields, which are stored in ``context``).
    """
    owned = {"context"}  # its setter accepts only mappings
    types = [
        errkit.core.CodedError,
        *(getattr(errkit.core, t) for t, _ in CATEGORY_TYPES.values()),
    ]
    for cls in types:
        for klass in cls.__mro__:
            if not klass.__module__.startswith("errkit"):
                continue
            for name, value in vars(klass).items():
                if name.startswith("__"):
                    continue
                if isinstance(value, property) and value.fset is not None:
                    continue
                owned.add(name)
    return frozenset(owned)


#: Attributes errkit's types own: a class that sets one is left alone.
OWNED_ATTRIBUTES = _owned_attributes()


#: Builtins whose constructors take keywords or set attributes from their
#: arguments in ways `errkit.CodedError.__init__` does not reproduce.
CONSTRUCTOR_BUILTINS = frozenset(
    {
        "ImportError",
        "AttributeError",
        "NameError",
        "StopIteration",
        "StopAsyncIteration",
        "BaseExceptionGroup",
    }
)


def builtin_exception(name: str) -> type[BaseException] | None:
    """The builtin exception class called `name`; warnings are not errors."""
    value = getattr(builtins, name, None)
    if (
        isinstance(value, type)
        and issubclass(value, BaseException)
        and not issubclass(value, Warning)
    ):
        return value
    return None


def ancestry(names: list[str]) -> frozenset[str]:
    """Every builtin exception class the named builtin bases make a class."""
    found: set[str] = set()
    for name in names:
        cls = builtin_exception(name)
        if cls is not None:
            found.update(k.__name__ for k in cls.__mro__ if k is not object)
    return frozenset(found)


def category_for(name: str, builtin_bases: list[str]) -> str:
    """The category of a class: a telling name, then its builtin bases, then hints.

    The category picks the code block; the errkit base is then chosen so that the
    class gains no builtin ancestor (see `plan_class`).
    """
    for pattern, category in _STRONG_NAMES:
        if pattern.search(name):
            return category
    have = ancestry(builtin_bases)
    for builtin, category in _BASE_CATEGORY:
        if builtin in have:
            return category
    for pattern, category in _NAME_CATEGORY:
        if pattern.search(name):
            return category
    return "internal"


def owned_attributes_set(node: ast.ClassDef) -> set[str]:
    """errkit-owned attribute names the class defines or assigns on `self`."""
    found: set[str] = set()
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = (
                statement.targets
                if isinstance(statement, ast.Assign)
                else [statement.target]
            )
            for target in targets:
                found.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Attribute)
            and isinstance(child.ctx, ast.Store)
            and isinstance(child.value, ast.Name)
            and child.value.id == "self"
        ):
            found.add(child.attr)
    return found & OWNED_ATTRIBUTES


def plan_class(
    node: ast.ClassDef, builtin_bases: list[str], qualname: str, col: int
) -> ClassEdit:
    """The edit giving `node` an errkit base and a code."""
    category = category_for(node.name, builtin_bases)
    base, adds = CATEGORY_TYPES[category]
    keyword: str | None = None
    if not adds <= ancestry(builtin_bases):
        base, keyword = "CodedError", category
    first = next(
        index
        for index, expr in enumerate(node.bases)
        if isinstance(expr, ast.Name) and expr.id in builtin_bases
    )

    return ClassEdit(
        line=node.lineno,
        col=col,
        base=base,
        insert_at=first,
        request=CodeRequest(category=category, key=f"class {qualname}"),
        name=node.name,
        category_keyword=keyword,
    )


# --- libcst side -------------------------------------------------------------------


def apply_class(node: cst.ClassDef, edit: ClassEdit, module: str) -> cst.ClassDef:
    """The class with the errkit base inserted and its keywords appended."""
    positional = [arg for arg in node.bases]
    inserted = cst.Arg(
        value=errkit_attr(edit.base),
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
    )
    positional.insert(edit.insert_at, inserted)
    extra: list[cst.Arg] = []
    if edit.request is not None:
        assert edit.code is not None  # plans are given codes before they are applied
        extra.append(keyword_arg("module", cst.SimpleString(f'"{module}"')))
        extra.append(keyword_arg("code", cst.Integer(str(edit.code))))
    if edit.category_keyword is not None:
        extra.append(
            keyword_arg("category", cst.SimpleString(f'"{edit.category_keyword}"'))
        )
    if edit.context is not None:
        extra.append(keyword_arg("context", cst.SimpleString(f'"{edit.context}"')))
    opening = (
        node.lpar.whitespace_after if isinstance(node.lpar, cst.LeftParen) else None
    )
    everything = append_args([*positional, *node.keywords], extra, opening)

    return node.with_changes(
        bases=everything[: len(positional)],
        keywords=everything[len(positional) :],
    )
