"""Reading a Python file the way the interpreter does, and saying why when it can't.

The interpreter decodes by a coding cookie on the first two lines, else a UTF-8
BOM, else UTF-8, and accepts `\\n`, `\\r\\n` and `\\r` line endings (BR-20).
Files that do not parse raise more than `SyntaxError`: `TabError`, a NUL byte,
and `MemoryError`/`RecursionError` for pathological nesting (BR-21). Each of
these becomes a `Skipped` value instead of an exception, so one bad file never
stops a scan. `KeyboardInterrupt` is not caught.
"""

from __future__ import annotations

import ast
import io
import tokenize

from errkit.analysis.sites import Skipped, SkipReason

__all__ = ["ParsedSource", "SkipFile", "parse_source"]

_BOM = b"\xef\xbb\xbf"


class SkipFile(Exception):
    """Not an error of errkit: a signal that this file cannot be scanned."""

    def __init__(self, skipped: Skipped) -> None:
        super().__init__(skipped.detail)
        self.skipped = skipped


class ParsedSource:
    """A decoded, parsed file: its tree, its text, its lines, its encoding."""

    __slots__ = ("_lines", "encoding", "text", "tree")

    def __init__(self, tree: ast.Module, text: str, encoding: str) -> None:
        self.tree = tree
        self.text = text  # line endings normalised to "\n"
        self.encoding = encoding
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The text split in lines, made on first use (most files never need it)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines


def count_lines(text: str) -> int:
    """Physical lines as an editor shows them (a last line without newline counts)."""
    if not text:
        return 0
    return text.count("\n") + (not text.endswith("\n"))


def decode_source(data: bytes) -> tuple[str, str]:
    """`(text, encoding)` with the BOM removed and line endings made `\\n`.

    Raises:
        SkipFile: a bad coding cookie, or bytes the encoding cannot decode.
    """
    head = data[:400]
    if data.startswith(_BOM) or b"coding" in head:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            raise SkipFile(
                Skipped(SkipReason.UNDECODABLE, "SyntaxError", str(exc), None)
            ) from None
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SkipFile(
            Skipped(SkipReason.UNDECODABLE, "UnicodeDecodeError", str(exc), line)
        ) from None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    return text, encoding


def parse_source(data: bytes, path: str) -> ParsedSource:
    """Decode and parse one file.

    Raises:
        SkipFile: the file cannot be decoded or parsed; the reason and the line
            where the reader failed are in `SkipFile.skipped`.
    """
    text, encoding = decode_source(data)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        detail = "source code cannot contain null bytes"
        raise SkipFile(Skipped(SkipReason.SYNTAX_ERROR, "SyntaxError", detail, line))
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:  # TabError and IndentationError too
        skipped = Skipped(
            SkipReason.SYNTAX_ERROR, type(exc).__name__, exc.msg, exc.lineno
        )
        raise SkipFile(skipped) from None
    except ValueError as exc:
        raise SkipFile(
            Skipped(SkipReason.SYNTAX_ERROR, type(exc).__name__, str(exc), None)
        ) from None
    except (MemoryError, RecursionError) as exc:
        detail = str(exc) or "nesting too deep for the parser"
        raise SkipFile(
            Skipped(SkipReason.TOO_COMPLEX, type(exc).__name__, detail, None)
        ) from None

    return ParsedSource(tree, text, encoding)
