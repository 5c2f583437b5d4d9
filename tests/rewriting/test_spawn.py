"""spawn-*: background work wrapped with recovery, keeping the object it used."""

from __future__ import annotations

import pytest
from rewrite_helpers import Migrate, dedent, run_source

from errkit.analysis.sites import SiteKind


class TestSpawnTask:
    def test_create_task_watched(self, migrated: Migrate) -> None:
        """`asyncio.create_task(...)` is passed through `errkit.watch`."""
        before = """\
            import asyncio

            async def refresh():
                task = asyncio.create_task(poll())
                return await task
        """
        after = """\
            import asyncio

            import errkit

            async def refresh():
                task = errkit.watch(asyncio.create_task(poll()), context="inventory:refresh")
                return await task
        """
        assert migrated(before, only=SiteKind.SPAWN_TASK) == dedent(after)

    def test_loop_create_task_in_chain(self, migrated: Migrate) -> None:
        """Only the spawn call is wrapped when a method is called on its result."""
        before = (
            "import os\ndef f(loop):\n    loop.create_task(c()).add_done_callback(g)\n"
        )
        after = (
            "import os\n\nimport errkit\ndef f(loop):\n"
            '    errkit.watch(loop.create_task(c()), context="inventory:f")'
            ".add_done_callback(g)\n"
        )
        assert migrated(before, only=SiteKind.SPAWN_TASK) == after

    def test_task_group_is_not_a_site(self, migrated: Migrate) -> None:
        """`TaskGroup.create_task` raises its children's failures: left alone."""
        source = (
            "import asyncio\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n"
            "        tg.create_task(c())\n"
        )
        assert migrated(source, only=SiteKind.SPAWN_TASK) == source

    def test_watched_task_is_the_same_object(self, migrated: Migrate) -> None:
        """Awaiting the watched task still raises the task's own error."""
        import asyncio

        source = migrated(
            "import asyncio\nasync def boom():\n    raise KeyError('k')\n"
            "async def main():\n    task = asyncio.create_task(boom())\n"
            "    return task, await asyncio.gather(task, return_exceptions=True)\n",
            only=SiteKind.SPAWN_TASK,
        )
        namespace = run_source(source)
        task, (result,) = asyncio.run(namespace["main"]())  # type: ignore[operator]
        assert isinstance(task, asyncio.Task)
        assert type(result) is KeyError


class TestSpawnExecutor:
    def test_submit_watched(self, migrated: Migrate) -> None:
        """`executor.submit(...)` is passed through `errkit.watch`."""
        before = "import os\ndef f(executor):\n    return executor.submit(work, 1)\n"
        after = (
            "import os\n\nimport errkit\ndef f(executor):\n"
            '    return errkit.watch(executor.submit(work, 1), context="inventory:f")\n'
        )
        assert migrated(before, only=SiteKind.SPAWN_EXECUTOR) == after

    def test_run_in_executor_watched(self, migrated: Migrate) -> None:
        """`loop.run_in_executor(...)` is passed through `errkit.watch`."""
        before = (
            "import os\nasync def f(loop):\n    await loop.run_in_executor(None, g)\n"
        )
        after = (
            "import os\n\nimport errkit\nasync def f(loop):\n"
            '    await errkit.watch(loop.run_in_executor(None, g), context="inventory:f")\n'
        )
        assert migrated(before, only=SiteKind.SPAWN_EXECUTOR) == after

    def test_unrelated_submit_left(self, migrated: Migrate) -> None:
        """`.submit()` on something that is not an executor is not a site."""
        source = "def f(form):\n    form.submit()\n"
        assert migrated(source, only=SiteKind.SPAWN_EXECUTOR) == source


class TestSpawnThread:
    def test_thread_target_recovered(self, migrated: Migrate) -> None:
        """The thread's target becomes `errkit.recovered(target, context=...)`."""
        before = """\
            import threading

            def start():
                threading.Thread(target=pump, daemon=True).start()
        """
        after = """\
            import threading

            import errkit

            def start():
                threading.Thread(
                    target=errkit.recovered(pump, context="inventory:start"), daemon=True
                ).start()
        """
        assert migrated(before, only=SiteKind.SPAWN_THREAD) == dedent(after)

    def test_timer_positional_function(self, migrated: Migrate) -> None:
        """A Timer's positional function argument is wrapped."""
        before = "from threading import Timer\nTimer(5, flush).start()\n"
        after = (
            "from threading import Timer\n\nimport errkit\n"
            'Timer(5, errkit.recovered(flush, context="inventory:stock")).start()\n'
        )
        assert migrated(before, only=SiteKind.SPAWN_THREAD) == after

    def test_thread_subclass_based_on_recovered_thread(self, migrated: Migrate) -> None:
        """A Thread subclass gains RecoveredThread and keeps threading.Thread."""
        before = "import threading\nclass Pump(threading.Thread):\n    pass\n"
        after = (
            "import threading\n\nimport errkit\nclass Pump(errkit.RecoveredThread,"
            ' threading.Thread, context="inventory:Pump.run"):\n    pass\n'
        )
        assert migrated(before, only=SiteKind.SPAWN_THREAD) == after

    @pytest.mark.parametrize(
        "source",
        [
            "import threading\nthreading.Thread().start()\n",
            (
                "import threading, errkit\n"
                "threading.Thread(target=errkit.recovered(f, context='m:f')).start()\n"
            ),
        ],
        ids=["no-target", "already-recovered"],
    )
    def test_left_alone(self, migrated: Migrate, source: str) -> None:
        """A thread without a target, or already recovered, is left as it was."""
        assert migrated(source, only=SiteKind.SPAWN_THREAD) == source
