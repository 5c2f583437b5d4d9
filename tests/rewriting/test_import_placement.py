"""Where `import errkit` goes: once, with the file's imports, before its first use."""

from __future__ import annotations

from pathlib import Path

from rewrite_helpers import Migrate, dedent

from errkit.rewriting import (
    REWRITE_KINDS,
    MigrateOptions,
    SkipWhy,
    load_migrate_config,
    migrate,
    python_files,
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
