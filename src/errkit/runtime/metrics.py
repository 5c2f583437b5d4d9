"""Prometheus counters for every error errkit records.

Three counters, named under a configurable namespace (``errkit`` by default):

- ``<ns>_errors_total{module, code, category, severity}``: every recorded error;
- ``<ns>_panics_recovered_total{context}``: failures that recovery or a global
  hook caught where nobody else could (a thread, a fire-and-forget task);
- ``<ns>_retryable_errors_total{module, category}``: the retryable share.

Label values come only from bounded sets (see :mod:`errkit.runtime._labels`): codes,
modules and categories known to the registry, with one fixed ``unregistered``
bucket for the rest, and recovery contexts up to a limit, past which they count
under ``other``. Messages, ids and context values never become labels; they
belong in the log record.

An exception that is not a coded error (a bare ``ValueError``, ``KeyError``,
``ZeroDivisionError``) is an unexpected failure: nobody classified it, so it
counts as ``module="unregistered", code="unregistered", category="internal",
severity="error"`` whatever builtin it is, the labels its log record carries and
the ``internal`` category its HTTP problem (status 500) gives it. Only a coded
error's own category and severity reach the labels.

``prometheus_client`` is imported on the first :func:`record`, never by
``import errkit``, so that the multiprocess directory set by a pre-forking server
before start-up is honoured. Without ``prometheus_client`` recording still claims
the error (each failure is reported once) but counts nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Hashable
from typing import Any

from errkit.runtime._claims import KEY, TOKEN, claim, leaves
from errkit.runtime._labels import OTHER, Labels, error_key, labels_for

__all__ = [
    "DEFAULT_CONTEXT_LIMIT",
    "DEFAULT_NAMESPACE",
    "OTHER",
    "configure_metrics",
    "record",
]

_log = logging.getLogger("errkit.metrics")

DEFAULT_NAMESPACE = "errkit"
DEFAULT_CONTEXT_LIMIT = 100

#: Distinct raw error keys cached before new ones are labelled without caching;
#: ad-hoc codes are unbounded, the memory spent on them must not be.
_MAX_CACHED_KEYS = 4096

_MULTIPROC_VARS = ("PROMETHEUS_MULTIPROC_DIR", "prometheus_multiproc_dir")


class _Counters:
    """The three counters of one namespace and registry, with cached children."""

    def __init__(
        self, prom: Any, namespace: str, registry: Any, context_limit: int
    ) -> None:
        self.errors = prom.Counter(
            "errors",
            "Errors recorded by errkit, by module, code, category and severity.",
            ("module", "code", "category", "severity"),
            namespace=namespace,
            registry=registry,
        )
        self.panics = prom.Counter(
            "panics_recovered",
            "Failures caught by errkit recovery or global hooks, by context.",
            ("context",),
            namespace=namespace,
            registry=registry,
        )
        self.retryable = prom.Counter(
            "retryable_errors",
            "Retryable errors recorded by errkit, by module and category.",
            ("module", "category"),
            namespace=namespace,
            registry=registry,
        )
        self.registry = registry
        self.context_limit = context_limit
        # raw key -> (errors child, retryable child or None)
        self.by_key: dict[Hashable, tuple[Any, Any]] = {}
        self._by_context: dict[str, Any] = {}
        self._lock = threading.Lock()

    def count(self, exc: BaseException) -> None:
        """Increment the error (and retryable) counters for one exception."""
        key = error_key(exc)
        children = self.by_key.get(key)
        if children is None:
            children = self.bind(key, labels_for(exc))
        children[0].inc()
        if children[1] is not None:
            children[1].inc()

    def count_panic(self, context: str) -> None:
        """Increment the recovered-failure counter for one context label."""
        child = self._by_context.get(context)
        if child is None:
            with self._lock:
                child = self._by_context.get(context)
                if child is None:
                    child = self._bind_context(context)
        child.inc()

    def bind(self, key: Hashable, labels: Labels) -> tuple[Any, Any]:
        """The children for ``labels``, cached under ``key`` while there is room."""
        errors = self.errors.labels(
            labels.module, labels.code, labels.category, labels.severity
        )
        retry = (
            self.retryable.labels(labels.module, labels.category)
            if labels.retryable
            else None
        )
        if len(self.by_key) < _MAX_CACHED_KEYS:
            self.by_key[key] = (errors, retry)
        return errors, retry

    def _bind_context(self, context: str) -> Any:
        # Called under the lock, so the limit holds with many threads.
        if len(self._by_context) >= self.context_limit:
            child = self._by_context.get(OTHER)
            if child is None:
                child = self._by_context[OTHER] = self.panics.labels(OTHER)
            return child
        child = self._by_context[context] = self.panics.labels(context)
        return child

    def unregister(self) -> None:
        """Remove the counters from their registry (before reconfiguring)."""
        for counter in (self.errors, self.panics, self.retryable):
            # already gone if the registry was cleared behind errkit's back
            with contextlib.suppress(KeyError):
                self.registry.unregister(counter)


class _Config:
    """The process-wide metrics configuration and the counters built from it."""

    def __init__(self) -> None:
        self.namespace = DEFAULT_NAMESPACE
        self.registry: Any = None  # None: prometheus_client's default registry
        self.context_limit = DEFAULT_CONTEXT_LIMIT
        self.counters: _Counters | None = None
        self.unavailable = False
        self.warned_multiproc = False
        self.lock = threading.Lock()


_config = _Config()
#: ``_config.counters`` once built, read by the hot path without attribute lookups.
_live: _Counters | None = None


def configure_metrics(
    *,
    namespace: str = DEFAULT_NAMESPACE,
    registry: Any = None,
    context_limit: int = DEFAULT_CONTEXT_LIMIT,
) -> None:
    """Choose the metrics namespace, the registry and the context-label limit.

    Counters already created are unregistered and rebuilt on the next record, so
    this can be called at start-up or, in tests, with a fresh
    ``prometheus_client.CollectorRegistry``. ``registry=None`` means
    prometheus_client's default registry (the one multiprocess scrapes read).
    Rebuilding also forgets cached labels, so call it after changing the core
    registry's modules at run time.

    Raises ValueError if ``namespace`` is empty or ``context_limit`` is below 1.
    """
    if not namespace or not namespace.replace("_", "a").isalnum():
        msg = f"namespace must be letters, digits and underscores, got {namespace!r}"
        raise ValueError(msg)
    if context_limit < 1:
        msg = f"context_limit must be at least 1, got {context_limit!r}"
        raise ValueError(msg)
    global _live
    with _config.lock:
        if _config.counters is not None:
            _config.counters.unregister()
            _config.counters = _live = None
        _config.namespace = namespace
        _config.registry = registry
        _config.context_limit = context_limit


def record(exc: BaseException, *, context: str | None = None) -> bool:
    """Count ``exc`` once in the error counters; ``True`` if it was new.

    ``context`` (``"module:operation"``) says the failure was caught by recovery or
    a global hook at that place; it is counted under
    ``<ns>_panics_recovered_total``. Cancellation, ``KeyboardInterrupt``,
    ``SystemExit`` and ``GeneratorExit`` are not failures and are never counted;
    the members of an exception group are counted one by one. An exception that
    was already recorded (say, by the done-callback of the future it came from)
    is not counted again.
    """
    # The hot path, kept inline: an error of a class already counted, with nothing
    # set on the instance (no claim, no raise-time override), so the class alone
    # finds its counter children. Only plain failures' classes are ever cached
    # under the bare class (see below), so no type check is needed here.
    counters = _live
    if counters is not None:
        try:
            state = exc.__dict__
        except AttributeError:
            state = {}
        if not state:
            children = counters.by_key.get(type(exc))  # type: ignore[call-overload]
            if children is not None:
                state[KEY] = TOKEN
                children[0].inc()
                if children[1] is not None:
                    children[1].inc()
                if context is not None:
                    counters.count_panic(context)
                return True
    return _record_first(exc, context)


def _record_first(exc: BaseException, context: str | None) -> bool:
    """:func:`record` for anything the hot path could not settle."""
    if isinstance(exc, BaseExceptionGroup) or not isinstance(exc, Exception):
        return _record_other(exc, context)
    try:
        state = exc.__dict__
    except AttributeError:
        state = {}
    if state:
        if state.get(KEY) is TOKEN:
            return False
        key = error_key(exc)  # raise-time overrides live in the instance dict
    else:
        # Nothing set on the instance: its class says it all. (Classes hash by
        # identity; typeshed's BaseException.__hash__ only confuses the check.)
        key = type(exc)  # type: ignore[assignment]
    state[KEY] = TOKEN
    counters = _live or _counters()
    if counters is not None:
        children = counters.by_key.get(key)
        if children is None:
            children = counters.bind(key, labels_for(exc))
        children[0].inc()
        if children[1] is not None:
            children[1].inc()
        if context is not None:
            counters.count_panic(context)
    return True


def _record_other(exc: BaseException, context: str | None) -> bool:
    """Record an exception group's failures; ignore control flow."""
    if not isinstance(exc, BaseExceptionGroup):
        return False
    failures, _ = exc.split(Exception)
    if failures is None:
        return False
    return _record_group(exc, failures, context)


def _record_group(
    group: BaseExceptionGroup[Any],
    failures: BaseExceptionGroup[Any],
    context: str | None,
) -> bool:
    """Count each not yet recorded failure inside a group; one panic for all."""
    fresh = [leaf for leaf in leaves(failures) if claim(leaf)]
    if not fresh:
        return False
    claim(group)
    counters = _live or _counters()
    if counters is not None:
        for leaf in fresh:
            counters.count(leaf)
        if context is not None:
            counters.count_panic(context)
    return True


def _counters() -> _Counters | None:
    """Build the counters on first use; ``None`` without prometheus_client."""
    global _live
    if _config.unavailable:
        return None
    with _config.lock:
        if _config.counters is not None:
            return _config.counters
        try:
            import prometheus_client as prom
        except ImportError:
            _config.unavailable = True
            _log.debug("prometheus_client is not installed; errors are not counted")
            return None
        _warn_if_multiprocess_ignored()
        registry = prom.REGISTRY if _config.registry is None else _config.registry
        _config.counters = _live = _Counters(
            prom, _config.namespace, registry, _config.context_limit
        )
        return _live


def _warn_if_multiprocess_ignored() -> None:
    """Log once if the multiprocess directory is set but cannot take effect.

    prometheus_client chooses its value storage once, when it is first imported;
    a directory set after that leaves every process with private in-memory
    counters that no multiprocess scrape will ever add up.
    """
    if _config.warned_multiproc:
        return
    directory = next((os.environ[v] for v in _MULTIPROC_VARS if v in os.environ), None)
    if directory is None:
        return
    from prometheus_client import values

    if getattr(values.ValueClass, "_multiprocess", False):
        return
    _config.warned_multiproc = True
    _log.warning(
        "PROMETHEUS_MULTIPROC_DIR is set to %r but prometheus_client was imported "
        "before it was set and keeps in-process counters; set it before the "
        "interpreter starts (e.g. in the server's environment) so that workers' "
        "errors add up",
        directory,
    )
