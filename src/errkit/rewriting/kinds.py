"""The rewrite kinds `errkit migrate` knows, and what each one may change.

Every rewrite keeps control flow: the same `except` clauses catch, `str()` of an
error is unchanged and awaited results still raise. What a rewrite may change is
declared here so the CLI can show it and a reviewer can hold it to that promise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from errkit.analysis.sites import SiteKind


class Effect(str, enum.Enum):
    """The most a rewrite kind may change in a running program."""

    #: No program can tell the difference.
    NOTHING_OBSERVABLE = "nothing-observable"
    #: Only what is displayed: repr, traceback text, `__cause__`, log records.
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, slots=True)
class RewriteKind:
    """One auto-rewritable site kind with the promise its rewrite keeps."""

    kind: SiteKind
    effect: Effect
    changes: str


REWRITE_KINDS: dict[SiteKind, RewriteKind] = {
    spec.kind: spec
    for spec in (
        RewriteKind(
            SiteKind.SPAWN_THREAD,
            Effect.DISPLAY_ONLY,
            "a failing thread target is recorded and logged by errkit instead of "
            "printed by threading.excepthook",
        ),
        RewriteKind(
            SiteKind.SPAWN_TASK,
            Effect.DISPLAY_ONLY,
            "a done-callback records failures; the task object and what awaiting "
            "it raises are unchanged",
        ),
        RewriteKind(
            SiteKind.SPAWN_EXECUTOR,
            Effect.DISPLAY_ONLY,
            "a done-callback records failures; the future object and what "
            ".result() raises are unchanged",
        ),
        RewriteKind(
            SiteKind.RAISE_GENERIC,
            Effect.DISPLAY_ONLY,
            "repr and tracebacks show the code; the error is still an instance of "
            "the builtin raised before, with the same str() and args",
        ),
        RewriteKind(
            SiteKind.RAISE_UNCHAINED,
            Effect.DISPLAY_ONLY,
            "`from err` sets __cause__ and the traceback's wording",
        ),
        RewriteKind(
            SiteKind.ERROR_CLASS,
            Effect.DISPLAY_ONLY,
            "the class gains an errkit base and a code shown in repr; every "
            "original base and builtin ancestor is kept",
        ),
    )
}

#: The `--only` / `--skip` spellings, in checklist order.
KIND_NAMES: tuple[str, ...] = tuple(kind.value for kind in REWRITE_KINDS)


def parse_kinds(only: tuple[str, ...], skip: tuple[str, ...]) -> frozenset[SiteKind]:
    """The kinds selected by `--only` and `--skip`; unknown names are rejected."""
    for name in (*only, *skip):
        if name not in KIND_NAMES:
            msg = f"kind must be one of {', '.join(KIND_NAMES)}; got {name!r}"
            raise ValueError(msg)
    selected = {SiteKind(name) for name in only} if only else set(REWRITE_KINDS)

    return frozenset(selected - {SiteKind(name) for name in skip})
