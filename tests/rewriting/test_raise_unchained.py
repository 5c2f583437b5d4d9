"""raise-unchained: a new error raised in a handler gains `from err`."""

from __future__ import annotations

import pytest
from rewrite_helpers import Migrate, dedent, run_source

from errkit.analysis.sites import SiteKind

ONLY = SiteKind.RAISE_UNCHAINED


class TestChain:
    def test_named_handler_gets_from(self, migrated: Migrate) -> None:
        """`raise X(...)` inside `except E as err` gains `from err`."""
        before = """\
            def load(path):
                try:
                    return open(path)
                except OSError as err:
                    raise LoadError(path)
        """
        after = """\
            def load(path):
                try:
                    return open(path)
                except OSError as err:
                    raise LoadError(path) from err
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_unnamed_handler_gets_unused_name(self, migrated: Migrate) -> None:
        """Without `as`, the handler gets a name its function never uses."""
        before = """\
            def load(path, exc, err):
                try:
                    return open(path)
                except OSError:
                    raise LoadError(path)
                return exc, err
        """
        after = """\
            def load(path, exc, err):
                try:
                    return open(path)
                except OSError as error:
                    raise LoadError(path) from error
                return exc, err
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_bare_except_catches_the_same(self, migrated: Migrate) -> None:
        """A bare `except:` becomes `except BaseException as exc:`."""
        before = "def f():\n    try:\n        g()\n    except:\n        raise Failed\n"
        after = (
            "def f():\n    try:\n        g()\n    except BaseException as exc:\n"
            "        raise Failed from exc\n"
        )
        assert migrated(before, only=ONLY) == after

    def test_nested_handlers_get_distinct_names(self, migrated: Migrate) -> None:
        """An inner handler's name never unbinds the outer handler's name."""
        before = """\
            def f():
                try:
                    g()
                except OSError:
                    try:
                        h()
                    except KeyError:
                        raise Inner()
                    raise Outer()
        """
        after = """\
            def f():
                try:
                    g()
                except OSError as err:
                    try:
                        h()
                    except KeyError as exc:
                        raise Inner() from exc
                    raise Outer() from err
        """
        assert migrated(before, only=ONLY) == dedent(after)

    def test_except_star(self, migrated: Migrate) -> None:
        """`except*` handlers chain the same way."""
        before = "try:\n    g()\nexcept* OSError as group:\n    raise Failed()\n"
        after = (
            "try:\n    g()\nexcept* OSError as group:\n    raise Failed() from group\n"
        )
        assert migrated(before, only=ONLY) == after

    @pytest.mark.parametrize(
        "source",
        [
            "try:\n    g()\nexcept OSError as e:\n    raise\n",
            "try:\n    g()\nexcept OSError as e:\n    raise e\n",
            "try:\n    g()\nexcept OSError as e:\n    raise X() from None\n",
            "try:\n    g()\nexcept OSError as e:\n    raise e.with_traceback(None)\n",
            "try:\n    g()\nexcept OSError as e:\n    def later():\n        raise X()\n",
            "try:\n    g()\nexcept OSError as e:\n    e = wrap(e)\n    raise X()\n",
            "try:\n    raise X()\nexcept OSError as e:\n    pass\n",
        ],
        ids=[
            "bare",
            "caught-name",
            "has-from",
            "with-traceback",
            "nested-function",
            "rebound",
            "in-try-body",
        ],
    )
    def test_not_rewritten(self, migrated: Migrate, source: str) -> None:
        """Re-raises, chained raises, nested functions and rebound names stay."""
        assert migrated(source, only=ONLY) == source

    def test_module_level_name_unused_in_file(self, migrated: Migrate) -> None:
        """At module level the new name is unused anywhere in the file."""
        before = "exc = 1\ntry:\n    g()\nexcept OSError:\n    raise X()\n"
        after = (
            "exc = 1\ntry:\n    g()\nexcept OSError as err:\n    raise X() from err\n"
        )
        assert migrated(before, only=ONLY) == after

    def test_cause_is_set_at_runtime(self, migrated: Migrate) -> None:
        """The rewritten raise sets __cause__ to the caught error."""
        source = migrated(
            "def f():\n    try:\n        {}['k']\n    except KeyError:\n"
            "        raise RuntimeError('missing')\n",
            only=ONLY,
        )
        namespace = run_source(source)
        with pytest.raises(RuntimeError) as info:
            namespace["f"]()  # type: ignore[operator]
        assert type(info.value.__cause__) is KeyError

    def test_outer_caught_name_is_a_reraise(self, migrated: Migrate) -> None:
        """Raising an outer handler's error from an inner handler is a re-raise."""
        source = (
            "try:\n    g()\nexcept OSError as e:\n    try:\n        h()\n"
            "    except KeyError:\n        raise e\n"
        )
        assert migrated(source, only=ONLY) == source
