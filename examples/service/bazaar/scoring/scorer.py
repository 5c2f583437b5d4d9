"""The inference scorer used by the market to rank providers for an order.

Features come from the provider-stats service, which is slow and sometimes down, so
scoring runs on a thread pool: a batch scores providers in parallel, a warm-up
prefetches features ahead of time, and ranking has a deadline.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bazaar.scoring.model import LinearModel, ModelNotLoaded, load_model

log = logging.getLogger("bazaar.scoring")

FeatureSource = Callable[[str], Mapping[str, float]]


class ScoringTimeout(TimeoutError):
    """Ranking did not finish before its deadline."""


class InferenceScorer:
    def __init__(self, features: FeatureSource, *, workers: int = 4) -> None:
        self._features = features
        self._pool = cf.ThreadPoolExecutor(workers, thread_name_prefix="scoring")
        self._model: LinearModel | None = None
        self._load_error: BaseException | None = None
        self._loaded = threading.Event()
        self._cache: dict[str, Mapping[str, float]] = {}
        self._cache_lock = threading.Lock()
        self.feedback: dict[str, list[bool]] = {}

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # -- model ------------------------------------------------------------------------

    def load(self, spec: Mapping[str, Any]) -> None:
        self._model = load_model(spec)
        self._loaded.set()

    def load_in_background(self, spec: Mapping[str, Any]) -> threading.Thread:
        """Load a model without blocking start-up; `wait_loaded` reports failures."""

        def load() -> None:
            try:
                self._model = load_model(spec)
            except BaseException as e:
                self._load_error = e
            finally:
                self._loaded.set()

        loader = threading.Thread(  # errkit: ignore[spawn-thread] -- re-raised by wait_loaded
            target=load, name="model-loader"
        )
        loader.start()
        return loader

    def wait_loaded(self, timeout: float = 5.0) -> LinearModel:
        if not self._loaded.wait(timeout):
            raise TimeoutError(f"model not loaded within {timeout} s")
        if self._load_error is not None:
            raise self._load_error
        return self.model

    @property
    def model(self) -> LinearModel:
        if self._model is None:
            raise ModelNotLoaded("no scoring model loaded")
        return self._model

    # -- features ---------------------------------------------------------------------

    def _fetch(self, provider_id: str) -> Mapping[str, float]:
        with self._cache_lock:
            cached = self._cache.get(provider_id)
        if cached is not None:
            return cached
        features = self._features(provider_id)
        with self._cache_lock:
            self._cache[provider_id] = features
        return features

    def warm_up(self, provider_ids: Iterable[str]) -> None:
        """Prefetch features; failures only mean a cold cache later."""
        for provider_id in provider_ids:
            self._pool.submit(self._fetch, provider_id)

    def cached(self, provider_id: str) -> bool:
        with self._cache_lock:
            return provider_id in self._cache

    # -- scoring ----------------------------------------------------------------------

    def score(self, provider_id: str) -> float:
        return self.model.predict(self._fetch(provider_id))

    def score_batch(self, provider_ids: Iterable[str]) -> dict[str, float]:
        """Scores of the providers that could be scored; others are left out."""
        model = self.model  # fail fast, before starting anything
        futures = {
            self._pool.submit(model.predict, self._fetch_or_empty(pid)): pid for pid in provider_ids
        }
        scores = {}
        for future in cf.as_completed(futures):
            provider_id = futures[future]
            try:
                scores[provider_id] = future.result()
            except KeyError as e:
                log.info("cannot score %s: %s", provider_id, e)
        return scores

    def _fetch_or_empty(self, provider_id: str) -> Mapping[str, float]:
        try:
            return self._fetch(provider_id)
        except:
            return {}

    def rank(self, provider_ids: list[str], *, deadline: float = 1.0) -> list[str]:
        """Provider ids best first; raises `ScoringTimeout` past the deadline."""
        future = self._pool.submit(self.score_batch, provider_ids)
        try:
            scores = future.result(timeout=deadline)
        except cf.TimeoutError:
            future.cancel()
            raise ScoringTimeout(f"ranking {len(provider_ids)} providers took over {deadline} s")
        return sorted(scores, key=lambda pid: (-scores[pid], pid))

    def score_async(self, provider_id: str) -> cf.Future[float]:
        return self._pool.submit(self.score, provider_id)

    def record_feedback(self, provider_id: str, completed: bool) -> None:
        """Remember a job outcome for the next training run (best effort)."""
        self._pool.submit(self._append_feedback, provider_id, completed)

    def _append_feedback(self, provider_id: str, completed: bool) -> None:
        if not provider_id:
            raise ValueError("feedback without provider id")
        self.feedback.setdefault(provider_id, []).append(completed)
