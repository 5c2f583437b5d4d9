"""error-class: custom exception classes gain a category type and a code."""

from __future__ import annotations

import pytest
from rewrite_helpers import Migrate, dedent, run_source

from errkit.analysis.sites import SiteKind

ONLY = SiteKind.ERROR_CLASS


class TestErrorClass:
    def test_exception_class_gets_category_type(self, migrated: Migrate) -> None:
        """A conflict-named Exception class gets ConflictError, which adds nothing."""
        before = """\
            import os

            class OutOfStock(Exception):
                \"\"\"Not enough stock.\"\"\"
        """
        after = """\
            import os

            import errkit

            class OutOfStock(errkit.ConflictError, Exception, module="inventory", code=120):
                \"\"\"Not enough stock.\"\"\"
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_value_error_class(self, migrated: Migrate) -> None:
        """A ValueError class gets ValidationError before its builtin base."""
        before = "import os\nclass BadSku(Mixin, ValueError):\n    pass\n"
        after = (
            "import os\n\nimport errkit\nclass BadSku(Mixin, errkit.ValidationError,"
            ' ValueError, module="inventory", code=100):\n    pass\n'
        )
        assert migrated(before, only=ONLY) == after

    def test_adding_builtin_uses_coded_error(self, migrated: Migrate) -> None:
        """Where the category type would add RuntimeError, CodedError is used."""
        before = "import os\nclass Broken(Exception):\n    pass\n"
        after = (
            "import os\n\nimport errkit\nclass Broken(\n    errkit.CodedError, Exception,"
            ' module="inventory", code=160, category="internal"\n):\n    pass\n'
        )
        assert migrated(before, only=ONLY) == after

    def test_keywords_kept(self, migrated: Migrate) -> None:
        """An existing metaclass keyword stays before the new ones."""
        before = "import abc\nclass Gone(KeyError, metaclass=abc.ABCMeta):\n    pass\n"
        after = (
            "import abc\n\nimport errkit\nclass Gone(\n    errkit.NotFoundError, KeyError,"
            ' metaclass=abc.ABCMeta, module="inventory", code=110\n):\n    pass\n'
        )
        assert migrated(before, only=ONLY) == after

    @pytest.mark.parametrize(
        "source",
        [
            "class W(UserWarning):\n    pass\n",
            "class Stop(BaseException):\n    pass\n",
            "class E(Exception):\n    def __init__(self, m):\n        self.message = m\n",
            "class E(Exception):\n    code = 500\n",
            "def f():\n    class Local(ValueError):\n        pass\n",
            "import errkit\nclass E(errkit.ConflictError, module='m', code=1):\n    pass\n",
            "class E(Base):\n    pass\n",
        ],
        ids=[
            "warning",
            "base-exception",
            "sets-message",
            "class-code",
            "local-class",
            "migrated",
            "no-builtin-base",
        ],
    )
    def test_left_alone(self, migrated: Migrate, source: str) -> None:
        """Warnings, BaseException, owned attributes and local classes stay."""
        assert migrated(source, only=ONLY) == source

    def test_ancestry_kept_at_runtime(self, migrated: Migrate) -> None:
        """The migrated class keeps every builtin ancestor and str()."""
        import errkit

        source = migrated(
            "import os\nclass Missing(LookupError):\n    pass\n", only=ONLY
        )
        namespace = run_source(source, "stock_test")
        cls = namespace["Missing"]
        assert isinstance(cls, type)
        builtins_before = {LookupError, Exception, BaseException}
        assert {k for k in cls.__mro__ if k.__module__ == "builtins"} == (
            builtins_before | {object}
        )
        assert str(cls("sku")) == "sku"
        assert issubclass(cls, errkit.NotFoundError)


class TestConstructorBuiltins:
    @pytest.mark.parametrize(
        "base", ["ImportError", "ModuleNotFoundError", "AttributeError", "NameError"]
    )
    def test_keyword_constructors_left(self, migrated: Migrate, base: str) -> None:
        """Classes on builtins whose constructors take keywords are left alone."""
        source = f"class Missing({base}):\n    pass\n"
        assert migrated(source, only=ONLY) == source

    def test_user_base_after_builtin_left(self, migrated: Migrate) -> None:
        """`class E(ValueError, Base)` is left: Base could make the MRO impossible."""
        source = "class Bad(ValueError, Base):\n    pass\n"
        assert migrated(source, only=ONLY) == source


class TestCategoryByName:
    @pytest.mark.parametrize(
        ("name", "base", "header"),
        [
            (
                "ConflictingIdError",
                "KeyError",
                'class ConflictingIdError(errkit.ConflictError, KeyError, module="inventory", code=120):',
            ),
            (
                "JobExists",
                "Exception",
                'class JobExists(errkit.ConflictError, Exception, module="inventory", code=120):',
            ),
            (
                "DuplicateName",
                "ValueError",
                'class DuplicateName(errkit.ConflictError, ValueError, module="inventory", code=120):',
            ),
            (
                "ItemNotFound",
                "Exception",
                'class ItemNotFound( errkit.CodedError, Exception, module="inventory", code=110, category="not_found" ):',
            ),
            (
                "MissingConfig",
                "ValueError",
                'class MissingConfig( errkit.CodedError, ValueError, module="inventory", code=110, category="not_found" ):',
            ),
            (
                "FetchTimeout",
                "OSError",
                'class FetchTimeout( errkit.CodedError, OSError, module="inventory", code=150, category="timeout" ):',
            ),
            (
                "PermissionDenied",
                "Exception",
                'class PermissionDenied( errkit.CodedError, Exception, module="inventory", code=130, category="unauthorized" ):',
            ),
            (
                "Unauthorized",
                "ValueError",
                'class Unauthorized( errkit.CodedError, ValueError, module="inventory", code=130, category="unauthorized" ):',
            ),
            (
                "Forbidden",
                "Exception",
                'class Forbidden( errkit.CodedError, Exception, module="inventory", code=130, category="unauthorized" ):',
            ),
            (
                "InvalidTrigger",
                "TypeError",
                'class InvalidTrigger( errkit.CodedError, TypeError, module="inventory", code=100, category="validation" ):',
            ),
            (
                "ValidationFailed",
                "Exception",
                'class ValidationFailed( errkit.CodedError, Exception, module="inventory", code=100, category="validation" ):',
            ),
            (
                "RateLimited",
                "Exception",
                'class RateLimited(errkit.RateLimitError, Exception, module="inventory", code=180):',
            ),
            (
                "Throttled",
                "RuntimeError",
                'class Throttled(errkit.RateLimitError, RuntimeError, module="inventory", code=180):',
            ),
            (
                "TokenExpired",
                "Exception",
                'class TokenExpired( errkit.CodedError, Exception, module="inventory", code=140, category="state" ):',
            ),
            (
                "BadState",
                "RuntimeError",
                'class BadState(errkit.StateError, RuntimeError, module="inventory", code=140):',
            ),
            (
                "JobLookupError",
                "KeyError",
                'class JobLookupError(errkit.NotFoundError, KeyError, module="inventory", code=110):',
            ),
        ],
        ids=[
            "ConflictingIdError",
            "JobExists",
            "DuplicateName",
            "ItemNotFound",
            "MissingConfig",
            "FetchTimeout",
            "PermissionDenied",
            "Unauthorized",
            "Forbidden",
            "InvalidTrigger",
            "ValidationFailed",
            "RateLimited",
            "Throttled",
            "TokenExpired",
            "BadState",
            "JobLookupError",
        ],
    )
    def test_name_picks_category_ancestry_picks_base(
        self, migrated: Migrate, name: str, base: str, header: str
    ) -> None:
        """A telling name sets the category (and code block); no builtin is added."""
        out = migrated(f"class {name}({base}):\n    pass\n", only=ONLY)
        lines = out.splitlines()
        assert lines[0] == "import errkit"
        assert " ".join(line.strip() for line in lines[1:-1]) == header
