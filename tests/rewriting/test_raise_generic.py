"""raise-generic: builtins become coded errors with the same ancestry."""

from __future__ import annotations

import pytest
from rewrite_helpers import Migrate, dedent, run_source

from errkit.analysis.sites import SiteKind

ONLY = SiteKind.RAISE_GENERIC


class TestRaiseRewrite:
    def test_value_error_becomes_validation_error(self, migrated: Migrate) -> None:
        """A ValueError call keeps its arguments and gains module and code."""
        before = """\
            import os

            def reserve(quantity):
                if quantity <= 0:
                    raise ValueError("quantity must be positive")
        """
        after = """\
            import os

            import errkit

            def reserve(quantity):
                if quantity <= 0:
                    raise errkit.ValidationError(
                        "quantity must be positive", module="inventory", code=100
                    )
        """
        assert migrated(before, only=ONLY) == dedent(after)

    @pytest.mark.parametrize(
        ("builtin", "replacement", "code"),
        [
            (
                "Exception",
                'CodedError("boom", module="inventory", code=160, category="internal")',
                160,
            ),
            ("LookupError", 'NotFoundError("boom", module="inventory", code=110)', 110),
            (
                "RuntimeError",
                'InternalError("boom", module="inventory", code=160)',
                160,
            ),
            (
                "PermissionError",
                'UnauthorizedError("boom", module="inventory", code=130)',
                130,
            ),
            ("TimeoutError", 'TimeoutError("boom", module="inventory", code=150)', 150),
            ("KeyError", 'CodedKeyError("boom", module="inventory", code=110)', 110),
            (
                "IndexError",
                'CodedIndexError("boom", module="inventory", code=110)',
                110,
            ),
            ("TypeError", 'CodedTypeError("boom", module="inventory", code=100)', 100),
            (
                "AttributeError",
                'CodedAttributeError("boom", module="inventory", code=160)',
                160,
            ),
            ("OSError", 'CodedOSError("boom", module="inventory", code=150)', 150),
            ("IOError", 'CodedOSError("boom", module="inventory", code=150)', 150),
            (
                "FileNotFoundError",
                'CodedFileNotFoundError("boom", module="inventory", code=110)',
                110,
            ),
            (
                "FileExistsError",
                'CodedFileExistsError("boom", module="inventory", code=120)',
                120,
            ),
            (
                "ConnectionError",
                'CodedConnectionError("boom", module="inventory", code=150)',
                150,
            ),
        ],
        ids=lambda v: v if isinstance(v, str) and v.isidentifier() else None,
    )
    def test_table(
        self, migrated: Migrate, builtin: str, replacement: str, code: int
    ) -> None:
        """Each builtin maps to the table's replacement, coded in its block."""
        before = f"import os\nraise {builtin}('boom')\n".replace("'", '"')
        after = f"import os\n\nimport errkit\nraise errkit.{replacement}\n"
        assert migrated(before, only=ONLY) == after

    def test_bare_class_is_called(self, migrated: Migrate) -> None:
        """`raise ValueError` becomes a call with only the coded keywords."""
        before = "import os\nraise ValueError\n"
        after = (
            "import os\n\nimport errkit\n"
            'raise errkit.ValidationError(module="inventory", code=100)\n'
        )
        assert migrated(before, only=ONLY) == after

    def test_cause_kept(self, migrated: Migrate) -> None:
        """An existing `from` clause stays as written."""
        before = "import os\ntry:\n    pass\nexcept OSError as e:\n    raise ValueError('x') from None\n"
        after = (
            "import os\n\nimport errkit\ntry:\n    pass\nexcept OSError as e:\n"
            "    raise errkit.ValidationError('x', module=\"inventory\", code=100)"
            " from None\n"
        )
        assert migrated(before, only=ONLY) == after

    def test_multiline_call_keeps_trailing_comma(self, migrated: Migrate) -> None:
        """The trailing comma and closing bracket stay on their own line."""
        before = """\
            import os
            raise ValueError(
                "quantity must be positive",
            )
        """
        after = """\
            import os

            import errkit
            raise errkit.ValidationError(
                "quantity must be positive",
                module="inventory",
                code=100,
            )
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_same_template_reuses_code(self, migrated: Migrate) -> None:
        """Two raises of one class and f-string template share one code."""
        before = """\
            import os
            def a(n):
                raise ValueError(f"bad quantity {n}")
            def b(m):
                raise ValueError(f"bad quantity {m + 1}")
            def c():
                raise ValueError("other")
        """
        out = migrated(before, only=ONLY)
        assert out.count("code=100") == 2
        assert out.count("code=101") == 1

    def test_second_block_allowed_for_category(self, migrated: Migrate) -> None:
        """Past the validation block, validation errors use the verification block."""
        before = "import os\nraise ValueError('new kind')\n"
        known = {100 + i: f"ValueError: kind {i}" for i in range(10)}
        assert "code=170" in migrated(before, only=ONLY, known=known)

    def test_known_code_from_config_reused(self, migrated: Migrate) -> None:
        """A key already allocated in the config keeps its code."""
        before = "import os\nraise ValueError('empty')\n"
        out = migrated(before, only=ONLY, known={107: "ValueError: empty"})
        assert "code=107" in out

    def test_full_block_leaves_site(self, migrated: Migrate) -> None:
        """With both validation blocks full, the raise is left as it was."""
        before = "import os\nraise ValueError('new kind')\n"
        known = {
            c: f"ValueError: kind {c}" for c in [*range(100, 110), *range(170, 180)]
        }
        assert migrated(before, only=ONLY, known=known) == before

    @pytest.mark.parametrize(
        "source",
        [
            "from x import ValueError\nraise ValueError('x')\n",
            "class ValueError(Exception): pass\nraise ValueError('x')\n",
            "raise NotImplementedError('x')\n",
            "raise StopIteration\n",
            "try:\n    pass\nexcept Exception:\n    raise\n",
            "import errkit\nraise errkit.ValidationError('x', module='m', code=1)\n",
        ],
        ids=[
            "imported",
            "defined",
            "not-implemented",
            "stop-iteration",
            "bare-raise",
            "migrated",
        ],
    )
    def test_not_a_site(self, migrated: Migrate, source: str) -> None:
        """Names that are not the builtin, excluded builtins and bare raise stay."""
        assert migrated(source, only=ONLY) == source

    def test_instances_keep_builtin_behaviour(self, migrated: Migrate) -> None:
        """The rewritten raise is caught by the same except and prints the same."""
        import errkit

        source = migrated(
            "import os\ndef f():\n    raise KeyError('sku-1')\n", only=ONLY
        )
        namespace = run_source(source, "stock")
        with pytest.raises(KeyError) as info:
            namespace["f"]()  # type: ignore[operator]
        assert str(info.value) == "'sku-1'"
        assert info.value.args == ("sku-1",)
        assert isinstance(info.value, errkit.CodedError)
        assert info.value.code_str == "inventory:110"


class TestLayout:
    def test_closing_bracket_on_own_line_without_comma(self, migrated: Migrate) -> None:
        """Keywords go on a new line at the arguments' indentation; `)` stays put."""
        before = """\
            import os
            raise ValueError(
                "quantity must be positive"
            )
        """
        after = """\
            import os

            import errkit
            raise errkit.ValidationError(
                "quantity must be positive",
                module="inventory", code=100
            )
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_nested_multiline_raise_keeps_its_indentation(
        self, migrated: Migrate
    ) -> None:
        """A raise spread over lines in a method keeps every line's column."""
        before = """\
            import os
            class Capacity:
                def reserve(self, count):
                    if count < 0:
                        raise ValueError(
                            "count must not be negative"
                        )
        """
        after = """\
            import os

            import errkit
            class Capacity:
                def reserve(self, count):
                    if count < 0:
                        raise errkit.ValidationError(
                            "count must not be negative",
                            module="inventory", code=100
                        )
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_one_argument_per_line_gets_one_keyword_per_line(
        self, migrated: Migrate
    ) -> None:
        """With a trailing comma each keyword gets its own line, comma kept."""
        before = """\
            import os
            def check(x):
                raise ValueError(
                    "bad value %r",
                    x,
                )
        """
        after = """\
            import os

            import errkit
            def check(x):
                raise errkit.ValidationError(
                    "bad value %r",
                    x,
                    module="inventory",
                    code=100,
                )
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_keywords_too_long_for_the_arguments_line_get_their_own(
        self, migrated: Migrate
    ) -> None:
        """A one-line call the keywords push past 88 columns is spread over lines."""
        message = "x" * 58
        before = f"def f():\n    if True:\n        raise ValueError('{message}')\n"
        after = (
            "import errkit\ndef f():\n    if True:\n"
            "        raise errkit.ValidationError(\n"
            f"            '{message}',\n"
            '            module="inventory", code=100\n'
            "        )\n"
        )
        assert migrated(before, only=ONLY) == after

    def test_long_argument_still_gets_keywords_own_line(
        self, migrated: Migrate
    ) -> None:
        """An argument too long for any line leaves the keywords a line of their own."""
        message = "x" * 90
        before = f"raise ValueError('{message}')\n"
        after = (
            "import errkit\nraise errkit.ValidationError(\n"
            f"    '{message}',\n"
            '    module="inventory", code=100\n)\n'
        )
        assert migrated(before, only=ONLY) == after


class TestKeywordsLeft:
    def test_attribute_error_with_keywords_left(self, migrated: Migrate) -> None:
        """`AttributeError(msg, name=..., obj=...)` stays: coded types take no such keywords."""
        source = "raise AttributeError('gone', name='x', obj=None)\n"
        assert migrated(source, only=ONLY) == source
