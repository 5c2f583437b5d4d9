"""The migration ratchet: a committed count of unmigrated sites that may only fall.

A baseline holds, per module and site kind, how many unmigrated sites the tree
may have. `errkit check --baseline FILE` fails when any count grows past it and
`--update-baseline` lowers counts that fell, never raising one.

The file is keyed by module and kind, never by line or file, so moving code
does not change it. It is TOML, sorted, one count a line, with each module in
its own table: two branches that improve different modules touch lines that
are separated by at least a table header, so git merges them without a
conflict::

    [inventory]
    raise-generic = 12
    spawn-thread = 3

    [orders]
    swallow = 1
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from errkit.analysis.sites import FileScan, SiteKind, SiteState

#: The module key for sites in files that no configured module owns.
UNASSIGNED = "(unassigned)"

#: (module, kind) -> count of unmigrated sites
Counts = Mapping[tuple[str, str], int]

_HEADER = (
    "# errkit baseline: unmigrated sites allowed per module and site kind.\n"
    "# `errkit check --baseline` fails when a count grows; "
    "`--update-baseline` lowers counts.\n"
    "# Keyed without lines or files so moving code does not change it; "
    "keep it sorted.\n"
)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KINDS = frozenset(kind.value for kind in SiteKind)


class BaselineError(ValueError):
    """A baseline file that cannot be read as one; the CLI exits with status 2."""


@dataclass(frozen=True, slots=True)
class Growth:
    """One module and kind whose unmigrated count went past the baseline."""

    module: str
    kind: str
    allowed: int
    actual: int
    #: path -> unmigrated sites of this kind in that file, for the report
    files: Mapping[str, int]

    @property
    def excess(self) -> int:
        return self.actual - self.allowed


def count_unmigrated(
    scans: Iterable[FileScan], module_for: Callable[[str], str | None]
) -> dict[tuple[str, str], int]:
    """Unmigrated sites per (module, kind); exempt and migrated ones do not count."""
    counts: Counter[tuple[str, str]] = Counter()
    for scan in scans:
        module = module_for(scan.path) or UNASSIGNED
        for site in scan.sites:
            if site.state is SiteState.UNMIGRATED:
                counts[(module, site.kind.value)] += 1

    return dict(counts)


def compare(
    baseline: Counts,
    current: Counts,
    scans: Iterable[FileScan] = (),
    module_for: Callable[[str], str | None] = lambda path: None,
) -> list[Growth]:
    """Every (module, kind) whose current count exceeds the baseline, sorted.

    A key absent from the baseline allows zero. `scans` and `module_for`, when
    given, fill each growth's per-file breakdown.
    """
    grown = sorted(
        key for key, actual in current.items() if actual > baseline.get(key, 0)
    )
    per_file: dict[tuple[str, str], Counter[str]] = {key: Counter() for key in grown}
    for scan in scans:
        module = module_for(scan.path) or UNASSIGNED
        for site in scan.sites:
            key = (module, site.kind.value)
            if site.state is SiteState.UNMIGRATED and key in per_file:
                per_file[key][scan.path] += 1

    return [
        Growth(
            module=module,
            kind=kind,
            allowed=baseline.get((module, kind), 0),
            actual=current[(module, kind)],
            files=dict(sorted(per_file[(module, kind)].items())),
        )
        for module, kind in grown
    ]


def tighten(baseline: Counts | None, current: Counts) -> dict[tuple[str, str], int]:
    """The baseline lowered to what the tree holds now; never raised.

    Without a baseline the current counts become it. Keys that reach zero are
    dropped, and a key the baseline lacks stays out: growth must be fixed, not
    written down.
    """
    if baseline is None:
        return {key: count for key, count in current.items() if count > 0}
    tightened = {
        key: min(allowed, current.get(key, 0)) for key, allowed in baseline.items()
    }

    return {key: count for key, count in tightened.items() if count > 0}


# --- file format ----------------------------------------------------------------


def render_baseline(counts: Counts) -> str:
    """The baseline file text: sorted tables of `kind = count`, zeros left out."""
    by_module: dict[str, dict[str, int]] = {}
    for (module, kind), count in counts.items():
        if count > 0:
            by_module.setdefault(module, {})[kind] = count
    blocks = [
        "\n".join(
            [f"[{_key(module)}]"]
            + [f"{_key(kind)} = {kinds[kind]}" for kind in sorted(kinds)]
        )
        for module, kinds in sorted(by_module.items())
    ]

    return _HEADER + "".join(f"\n{block}\n" for block in blocks)


def parse_baseline(text: str, source: str = "<baseline>") -> dict[tuple[str, str], int]:
    """Counts from baseline text; raises BaselineError naming source, key and value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{source}: not a baseline file (TOML): {exc}"
        raise BaselineError(msg) from exc

    counts: dict[tuple[str, str], int] = {}
    for module, kinds in data.items():
        if not isinstance(kinds, dict):
            msg = f"{source}: [{module}] must be a table of kind = count, got {kinds!r}"
            raise BaselineError(msg)
        for kind, count in kinds.items():
            if kind not in _KINDS:
                msg = (
                    f"{source}: [{module}] {kind!r} is not a site kind; "
                    f"known: {sorted(_KINDS)}"
                )
                raise BaselineError(msg)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                msg = (
                    f"{source}: [{module}] {kind} must be a count (int >= 0), "
                    f"got {count!r}"
                )
                raise BaselineError(msg)
            counts[(module, kind)] = count

    return counts


def _key(name: str) -> str:
    if _BARE_KEY.fullmatch(name):
        return name
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
