"""Where `import errkit` goes: once, with the file's imports, before its first use."""

from __future__ import annotations

from pathlib import Path

from rewrite_helpers import Migrate, dedent

from errkit.rewriting import (
    REWRITE_KINDS,
    CodeAllocator,
    MigrateOptions,
    SkipWhy,
    load_migrate_config,
    migrate,
    python_files,
    rewrite_source,
)


def in_package(tmp_path: Path, source: str) -> str:
    """Rewrite `source` as `shop/orders.py` of a package `shop` under `tmp_path`."""
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    path = package / "orders.py"
    data = dedent(source).encode("utf-8")
    path.write_bytes(data)
    allocator = CodeAllocator("shop", 100, 199)
    return rewrite_source(data, allocator, path=str(path)).decode("utf-8")


RAISE = "\n\ndef f():\n    raise ValueError('x')\n"
RAISED = (
    "\n\ndef f():\n    raise errkit.ValidationError('x', module=\"shop\", code=100)\n"
)


class TestIsortPlace:
    def test_new_section_between_stdlib_and_first_party(self, tmp_path: Path) -> None:
        """With stdlib and first-party imports, errkit gets a section between them."""
        source = "import os\nimport threading\n\nfrom shop.errors import Gone" + RAISE
        assert in_package(tmp_path, source) == (
            "import os\nimport threading\n\nimport errkit\n\n"
            "from shop.errors import Gone" + RAISED
        )

    def test_alphabetical_among_third_party(self, tmp_path: Path) -> None:
        """Among third-party `import x` lines errkit goes in alphabetical order."""
        source = (
            "import os\n\nimport attr\nimport Zope\nfrom attr import s\n\n"
            "from . import models" + RAISE
        )
        assert in_package(tmp_path, source) == (
            "import os\n\nimport attr\nimport errkit\nimport Zope\n"
            "from attr import s\n\nfrom . import models" + RAISED
        )

    def test_after_last_third_party_straight_import(self, tmp_path: Path) -> None:
        """After the last `import x` of the section, before its `from` imports."""
        source = "import attr\nfrom click import echo\n" + RAISE
        assert in_package(tmp_path, source) == (
            "import attr\nimport errkit\nfrom click import echo\n" + RAISED
        )

    def test_before_third_party_from_imports(self, tmp_path: Path) -> None:
        """With only `from x import` third-party lines, errkit opens the section."""
        source = "import os\n\nfrom click import echo\n" + RAISE
        assert in_package(tmp_path, source) == (
            "import os\n\nimport errkit\nfrom click import echo\n" + RAISED
        )

    def test_new_section_after_stdlib_only(self, tmp_path: Path) -> None:
        """After stdlib imports alone, errkit starts a section of its own."""
        source = "import os\n" + RAISE
        assert in_package(tmp_path, source) == "import os\n\nimport errkit\n" + RAISED

    def test_comment_above_first_party_stays_with_it(self, tmp_path: Path) -> None:
        """A comment heading the first-party section stays above that section."""
        source = '"""Doc."""\n\n# ours\nfrom .errors import Gone' + RAISE
        assert in_package(tmp_path, source) == (
            '"""Doc."""\n\nimport errkit\n\n# ours\nfrom .errors import Gone' + RAISED
        )


class TestImportPlacement:
    def test_after_future_import_before_import_time_raise(
        self, migrated: Migrate
    ) -> None:
        """A raise that runs at import time comes after the added import."""
        before = """\
            \"\"\"Doc.\"\"\"
            from __future__ import annotations

            try:
                import yaml
            except ImportError:
                raise RuntimeError("need yaml")
        """
        after = """\
            \"\"\"Doc.\"\"\"
            from __future__ import annotations

            import errkit

            try:
                import yaml
            except ImportError as exc:
                raise errkit.InternalError("need yaml", module="inventory", code=160) from exc
        """
        assert migrated(before) == dedent(after)

    def test_after_docstring_without_imports(self, migrated: Migrate) -> None:
        """With no imports, the import follows the docstring."""
        before = '"""Doc only."""\n\nraise ValueError("x")\n'
        after = (
            '"""Doc only."""\nimport errkit\n\n'
            'raise errkit.ValidationError("x", module="inventory", code=100)\n'
        )
        assert migrated(before) == after

    def test_added_once(self, migrated: Migrate) -> None:
        """Many edits in a file add one import; an existing one is reused."""
        source = (
            "import os\ndef f():\n    raise ValueError('a')\n    raise KeyError('b')\n"
        )
        assert migrated(source).count("import errkit") == 1
        with_import = "import errkit\ndef f():\n    raise ValueError('a')\n"
        assert migrated(with_import).count("import errkit") == 1

    def test_future_import_sharing_a_line_skips_file(self, tmp_path: Path) -> None:
        """If the import could only go before `from __future__`, the file is skipped."""
        (tmp_path / "p").mkdir()
        (tmp_path / "errkit.toml").write_text(
            '[modules.p]\npaths = ["p"]\nrange = [100, 199]\n', encoding="utf-8"
        )
        source = b'from __future__ import annotations; raise ValueError("x")\n'
        (tmp_path / "p" / "a.py").write_bytes(source)
        run = migrate(
            python_files([tmp_path / "p"], tmp_path),
            load_migrate_config(tmp_path / "errkit.toml"),
            MigrateOptions(frozenset(REWRITE_KINDS), jobs=1),
        )
        (outcome,) = run.outcomes
        assert outcome.why is SkipWhy.BROKEN_OUTPUT
        assert (tmp_path / "p" / "a.py").read_bytes() == source
