"""Helpers for testing code that uses errkit, the way errkit tests its own.

Four tools, each undoing what it changed when its block ends:

- :func:`capture_metrics` points errkit's counters at a fresh
  ``prometheus_client.CollectorRegistry`` and reads them back by labels;
- :func:`capture_failures` collects the :class:`~errkit.Failure` records that
  recovery and the global hooks report;
- :func:`isolated` gives a block its own copy of the core registry (so classes
  declared in a test are forgotten after it) and restores the failure
  handlers, the hooks and the metrics configuration afterwards;
  :func:`reset_state` puts them all back to errkit's defaults at once;
- :func:`assert_migrates` runs the codemod on a source held in memory and
  compares the result exactly.

A pytest fixture is one line around any of them::

    @pytest.fixture(autouse=True)
    def errkit_state():
        with errkit.testing.isolated():
            yield

Only errkit's core and runtime are imported with this module;
``prometheus_client`` is imported by :func:`capture_metrics` and the rewriting
layer (``libcst``) by :func:`assert_migrates`, when called.

.. versionadded:: 0.1
"""

from __future__ import annotations

import contextlib
import difflib
import textwrap
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from errkit.core import Registry, get_registry, set_registry
from errkit.runtime import handlers, hooks, metrics
from errkit.runtime.handlers import Failure

if TYPE_CHECKING:
    from errkit.analysis.sites import SiteKind

__all__ = [
    "FailureCapture",
    "MetricsCapture",
    "assert_migrates",
    "capture_failures",
    "capture_metrics",
    "isolated",
    "reset_state",
]


# --- metrics ---------------------------------------------------------------------


class MetricsCapture:
    """errkit's counters in a registry of their own, read back by labels.

    Names are given without the namespace: ``"errors_total"``,
    ``"panics_recovered_total"``, ``"retryable_errors_total"``.
    """

    def __init__(self, registry: Any, namespace: str) -> None:
        #: The ``CollectorRegistry`` errkit counts into during the block.
        self.registry = registry
        self.namespace = namespace
        # What the registry held when the block ended: leaving the block takes
        # errkit's counters out of it, and tests read them after the block.
        self._final: list[Any] | None = None

    def freeze(self) -> None:
        """Keep the counts as they are now; later reads give these values."""
        self._final = list(self.registry.collect())

    def series(self, name: str) -> dict[tuple[tuple[str, str], ...], float]:
        """Every series of ``name``: sorted label pairs -> value."""
        full = f"{self.namespace}_{name}"
        return {
            tuple(sorted(sample.labels.items())): sample.value
            for metric in (
                self.registry.collect() if self._final is None else self._final
            )
            for sample in metric.samples
            if sample.name == full
        }

    def value(self, name: str, **labels: str) -> float:
        """The sum of the series of ``name`` whose labels include ``labels``.

        A label left out matches any value, so ``value("errors_total",
        module="inventory")`` counts every error of that module; nothing
        counted yet is ``0.0``::

            with capture_metrics() as counted:
                errkit.record(OutOfStock("sku 7"))
            assert counted.value("errors_total", code="120") == 1.0
        """
        wanted = set(labels.items())
        return sum(
            value for pairs, value in self.series(name).items() if wanted <= set(pairs)
        )


@contextlib.contextmanager
def capture_metrics(
    *,
    namespace: str = metrics.DEFAULT_NAMESPACE,
    context_limit: int = metrics.DEFAULT_CONTEXT_LIMIT,
) -> Iterator[MetricsCapture]:
    """Count errkit's metrics into a fresh registry for the block.

    The previous namespace, registry and context limit come back afterwards,
    and the counters built inside the block are dropped, so nothing counted in a
    test reaches the process's default registry or the next test. The capture
    keeps the values it had when the block ended, to be read after it.

    Raises ImportError if ``prometheus_client`` is not installed.
    """
    from prometheus_client import CollectorRegistry

    previous = _metrics_settings()
    capture = MetricsCapture(CollectorRegistry(), namespace)
    metrics.configure_metrics(
        namespace=namespace, registry=capture.registry, context_limit=context_limit
    )
    try:
        yield capture
    finally:
        capture.freeze()
        metrics.configure_metrics(**previous)


def _metrics_settings() -> dict[str, Any]:
    config = metrics._config  # no public getter: same package
    return {
        "namespace": config.namespace,
        "registry": config.registry,
        "context_limit": config.context_limit,
    }


# --- failures --------------------------------------------------------------------


class FailureCapture:
    """The failures reported while a :func:`capture_failures` block runs.

    Handlers run in the thread that caught the failure, so a test of background
    work waits for them with :meth:`wait`.
    """

    def __init__(self) -> None:
        self.failures: list[Failure] = []
        self._changed = threading.Condition()

    def __call__(self, failure: Failure) -> None:
        with self._changed:
            self.failures.append(failure)
            self._changed.notify_all()

    @property
    def excs(self) -> list[BaseException]:
        """The exception of each failure, in the order they were reported."""
        return [f.exc for f in self.failures]

    @property
    def contexts(self) -> list[str | None]:
        """The recovery context of each failure, in order."""
        return [f.context for f in self.failures]

    def wait(self, count: int = 1, timeout: float = 5.0) -> list[Failure]:
        """The failures once at least ``count`` are in.

        Raises AssertionError, listing what did arrive, if ``timeout`` seconds
        pass first.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.failures) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    msg = (
                        f"expected {count} reported failure(s) within {timeout}s, "
                        f"got {len(self.failures)}: {self.excs!r}"
                    )
                    raise AssertionError(msg)
                self._changed.wait(left)
            return list(self.failures)


@contextlib.contextmanager
def capture_failures(*, quiet: bool = False) -> Iterator[FailureCapture]:
    """Collect every failure recovery and the hooks report during the block.

    With ``quiet`` the default handler (:func:`errkit.log_failure`) is taken
    off for the block, so expected failures do not log tracebacks::

        with capture_failures(quiet=True) as caught:
            errkit.start_thread(job, context="jobs:nightly").join()
        assert caught.contexts == ["jobs:nightly"]
    """
    capture = FailureCapture()
    saved = _handlers_snapshot()
    if quiet and handlers.log_failure in saved:
        handlers.remove_failure_handler(handlers.log_failure)
    handlers.add_failure_handler(capture)
    try:
        yield capture
    finally:
        _restore_handlers(saved)


def _handlers_snapshot() -> list[handlers.FailureHandler]:
    with handlers._handlers_lock:
        return list(handlers._handlers)


def _restore_handlers(saved: Iterable[handlers.FailureHandler]) -> None:
    # Replaced in place under the lock: reporters iterate over a copy they take
    # under no lock, so the list object itself must stay the same.
    with handlers._handlers_lock:
        handlers._handlers[:] = saved


# --- global state ----------------------------------------------------------------


@contextlib.contextmanager
def isolated(*, registry: Registry | None = None) -> Iterator[Registry]:
    """Run the block with its own core registry; restore errkit's state after.

    By default the block gets a copy of the current process-wide registry: the
    same declared modules, reserved ranges and registered codes, so the error
    kinds imported before the block keep their module and code in metrics and
    lookups, while a class declared inside the block registers in the copy only
    and is forgotten afterwards. Pass ``registry=errkit.Registry()`` for an
    empty one, where a test may declare classes reusing codes that imported
    classes already hold. Afterwards the previous registry (never changed by
    the block), the failure handlers and the metrics configuration are back,
    and the global hooks are uninstalled unless they were installed before the
    block.
    """
    fresh = registry if registry is not None else _copy_registry(get_registry())
    saved_handlers = _handlers_snapshot()
    saved_metrics = _metrics_settings()
    hooks_were_on = bool(hooks._active)  # no public "installed?"
    previous = set_registry(fresh, adopt=False)
    try:
        yield fresh
    finally:
        set_registry(previous, adopt=False)
        if not hooks_were_on:
            hooks.uninstall_hooks()
        _restore_handlers(saved_handlers)
        metrics.configure_metrics(**saved_metrics)


def _copy_registry(source: Registry) -> Registry:
    # Built through the public constructor and adopt_codes, so the copy runs the
    # same checks; source's entries already passed them, so none can fail.
    copy = Registry(source.modules, source.reserved, strict=source.strict)
    copy.adopt_codes(source)
    return copy


def reset_state() -> None:
    """Put errkit's global state back to how ``import errkit`` leaves it.

    Uninstalls the hooks, leaves :func:`errkit.log_failure` as the only failure
    handler, resets the metrics to the defaults (dropping counted series) and
    installs a new empty core registry. For a fixture that restores instead of
    resetting, use :func:`isolated`.
    """
    hooks.uninstall_hooks()
    _restore_handlers([handlers.log_failure])
    metrics.configure_metrics()
    set_registry(Registry(), adopt=False)


# --- codemods --------------------------------------------------------------------


def assert_migrates(
    before: str,
    after: str,
    *,
    module: str = "app",
    codes: tuple[int, int] = (100, 199),
    known: dict[int, str] | None = None,
    kinds: Iterable[SiteKind | str] | None = None,
    path: str = "app/module.py",
) -> None:
    """Assert that ``errkit migrate`` rewrites ``before`` into exactly ``after``.

    Both sources are dedented first, so they can be indented triple-quoted
    strings. The file belongs to ``module`` with the code range ``codes``
    (inclusive); ``known`` holds codes already allocated (code -> kind, as in
    ``[tool.errkit.codes]``) and ``kinds`` limits the rewrite to some site
    kinds (``"raise-generic"``). On a mismatch the AssertionError carries a
    unified diff of expected and actual::

        assert_migrates(
            '''
            import errkit
            def take(n):
                raise ValueError("bad n")
            ''',
            '''
            import errkit
            def take(n):
                raise errkit.ValidationError("bad n", module="app", code=100)
            ''',
        )

    Needs the ``libcst`` the rewriting layer uses; imported when called.
    """
    from errkit.analysis.sites import SiteKind
    from errkit.rewriting import CodeAllocator, rewrite_source

    source = textwrap.dedent(before)
    expected = textwrap.dedent(after)
    low, high = codes
    allocator = CodeAllocator(module, low, high, known)
    only = None if kinds is None else frozenset(SiteKind(k) for k in kinds)
    actual = rewrite_source(source.encode("utf-8"), allocator, only, path=path).decode(
        "utf-8"
    )
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                "expected",
                "actual",
            )
        )
        msg = f"migrating {path} (module {module!r}) gave other code:\n{diff}"
        raise AssertionError(msg)
