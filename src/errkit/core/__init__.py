"""errkit core layer: coded errors, categories, registry, wrapping, sentinels.

Standard library only. The public spelling of these names is ``errkit.<name>``;
this package re-exports them from its private modules.
"""

from __future__ import annotations

from . import _sentinels as sentinels
from ._categories import (
    BLOCKS,
    CATEGORY_DEFAULTS,
    Category,
    CategoryBlock,
    CategoryDefaults,
    Severity,
    block_for_offset,
    category_for_builtin,
)
from ._chain import ChainLink, is_barrier, links, walk
from ._config import configure_registry, load_registry, registry_from_mapping
from ._errors import CodedError
from ._exceptions import (
    CodeOutOfRangeError,
    ConfigError,
    DuplicateCodeError,
    DuplicateModuleError,
    ErrkitError,
    InvalidRangeError,
    RangeOverlapError,
    RegistryError,
    UnknownModuleError,
)
from ._kinds import (
    CodedAttributeError,
    CodedConnectionError,
    CodedFileExistsError,
    CodedFileNotFoundError,
    CodedIndexError,
    CodedKeyError,
    CodedOSError,
    CodedTypeError,
    ConflictError,
    ExternalError,
    InternalError,
    NotFoundError,
    RateLimitError,
    StateError,
    UnauthorizedError,
    ValidationError,
    coded,
)
from ._kinds import (
    TimeoutError as TimeoutError,  # public by name, kept out of __all__ (below)
)
from ._pickling import CauseSnapshot
from ._registry import (
    ModuleRange,
    RegisteredCode,
    Registry,
    ReservedRange,
    get_registry,
    set_registry,
)
from ._wrapping import (
    Match,
    barrier,
    category_of,
    code_of,
    context_of,
    find,
    format_line,
    has,
    is_retryable,
    root_cause,
    severity_of,
    with_context,
    wrap,
)

# errkit.TimeoutError is importable by name but kept out of __all__: a star import
# would shadow the builtin TimeoutError, and an ``except TimeoutError`` below it
# would stop catching plain timeouts.
__all__ = [
    "BLOCKS",
    "CATEGORY_DEFAULTS",
    "Category",
    "CategoryBlock",
    "CategoryDefaults",
    "CauseSnapshot",
    "ChainLink",
    "CodeOutOfRangeError",
    "CodedAttributeError",
    "CodedConnectionError",
    "CodedError",
    "CodedFileExistsError",
    "CodedFileNotFoundError",
    "CodedIndexError",
    "CodedKeyError",
    "CodedOSError",
    "CodedTypeError",
    "ConfigError",
    "ConflictError",
    "DuplicateCodeError",
    "DuplicateModuleError",
    "ErrkitError",
    "ExternalError",
    "InternalError",
    "InvalidRangeError",
    "Match",
    "ModuleRange",
    "NotFoundError",
    "RangeOverlapError",
    "RateLimitError",
    "RegisteredCode",
    "Registry",
    "RegistryError",
    "ReservedRange",
    "Severity",
    "StateError",
    "UnauthorizedError",
    "UnknownModuleError",
    "ValidationError",
    "barrier",
    "block_for_offset",
    "category_for_builtin",
    "category_of",
    "code_of",
    "coded",
    "configure_registry",
    "context_of",
    "find",
    "format_line",
    "get_registry",
    "has",
    "is_barrier",
    "is_retryable",
    "links",
    "load_registry",
    "registry_from_mapping",
    "root_cause",
    "sentinels",
    "set_registry",
    "severity_of",
    "walk",
    "with_context",
    "wrap",
]
