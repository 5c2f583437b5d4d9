"""Code allocation: each kind of failure gets one code, in its category's block.

The offset of a code inside its module's range says its category (DESIGN.md,
"category block"): 00-09 validation, 10-19 not found, 20-29 conflict, and so on; the table
is the core's (`errkit.core.BLOCKS`).
For a range wider than 100 codes the blocks repeat in every hundred. The same kind
of failure (same class and message template, the allocation key) keeps the code it
got before, read back from the config, so a second run or another machine gives
the same codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from errkit.core import BLOCKS


def _category_blocks() -> dict[str, tuple[int, ...]]:
    """category -> offsets of the blocks it may use, from the core's block policy.

    The block a category is the main category of comes first; then every other
    block that allows it (timeouts share the external block, validation errors may
    also use the verification block).
    """
    offsets: dict[str, list[int]] = {}
    for block in BLOCKS:
        if block.category is not None and block.name == block.category.value:
            offsets.setdefault(block.category.value, []).append(block.first)
    for block in BLOCKS:
        for category in sorted(c.value for c in block.categories):
            if block.first not in offsets.setdefault(category, []):
                offsets[category].append(block.first)
    return {category: tuple(firsts) for category, firsts in offsets.items()}


#: category -> offsets of its blocks inside each hundred of a module's range
CATEGORY_BLOCKS: dict[str, tuple[int, ...]] = _category_blocks()


class CodeAllocator:
    """Hands out codes for one module; remembers what it gave and what was taken."""

    def __init__(
        self,
        module: str,
        low: int,
        high: int,
        known: Mapping[int, str] | None = None,
        taken: Iterable[int] = (),
    ) -> None:
        if low > high:
            msg = f"range of module {module!r} must be low <= high; got {low}-{high}"
            raise ValueError(msg)
        self.module = module
        self.low = low
        self.high = high
        self.by_key: dict[str, int] = {}
        for code, key in sorted((known or {}).items()):
            self.by_key.setdefault(key, code)
        self.taken = set(taken) | set(known or {})
        #: Allocations made by this run, code -> key, to be written to the config.
        self.new: dict[int, str] = {}

    def block(self, category: str) -> Iterable[int]:
        """Every code of the module's range in `category`'s blocks, in order."""
        for offset in CATEGORY_BLOCKS[category]:
            start = self.low + offset
            while start <= self.high:
                yield from range(start, min(start + 10, self.high + 1))
                start += 100

    def allocate(self, category: str, key: str) -> int | None:
        """The code for `key`: the one it had, else the block's first free code.

        None means the block is full; the caller leaves the site unmigrated.
        """
        if key in self.by_key:
            return self.by_key[key]
        for code in self.block(category):
            if code not in self.taken:
                self.taken.add(code)
                self.by_key[key] = code
                self.new[code] = key
                return code
        return None
