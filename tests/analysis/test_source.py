"""Decoding like Python (BR-20) and files that cannot be scanned (BR-21)."""

from __future__ import annotations

import pytest

from errkit.analysis.scanner import scan_source
from errkit.analysis.sites import SkipReason

# BR-20: the exact bytes of the two files in the case.
ENCODED = {
    "legacy_latin1.py": (
        b"# -*- coding: latin-1 -*-\nMSG = 'caf\xe9'\nraise ValueError(MSG)\n",
        3,
    ),
    "bom_crlf.py": (b"\xef\xbb\xbfMSG = 'caf\xc3\xa9'\r\nraise ValueError(MSG)\r\n", 2),
    "old_mac.py": (b"MSG = 1\rraise ValueError(MSG)\r", 2),
    # BR-19's strings: mixed lone CR and CRLF endings
    "mixed_cr_crlf.py": (
        b"retries = 3\rtimeout = 5\r\nraise ValueError(retries)\r\n",
        3,
    ),
    "crlf.py": (b"import os\r\nraise ValueError('x')\r\n", 2),
}

# BR-21: the exact contents of the broken files, and what the scan must say.
BROKEN = {
    "py2_only.py": (b"print 'hello'\n", SkipReason.SYNTAX_ERROR, "SyntaxError", 1),
    "notes.py": (
        b"The Zen of Python, by Tim Peters\n",
        SkipReason.SYNTAX_ERROR,
        "SyntaxError",
        1,
    ),
    "tabs.py": (
        b"if x:\n\tpass\n        pass\n",
        SkipReason.SYNTAX_ERROR,
        "TabError",
        3,
    ),
    "nul.py": (b"x = 1\x00\n", SkipReason.SYNTAX_ERROR, "SyntaxError", 1),
    "deep.py": (
        ("x = " + "-" * 200_000 + "1\n").encode(),
        SkipReason.TOO_COMPLEX,
        "MemoryError",
        None,
    ),
    "long_sum.py": (
        ("x = " + "+".join(["1"] * 200_000) + "\n").encode(),
        SkipReason.TOO_COMPLEX,
        "RecursionError",
        None,
    ),
    "undecodable.py": (
        b"x = 1\ny = '\xff'\n",
        SkipReason.UNDECODABLE,
        "UnicodeDecodeError",
        2,
    ),
    "bad_cookie.py": (
        b"# coding: klingon\nx = 1\n",
        SkipReason.UNDECODABLE,
        "SyntaxError",
        None,
    ),
}


class TestEncodings:
    @pytest.mark.parametrize("name", list(ENCODED), ids=list(ENCODED))
    def test_raise_found_at_its_line(self, name: str) -> None:
        """Coding cookies, a BOM and any line ending decode as Python does (BR-20)."""
        data, line = ENCODED[name]
        scan = scan_source(data, name)
        assert scan.skipped is None
        assert [(s.line, s.detail["builtin"]) for s in scan.sites] == [
            (line, "ValueError")
        ]

    def test_encoding_is_reported(self) -> None:
        """The file's encoding is kept for the rewriter."""
        assert (
            scan_source(ENCODED["legacy_latin1.py"][0], "a.py").encoding == "iso-8859-1"
        )
        assert scan_source(ENCODED["bom_crlf.py"][0], "b.py").encoding == "utf-8-sig"


class TestBrokenFiles:
    @pytest.mark.parametrize("name", list(BROKEN), ids=list(BROKEN))
    def test_skipped_with_reason_error_and_line(self, name: str) -> None:
        """Each bad file becomes a skipped record, never an exception (BR-21)."""
        data, reason, error, line = BROKEN[name]
        scan = scan_source(data, name)
        assert scan.skipped is not None
        assert (scan.skipped.reason, scan.skipped.error, scan.skipped.line) == (
            reason,
            error,
            line,
        )
        assert scan.sites == ()

    def test_scanner_bug_becomes_a_skip(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An exception inside the scanner is reported for the file, not raised."""
        import errkit.analysis._visitor as visitor

        def broken(self: object) -> None:
            raise AttributeError("boom")

        monkeypatch.setattr(visitor.FileVisitor, "run", broken)
        skipped = scan_source(b"x = 1\n", "a.py").skipped
        assert skipped is not None
        assert (skipped.reason, skipped.error) == (
            SkipReason.SCANNER_ERROR,
            "AttributeError",
        )

    def test_keyboard_interrupt_propagates(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl-C is not a property of the file: it stops the scan."""
        import errkit.analysis._source as source

        def interrupted(*args: object, **kwargs: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(source.ast, "parse", interrupted)
        with pytest.raises(KeyboardInterrupt):
            scan_source(b"x = 1\n", "a.py")
