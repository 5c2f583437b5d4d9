"""errkit rewriting (layer 4): the libcst rewrites behind `errkit migrate`.

`migrate()` plans edits with `ast`, gives codes from each module's range, and
rewrites only the planned files with libcst; it writes nothing itself.
`write_atomic()` and `write_codes()` are what `--apply` uses to write.
"""

from __future__ import annotations

from errkit.rewriting.codes import CodeAllocator
from errkit.rewriting.config_codes import (
    ConfigError,
    MigrateConfig,
    ModuleSpec,
    find_config,
    load_migrate_config,
    migrate_config,
    write_codes,
)
from errkit.rewriting.engine import (
    MigrateOptions,
    MigrateRun,
    iter_diff_lines,
    migrate,
    python_files,
    rewrite_bytes,
    rewrite_source,
    scanner_view,
)
from errkit.rewriting.files import write_atomic
from errkit.rewriting.kinds import KIND_NAMES, REWRITE_KINDS, Effect, RewriteKind
from errkit.rewriting.planner import plan_source
from errkit.rewriting.results import FileOutcome, SkipWhy, Status
from errkit.rewriting.safety import (
    DirtyFilesError,
    LibcstVersionError,
    dirty_files,
    require_libcst,
)

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
