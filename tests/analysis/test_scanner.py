"""Exact sites for small sources of every kind (DESIGN.md, "Site kinds")."""

from __future__ import annotations

import textwrap

import pytest

from errkit.analysis.config import ToolConfig
from errkit.analysis.scanner import scan_source
from errkit.analysis.sites import CodeDeclaration, SiteKind, SiteState


def sites(source: str, path: str = "pkg/mod.py") -> list[tuple[int, str, str]]:
    data = textwrap.dedent(source).lstrip("\n").encode()
    scan = scan_source(data, path, ToolConfig())
    assert scan.skipped is None
    return [(s.line, s.kind.value, s.state.value) for s in scan.sites]


def one(source: str) -> dict[str, object]:
    data = textwrap.dedent(source).lstrip("\n").encode()
    (site,) = scan_source(data, "m.py").sites
    return {"line": site.line, "col": site.col, **site.detail, "reason": site.reason}


U, M, E = "unmigrated", "migrated", "exempt"


class TestSpawnThread:
    def test_thread_and_timer_calls_through_aliases(self) -> None:
        """Thread/Timer/start_new_thread count however they were imported."""
        assert sites("""
            import threading
            import _thread
            from threading import Thread as T, Timer
            threading.Thread(target=f).start()
            T(target=f)
            Timer(1.0, f)
            _thread.start_new_thread(f, ())
        """) == [
            (4, "spawn-thread", U),
            (5, "spawn-thread", U),
            (6, "spawn-thread", U),
            (7, "spawn-thread", U),
        ]

    def test_star_import(self) -> None:
        """`from threading import *` brings Thread in."""
        assert sites("from threading import *\nThread(target=f).start()\n") == [
            (2, "spawn-thread", U)
        ]

    def test_subclass_is_one_site_at_the_class(self) -> None:
        """A Thread subclass (direct or via a local class) is a site; instances not."""
        assert sites("""
            import threading
            class Worker(threading.Thread):
                def run(self): pass
            class Poller(Worker):
                pass
            Worker().start()
        """) == [(2, "spawn-thread", U), (4, "spawn-thread", U)]

    def test_recovered_target_and_start_thread_are_migrated(self) -> None:
        """errkit.recovered(...) as target, errkit.start_thread, RecoveredThread."""
        assert sites("""
            import threading
            import errkit
            from errkit import RecoveredThread
            threading.Thread(target=errkit.recovered(f, context="m:f")).start()
            errkit.start_thread(f, context="m:f")
            class W(RecoveredThread, context="m:w"):
                pass
        """) == [(4, "spawn-thread", M), (5, "spawn-thread", M), (6, "spawn-thread", M)]

    def test_shadowed_name_is_not_a_thread(self) -> None:
        """A local `Thread` that is not threading's is no site."""
        assert (
            sites("""
            class Thread:
                pass
            Thread(target=f)
        """)
            == []
        )

    @pytest.mark.parametrize(
        ("source", "retained"),
        [
            ("threading.Thread(target=f).start()\n", False),
            ("t = threading.Thread(target=f)\n", False),
            ("t = threading.Thread(target=f)\nt.start()\n", True),
            ("self.t = threading.Thread(target=f)\n", True),
            ("threads.append(threading.Thread(target=f))\n", True),
        ],
        ids=[
            "chained-start",
            "assigned-unused",
            "assigned-used",
            "attribute",
            "argument",
        ],
    )
    def test_fire_and_forget_is_told_from_retained(
        self, source: str, retained: bool
    ) -> None:
        """detail["retained"] says whether anyone keeps the spawned object."""
        assert one("import threading\n" + source)["retained"] is retained


class TestSpawnTask:
    def test_asyncio_calls_and_loop_create_task(self) -> None:
        """create_task/ensure_future/run_coroutine_threadsafe and loop.create_task."""
        assert sites("""
            import asyncio as aio
            from asyncio import ensure_future
            async def main(loop):
                aio.create_task(work())
                ensure_future(work())
                aio.run_coroutine_threadsafe(work(), loop)
                loop.create_task(work())
                aio.get_running_loop().create_task(work())
        """) == [
            (4, "spawn-task", U),
            (5, "spawn-task", U),
            (6, "spawn-task", U),
            (7, "spawn-task", U),
            (8, "spawn-task", U),
        ]

    def test_task_group_create_task_is_not_a_site(self) -> None:
        """TaskGroup raises its children's failures: not a site, however it is named."""
        assert (
            sites("""
            import asyncio
            async def main(group: asyncio.TaskGroup):
                async with asyncio.TaskGroup() as workers:
                    workers.create_task(work())
                group.create_task(work())
                tg.create_task(work())
        """)
            == []
        )

    def test_watch_and_errkit_create_task_are_migrated(self) -> None:
        """errkit.watch(asyncio.create_task(...)) and errkit.create_task."""
        assert sites("""
            import asyncio
            import errkit
            async def main():
                t = errkit.watch(asyncio.create_task(work()), context="m:main")
                await t
                errkit.create_task(work(), context="m:main")
        """) == [(4, "spawn-task", M), (6, "spawn-task", M)]


class TestSpawnExecutor:
    def test_submit_on_executors_and_run_in_executor(self) -> None:
        """submit on a known executor, and every run_in_executor."""
        assert sites("""
            from concurrent.futures import ThreadPoolExecutor
            import concurrent.futures as cf
            ex = ThreadPoolExecutor()
            ex.submit(f)
            with cf.ProcessPoolExecutor() as procs:
                procs.submit(f)
            self._executor.submit(f)
            queue.submit(f)
            async def g(loop):
                await loop.run_in_executor(None, f)
        """) == [
            (4, "spawn-executor", U),
            (6, "spawn-executor", U),
            (7, "spawn-executor", U),
            (10, "spawn-executor", U),
        ]

    def test_watched_and_errkit_submit_are_migrated(self) -> None:
        """errkit.watch(ex.submit(...)), errkit.submit, errkit.run_in_executor."""
        assert sites("""
            import errkit
            from errkit import watch
            fut = watch(pool.submit(f), context="m:x")
            errkit.submit(pool, f, errkit_context="m:x")
            errkit.run_in_executor(loop, None, f, context="m:x")
        """) == [
            (3, "spawn-executor", M),
            (4, "spawn-executor", M),
            (5, "spawn-executor", M),
        ]

    def test_fire_and_forget_submit(self) -> None:
        """A bare `pool.submit(f)` statement is fire-and-forget."""
        assert one("pool.submit(f)\n")["retained"] is False


class TestRaiseGeneric:
    def test_listed_builtins_called_or_bare(self) -> None:
        """Each listed builtin counts, called or bare; the excluded ones do not."""
        assert sites("""
            raise ValueError("bad quantity")
            raise KeyError
            raise Exception("x")
            raise IOError("x")
            raise NotImplementedError
            raise StopIteration
            raise SystemExit(1)
        """) == [
            (1, "raise-generic", U),
            (2, "raise-generic", U),
            (3, "raise-generic", U),
            (4, "raise-generic", U),
        ]

    def test_name_bound_in_file_is_not_the_builtin(self) -> None:
        """An imported or defined ValueError is not the builtin."""
        assert (
            sites("""
            from mylib import ValueError
            raise ValueError("x")
        """)
            == []
        )
        assert sites("""
            class KeyError(Exception):
                pass
            raise KeyError("x")
        """) == [(1, "error-class", U)]

    def test_builtins_module_counts(self) -> None:
        """`builtins.ValueError` is the builtin."""
        assert sites("import builtins\nraise builtins.ValueError('x')\n") == [
            (2, "raise-generic", U)
        ]

    def test_only_coded_types_count(self) -> None:
        """errkit's own errors (ConfigError, ...) are not coded types: no site."""
        assert sites("""
            import errkit
            from errkit import CodedKeyError
            raise errkit.ConfigError("x", file="f", key="k", value=1)
            raise CodedKeyError("k", module="inv", code=110)
            raise errkit.coded(KeyError)("k")
        """) == [(4, "raise-generic", M), (5, "raise-generic", M)]

    def test_errkit_types_are_migrated_with_their_code(self) -> None:
        """A raise of an errkit type is migrated; an ad-hoc code is a declaration."""
        data = (
            b"import errkit\n"
            b"raise errkit.ValidationError('bad qty', module='inv', code=101)\n"
        )
        scan = scan_source(data, "m.py")
        assert [(s.line, s.kind.value, s.state.value) for s in scan.sites] == [
            (2, "raise-generic", M)
        ]
        assert scan.codes == (
            CodeDeclaration(
                module="inv",
                code=101,
                path="m.py",
                line=2,
                class_name="ValidationError",
                category="validation",
                message="bad qty",
                declared=False,
            ),
        )


class TestRaiseUnchained:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (
                "raise RuntimeError('x')",
                [(5, "raise-generic", U), (5, "raise-unchained", U)],
            ),
            ("raise AppError('x')", [(5, "raise-unchained", U)]),
            ("raise pkg.AppError('x')", [(5, "raise-unchained", U)]),
            ("raise AppError", [(5, "raise-unchained", U)]),
            ("raise AppError('x') from e", [(5, "raise-unchained", M)]),
            ("raise AppError from None", [(5, "raise-unchained", M)]),
            (
                "raise ValueError('x') from e",
                [(5, "raise-generic", U), (5, "raise-unchained", M)],
            ),
            ("raise e from None", []),
            ("raise", []),
            ("raise e", []),
            ("raise e.with_traceback(None)", []),
        ],
        ids=[
            "builtin",
            "called",
            "dotted",
            "named",
            "from",
            "from-none",
            "builtin-from",
            "caught-from-none",
            "bare",
            "caught",
            "with-tb",
        ],
    )
    def test_forms(self, body: str, expected: list[tuple[int, str, str]]) -> None:
        """A new exception raised is a site: unmigrated without `from`, migrated
        with it (totals stay put as sites are chained); re-raises are none."""
        head = "def f():\n    try:\n        g()\n    except OSError as e:\n"
        source = f"{head}        {body}\n"
        assert sites(source) == expected

    def test_lower_case_class_aliases_count(self) -> None:
        """An imported or module-level aliased name is a class; a local is not."""
        assert sites("""
            import socket
            from os import error as os_error
            error = socket.error
            def f():
                try:
                    g()
                except KeyError:
                    raise error
                except IndexError:
                    raise os_error
                except ValueError:
                    exc = make()
                    raise exc
        """) == [(8, "raise-unchained", U), (10, "raise-unchained", U)]

    def test_without_as_and_not_in_nested_function(self) -> None:
        """A handler without `as` counts; a raise in a nested def does not."""
        assert sites("""
            try:
                g()
            except OSError:
                def later():
                    raise AppError("x")
                raise AppError("y")
        """) == [(6, "raise-unchained", U)]
        assert (
            one("try:\n    g()\nexcept OSError:\n    raise AppError('y')\n")[
                "handler_name"
            ]
            is None
        )


class TestErrorClass:
    def test_builtin_bases_warnings_and_errkit(self) -> None:
        """Builtin error bases count; warnings do not; errkit bases are migrated."""
        assert sites("""
            import errkit
            class OutOfStock(Exception): pass
            class BadInput(ValueError, Mixin): pass
            class Deprecated(DeprecationWarning): pass
            class Sub(OutOfStock): pass
            class Coded(errkit.ConflictError, module="inventory", code=120):
                '''Stock ran out.'''
        """) == [(2, "error-class", U), (3, "error-class", U), (6, "error-class", M)]

    def test_class_code_declaration(self) -> None:
        """A class with `code=` declares (module, code), category and docstring."""
        data = (
            b"import errkit\n"
            b"class C(errkit.ConflictError, module='inv', code=120):\n    '''Out.'''\n"
        )
        assert scan_source(data, "m.py").codes == (
            CodeDeclaration(
                module="inv",
                code=120,
                path="m.py",
                line=2,
                class_name="C",
                category="conflict",
                docstring="Out.",
            ),
        )


class TestMessageMatch:
    def test_forms(self) -> None:
        """Comparisons, `in`, startswith and re matches on the caught error's text."""
        assert sites("""
            import re
            try:
                g()
            except Exception as e:
                if "not found" in str(e): pass
                if e.args[0] == "gone": pass
                if str(e).lower().startswith("timeout"): pass
                if re.search("refused", repr(e)): pass
                if e.message != "x": pass
                if "x" in other: pass
                log(str(e))
        """) == [
            (5, "message-match", U),
            (6, "message-match", U),
            (7, "message-match", U),
            (8, "message-match", U),
            (9, "message-match", U),
        ]


class TestSwallow:
    @pytest.mark.parametrize(
        ("handler", "body", "expected"),
        [
            ("except Exception:", "pass", [(3, "swallow", U)]),
            ("except:", "...", [(3, "swallow", U)]),
            ("except (KeyError, BaseException):", "return None", [(3, "swallow", U)]),
            ("except Exception as e:", "return e", []),
            ("except Exception:", "log()", []),
            ("except Exception:", "x = 1", []),
            ("except ValueError:", "pass", []),
            ("except Exception as e:", "errkit.record(e)", [(3, "swallow", M)]),
        ],
        ids=[
            "pass",
            "bare-ellipsis",
            "tuple-return",
            "returns-error",
            "call",
            "assignment",
            "narrow",
            "recorded",
        ],
    )
    def test_forms(
        self, handler: str, body: str, expected: list[tuple[int, str, str]]
    ) -> None:
        """A broad handler whose body does nothing observable."""
        source = f"import errkit\ndef f():\n  try:\n    g()\n  {handler}\n    {body}\n"
        assert [(line - 2, k, s) for line, k, s in sites(source)] == expected


class TestExemptions:
    def test_comment_with_reason_exempts_its_kind(self) -> None:
        """`# errkit: ignore[kind] -- reason` on the line makes that site exempt."""
        data = (
            b"import threading\n"
            b"threading.Thread(target=f).start()  "
            b"# errkit: ignore[spawn-thread] -- joined by the caller\n"
            b"raise ValueError('x')  # errkit: ignore[swallow] -- wrong kind\n"
        )
        got = [
            (s.line, s.state.value, s.reason) for s in scan_source(data, "m.py").sites
        ]
        assert got == [(2, E, "joined by the caller"), (3, U, None)]

    def test_comment_without_reason_does_not_exempt(self) -> None:
        """An exemption must give a reason; without one the site stays unmigrated."""
        data = b"raise ValueError('x')  # errkit: ignore[raise-generic]\n"
        (site,) = scan_source(data, "m.py").sites
        assert (site.state, site.detail["exemption"]) == (
            SiteState.UNMIGRATED,
            "missing reason",
        )


class TestPositions:
    def test_columns_are_characters_not_bytes(self) -> None:
        """After non-ASCII text on the line, col counts characters."""
        data = "x = 'café'; raise ValueError(x)\n".encode()
        (site,) = scan_source(data, "m.py").sites
        assert (site.line, site.col, site.end_col) == (1, 12, 31)

    def test_scope_is_the_enclosing_qualname(self) -> None:
        """`scope` names the enclosing class and function."""
        data = b"class A:\n    def f(self):\n        raise ValueError('x')\n"
        (site,) = scan_source(data, "m.py").sites
        assert (site.kind, site.scope) == (SiteKind.RAISE_GENERIC, "A.f")
