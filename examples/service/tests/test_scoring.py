"""The inference model and the thread-pool scorer."""

from __future__ import annotations

import threading

import pytest

from bazaar.scoring import InferenceScorer, ModelNotLoaded, ScoringTimeout, load_model

SPEC = {
    "version": "2026-02",
    "weights": {"uptime": 4.0, "disputes": -2.0},
    "bias": -1.0,
}

FEATURES = {
    "good": {"uptime": 0.99, "disputes": 0.0},
    "shaky": {"uptime": 0.5, "disputes": 1.0},
    "partial": {"uptime": 0.9},
}


def fetch(provider_id):
    if provider_id == "down":
        raise ConnectionError("stats service unavailable")
    return FEATURES[provider_id]


@pytest.fixture
def scorer():
    s = InferenceScorer(fetch, workers=2)
    s.load(SPEC)
    yield s
    s.close()


class TestLoadModel:
    @pytest.mark.parametrize(
        ("spec", "error", "message"),
        [
            ({"weights": {"uptime": 1}}, ValueError, "model spec lacks 'version'"),
            (
                {"version": "x", "weights": {}},
                ValueError,
                "model weights must be a non-empty mapping",
            ),
            (
                {"version": "x", "weights": {"karma": 1}},
                ValueError,
                "unknown feature 'karma' in model x",
            ),
            (
                {"version": "x", "weights": {"uptime": "high"}},
                TypeError,
                "weight of 'uptime' is not a number: 'high'",
            ),
            (
                {"version": "x", "weights": {"uptime": float("nan")}},
                ValueError,
                "weight of 'uptime' is not finite",
            ),
        ],
        ids=["no-version", "empty", "unknown-feature", "not-number", "nan"],
    )
    def test_bad_specs(self, spec, error, message):
        """Each malformed spec raises the documented error with an exact message."""
        with pytest.raises(error) as info:
            load_model(spec)
        assert str(info.value) == message

    def test_missing_feature_is_key_error(self):
        """predict() without a required feature raises KeyError naming it."""
        with pytest.raises(KeyError, match="missing features: disputes"):
            load_model(SPEC).predict({"uptime": 1.0})


class TestScorer:
    def test_unloaded_scorer_raises_model_not_loaded(self):
        """Scoring before load() raises ModelNotLoaded, a RuntimeError."""
        scorer = InferenceScorer(fetch)
        with pytest.raises(RuntimeError, match="^no scoring model loaded$") as info:
            scorer.score_batch(["good"])
        assert isinstance(info.value, ModelNotLoaded)
        scorer.close()

    def test_batch_leaves_out_unscorable(self, scorer):
        """score_batch() scores what it can; missing features and outages are left out."""
        scores = scorer.score_batch(["good", "shaky", "partial", "down"])
        assert sorted(scores) == ["good", "shaky"]
        assert scores["good"] == pytest.approx(0.9507, abs=1e-4)

    def test_rank_orders_best_first(self, scorer):
        """rank() sorts by score, best first."""
        assert scorer.rank(["shaky", "good"]) == ["good", "shaky"]

    def test_rank_past_deadline_is_timeout_error(self):
        """rank() past its deadline raises ScoringTimeout, a TimeoutError."""
        release = threading.Event()

        def slow(provider_id):
            release.wait(2)
            return FEATURES["good"]

        scorer = InferenceScorer(slow, workers=2)
        scorer.load(SPEC)
        try:
            with pytest.raises(
                TimeoutError, match="^ranking 1 providers took over 0.02 s$"
            ) as info:
                scorer.rank(["good"], deadline=0.02)
            assert isinstance(info.value, ScoringTimeout)
        finally:
            release.set()
            scorer.close()

    def test_score_async_raises_from_result(self, scorer):
        """A retained future's result() raises the scoring error."""
        assert scorer.score_async("good").result(timeout=2) == pytest.approx(0.9507, abs=1e-4)
        with pytest.raises(ConnectionError, match="^stats service unavailable$"):
            scorer.score_async("down").result(timeout=2)

    def test_warm_up_failures_are_not_raised(self, scorer):
        """warm_up() caches what it can and never raises for outages."""
        scorer.warm_up(["good", "down"])
        scorer.close()
        assert scorer.cached("good")
        assert not scorer.cached("down")

    def test_bad_feedback_is_dropped(self, scorer):
        """Feedback is recorded in the background; a bad record is dropped."""
        scorer.record_feedback("good", True)
        scorer.record_feedback("", False)
        scorer.close()
        assert scorer.feedback == {"good": [True]}

    def test_background_load_reraises_in_wait(self):
        """A failed background load is re-raised by wait_loaded()."""
        scorer = InferenceScorer(fetch)
        loader = scorer.load_in_background({"version": "x", "weights": {"karma": 1}})
        loader.join()
        with pytest.raises(ValueError, match="^unknown feature 'karma' in model x$"):
            scorer.wait_loaded(timeout=1)
        scorer.load_in_background(SPEC).join()
        scorer.close()
