"""The migration cases BR-16, BR-19, BR-20 and BR-21, with their exact bytes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest

from errkit.rewriting import (
    REWRITE_KINDS,
    MigrateOptions,
    SkipWhy,
    Status,
    load_migrate_config,
    migrate,
    python_files,
)

CONFIG = b"""\
[tool.errkit.modules.proj]
paths = ["proj"]
range = [100, 199]
"""


def run_migration(tmp_path: Path, files: dict[str, bytes]) -> dict[str, object]:
    """Write `files` under proj/, migrate them in-process, outcomes by file name."""
    (tmp_path / "pyproject.toml").write_bytes(CONFIG)
    (tmp_path / "proj").mkdir()
    for name, data in files.items():
        (tmp_path / "proj" / name).write_bytes(data)
    config = load_migrate_config(tmp_path / "pyproject.toml")
    paths = python_files([tmp_path / "proj"], tmp_path)
    run = migrate(paths, config, MigrateOptions(frozenset(REWRITE_KINDS), jobs=1))
    return {Path(o.path).name: o for o in run.outcomes}


class TestBR16Comments:
    SRC = (
        "def load(path):\n"
        "    if not path:\n"
        "        # callers rely on ValueError here (ticket 123)\n"
        "        raise ValueError('empty path')  # keep message stable\n"
        "    return open(path)\n"
    )

    def test_only_the_raised_expression_changes(self, tmp_path: Path) -> None:
        """Both comments survive; the raise line and the import line change."""
        outcome = run_migration(tmp_path, {"load.py": self.SRC.encode()})["load.py"]
        assert outcome.after == (  # type: ignore[attr-defined]
            b"import errkit\n"
            b"def load(path):\n"
            b"    if not path:\n"
            b"        # callers rely on ValueError here (ticket 123)\n"
            b"        raise errkit.ValidationError('empty path', module=\"proj\","
            b" code=100)  # keep message stable\n"
            b"    return open(path)\n"
        )

    def test_comment_above_first_statement_stays_above_it(self, tmp_path: Path) -> None:
        """The import goes after the imports; the comment block keeps its place."""
        source = (
            b"import os\n\n# Local helpers\nfrom os import path\n\n"
            b"# the loader\ndef f():\n    raise ValueError('x')\n"
        )
        outcome = run_migration(tmp_path, {"m.py": source})["m.py"]
        assert outcome.after == (  # type: ignore[attr-defined]
            b"import os\n\n# Local helpers\nfrom os import path\n\nimport errkit\n\n"
            b"# the loader\ndef f():\n"
            b"    raise errkit.ValidationError('x', module=\"proj\", code=100)\n"
        )


class TestBR19LineEndings:
    @pytest.mark.parametrize(
        "source",
        ["retries = 3\rtimeout = 5\r\n", "import os\r\nraise ValueError('x')\r\n"],
        ids=["lone-cr", "crlf"],
    )
    def test_pinned_libcst_round_trips(self, source: str) -> None:
        """The pinned libcst prints both mixed-ending files back unchanged."""
        assert cst.parse_module(source).code == source

    def test_crlf_kept_on_every_line(self, tmp_path: Path) -> None:
        """Changed and added lines end in CRLF like the rest of the file."""
        outcome = run_migration(
            tmp_path, {"crlf.py": b"import os\r\nraise ValueError('x')\r\n"}
        )["crlf.py"]
        assert outcome.after == (  # type: ignore[attr-defined]
            b"import os\r\n\r\nimport errkit\r\n"
            b"raise errkit.ValidationError('x', module=\"proj\", code=100)\r\n"
        )

    def test_lone_cr_file_unchanged(self, tmp_path: Path) -> None:
        """A file with nothing to rewrite is read and never touched."""
        outcome = run_migration(tmp_path, {"cr.py": b"retries = 3\rtimeout = 5\r\n"})
        assert outcome["cr.py"].status is Status.UNCHANGED  # type: ignore[attr-defined]


class TestBR20Encodings:
    FILES: ClassVar[dict[str, bytes]] = {
        "legacy_latin1.py": b"# -*- coding: latin-1 -*-\nMSG = 'caf\xe9'\nraise ValueError(MSG)\n",
        "bom_crlf.py": b"\xef\xbb\xbfMSG = 'caf\xc3\xa9'\r\nraise ValueError(MSG)\r\n",
    }

    def test_latin1_cookie_and_byte_kept(self, tmp_path: Path) -> None:
        """Only the raise line changes (plus the import); 0xE9 stays one byte."""
        outcome = run_migration(tmp_path, self.FILES)["legacy_latin1.py"]
        assert outcome.after == (  # type: ignore[attr-defined]
            b"# -*- coding: latin-1 -*-\nimport errkit\nMSG = 'caf\xe9'\n"
            b'raise errkit.ValidationError(MSG, module="proj", code=100)\n'
        )

    def test_bom_and_crlf_kept(self, tmp_path: Path) -> None:
        """EF BB BF stay the first bytes and every line ends in CRLF."""
        outcome = run_migration(tmp_path, self.FILES)["bom_crlf.py"]
        assert outcome.after == (  # type: ignore[attr-defined]
            b"\xef\xbb\xbfimport errkit\r\nMSG = 'caf\xc3\xa9'\r\n"
            b'raise errkit.ValidationError(MSG, module="proj", code=100)\r\n'
        )

    def test_unencodable_replacement_skips_file(self, tmp_path: Path) -> None:
        """A replacement the file's encoding cannot hold leaves the file alone."""
        (tmp_path / "pyproject.toml").write_text(
            '[tool.errkit.modules."caisse\u20ac"]\npaths = ["proj"]\n'
            "range = [100, 199]\n",
            encoding="utf-8",
        )
        (tmp_path / "proj").mkdir()
        data = self.FILES["legacy_latin1.py"]
        (tmp_path / "proj" / "legacy_latin1.py").write_bytes(data)
        config = load_migrate_config(tmp_path / "pyproject.toml")
        run = migrate(
            python_files([tmp_path / "proj"], tmp_path),
            config,
            MigrateOptions(frozenset(REWRITE_KINDS), jobs=1),
        )
        (outcome,) = run.outcomes
        assert (outcome.status, outcome.why, outcome.error) == (
            Status.SKIPPED,
            SkipWhy.UNENCODABLE,
            "UnicodeEncodeError",
        )
        assert (tmp_path / "proj" / "legacy_latin1.py").read_bytes() == data


class TestBR21BadFiles:
    FILES: ClassVar[dict[str, bytes]] = {
        "ok.py": b'raise ValueError("bad")\n',
        "py2_only.py": b"print 'hello'\n",
        "notes.py": b"The Zen of Python, by Tim Peters\n",
        "tabs.py": b"if x:\n\tpass\n        pass\n",
        "nul.py": b"x = 1\x00\n",
        "deep.py": b"x = " + b"-" * 200_000 + b"1\n",
    }

    def test_each_bad_file_skipped_run_goes_on(self, tmp_path: Path) -> None:
        """ok.py is rewritten; the five others are skipped with their error class."""
        outcomes = run_migration(tmp_path, self.FILES)
        assert outcomes["ok.py"].status is Status.CHANGED  # type: ignore[attr-defined]
        skipped = {
            name: (o.why, o.error)  # type: ignore[attr-defined]
            for name, o in outcomes.items()
            if o.status is Status.SKIPPED  # type: ignore[attr-defined]
        }
        assert skipped == {
            "py2_only.py": (SkipWhy.SYNTAX_ERROR, "SyntaxError"),
            "notes.py": (SkipWhy.SYNTAX_ERROR, "SyntaxError"),
            "tabs.py": (SkipWhy.SYNTAX_ERROR, "TabError"),
            "nul.py": (SkipWhy.SYNTAX_ERROR, "SyntaxError"),
            "deep.py": (SkipWhy.TOO_COMPLEX, "MemoryError"),
        }

    def test_skipped_files_untouched(self, tmp_path: Path) -> None:
        """Nothing is written by a run, and bad files keep their bytes."""
        run_migration(tmp_path, self.FILES)
        for name, data in self.FILES.items():
            assert (tmp_path / "proj" / name).read_bytes() == data
