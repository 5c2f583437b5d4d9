"""errkit rewriting (layer 4): the libcst rewrites behind `errkit migrate`.

`migrate()` plans edits with `ast`, gives codes from each module's range, and
rewrites only the planned files with libcst; it writes nothing itself.
`write_atomic()` and `write_codes()` are what `--apply` uses to write.

Names load on first access: the command line imports `kinds` for its options,
and that must not cost the libcst import (about a tenth of a second) on every
`errkit` start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "CodeAllocator": "errkit.rewriting.codes",
    "ConfigError": "errkit.rewriting.config_codes",
    "DirtyFilesError": "errkit.rewriting.safety",
    "Effect": "errkit.rewriting.kinds",
    "FileOutcome": "errkit.rewriting.results",
    "KIND_NAMES": "errkit.rewriting.kinds",
    "LibcstVersionError": "errkit.rewriting.safety",
    "MigrateConfig": "errkit.rewriting.config_codes",
    "MigrateOptions": "errkit.rewriting.engine",
    "MigrateRun": "errkit.rewriting.engine",
    "ModuleSpec": "errkit.rewriting.config_codes",
    "REWRITE_KINDS": "errkit.rewriting.kinds",
    "RewriteKind": "errkit.rewriting.kinds",
    "SkipWhy": "errkit.rewriting.results",
    "Status": "errkit.rewriting.results",
    "dirty_files": "errkit.rewriting.safety",
    "find_config": "errkit.rewriting.config_codes",
    "iter_diff_lines": "errkit.rewriting.engine",
    "load_migrate_config": "errkit.rewriting.config_codes",
    "migrate": "errkit.rewriting.engine",
    "migrate_config": "errkit.rewriting.config_codes",
    "plan_source": "errkit.rewriting.planner",
    "python_files": "errkit.rewriting.engine",
    "require_libcst": "errkit.rewriting.safety",
    "rewrite_bytes": "errkit.rewriting.engine",
    "rewrite_source": "errkit.rewriting.engine",
    "scanner_view": "errkit.rewriting.engine",
    "write_atomic": "errkit.rewriting.files",
    "write_codes": "errkit.rewriting.config_codes",
}

__all__ = [
    "KIND_NAMES",
    "REWRITE_KINDS",
    "CodeAllocator",
    "ConfigError",
    "DirtyFilesError",
    "Effect",
    "FileOutcome",
    "LibcstVersionError",
    "MigrateConfig",
    "MigrateOptions",
    "MigrateRun",
    "ModuleSpec",
    "RewriteKind",
    "SkipWhy",
    "Status",
    "dirty_files",
    "find_config",
    "iter_diff_lines",
    "load_migrate_config",
    "migrate",
    "migrate_config",
    "plan_source",
    "python_files",
    "require_libcst",
    "rewrite_bytes",
    "rewrite_source",
    "scanner_view",
    "write_atomic",
    "write_codes",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'errkit.rewriting' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
