"""Names the scanner knows, and resolving a name in a file through its imports.

A site is found by what a name *is*, not how it is spelled: `T(...)` after
`from threading import Thread as T` is a thread, `aio.create_task` after
`import asyncio as aio` is a task. `Resolver.qualname` turns a `Name` or an
attribute chain into the dotted name it refers to, as far as the file's imports
say; builtins resolve to `builtins.X` only while the file does not bind the name.
"""

from __future__ import annotations

import ast
import builtins

__all__ = [
    "BUILTIN_ERRORS",
    "ERRKIT_CATEGORIES",
    "GENERIC_RAISES",
    "Resolver",
    "dotted",
    "module_name_for",
]

#: Builtin exception classes that are errors (warnings are not).
BUILTIN_ERRORS: frozenset[str] = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type)
    and issubclass(value, BaseException)
    and not issubclass(value, Warning)
)

#: The builtins whose raise is a `raise-generic` site (DESIGN.md, "Site kinds").
GENERIC_RAISES: frozenset[str] = frozenset(
    {
        "Exception",
        "RuntimeError",
        "ValueError",
        "TypeError",
        "KeyError",
        "IndexError",
        "LookupError",
        "OSError",
        "IOError",
        "EnvironmentError",
        "PermissionError",
        "FileNotFoundError",
        "FileExistsError",
        "TimeoutError",
        "ConnectionError",
        "AttributeError",
    }
)

#: Calls that create a thread, by dotted name -> (positional index, keyword) of
#: the function the thread runs.
THREAD_CALLS: dict[str, tuple[int, str]] = {
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "_thread.start_new_thread": (0, "function"),
    "_thread.start_new": (0, "function"),
}

#: Standard-library classes that are `threading.Thread` (a subclass starts threads).
THREAD_CLASSES: frozenset[str] = frozenset(
    {
        "threading.Thread",
        "threading.Timer",
        "threading._DummyThread",
        "threading._MainThread",
        "multiprocessing.dummy.DummyProcess",
        "multiprocessing.dummy.Process",
    }
)

TASK_CALLS: frozenset[str] = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.run_coroutine_threadsafe",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
        "asyncio.tasks.run_coroutine_threadsafe",
    }
)

TASK_GROUPS: frozenset[str] = frozenset(
    {"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"}
)
EXECUTORS: frozenset[str] = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.Executor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
        "concurrent.futures._base.Executor",
    }
)

#: errkit category types -> the category a class based on one declares.
ERRKIT_CATEGORIES: dict[str, str] = {
    "ValidationError": "validation",
    "NotFoundError": "not_found",
    "ConflictError": "conflict",
    "UnauthorizedError": "unauthorized",
    "StateError": "state",
    "ExternalError": "external",
    "InternalError": "internal",
    "TimeoutError": "timeout",
    "RateLimitError": "rate_limit",
}


#: What `from <module> import *` brings in that a site can be made of.
_STAR_NAMES: dict[str, tuple[str, ...]] = {
    "threading": ("Thread", "Timer"),
    "_thread": ("start_new_thread", "start_new"),
    "asyncio": (
        "create_task",
        "ensure_future",
        "run_coroutine_threadsafe",
        "TaskGroup",
    ),
    "concurrent.futures": ("ThreadPoolExecutor", "ProcessPoolExecutor", "Executor"),
}


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None (no resolving)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)

    return ".".join(reversed(parts))


def module_name_for(rel_path: str) -> str:
    """The dotted module a file is imported as, from its path under the scan root.

    `src/` layouts lose the `src` part; `pkg/__init__.py` is `pkg`.
    """
    parts = rel_path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if len(parts) > 1 and parts[0] in ("src", "lib"):
        parts.pop(0)

    return ".".join(p for p in parts if p)


class Resolver:
    """One file's import aliases and bound names, and the lookups over them."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.aliases: dict[str, str] = {}
        self.bound: set[str] = set()
        self.local_classes: dict[str, str] = {}  # name -> dotted (module.Name)

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Record what the names an import statement binds refer to."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    self.aliases[head] = head
            return
        base = node.module or ""
        if node.level:
            pkg = self.package.split(".") if self.package else []
            up = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
            base = ".".join([*up, base] if base else up)
        for alias in node.names:
            if alias.name == "*":
                # only the names the checklist cares about, from known modules
                for name in _STAR_NAMES.get(base, ()):
                    self.aliases.setdefault(name, f"{base}.{name}")
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self.aliases[alias.asname or alias.name] = target

    def qualname(self, node: ast.expr) -> str | None:
        """The dotted name `node` refers to, or None if imports don't say."""
        if isinstance(node, ast.Name):
            name = node.id
            target = self.aliases.get(name)
            if target is not None:
                return target
            if name in self.local_classes:
                return self.local_classes[name]
            if name not in self.bound and hasattr(builtins, name):
                return f"builtins.{name}"
            return None
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def builtin(self, node: ast.expr) -> str | None:
        """The builtin's name if `node` refers to a builtin, else None."""
        qual = self.qualname(node)
        if qual is not None and qual.startswith("builtins."):
            return qual[9:]
        return None

    def errkit_name(self, node: ast.expr) -> str | None:
        """The public errkit name `node` refers to (`watch`, `ValidationError`)."""
        qual = self.qualname(node)
        if qual is not None and qual.startswith("errkit."):
            return qual.rpartition(".")[2]
        return None
