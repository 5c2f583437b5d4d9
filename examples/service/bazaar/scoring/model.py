"""The provider-quality model: a logistic regression over a few features.

Trained offline; the service receives the weights as JSON from the model registry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FEATURES = ("uptime", "latency_ms", "completed_jobs", "disputes")


class ModelNotLoaded(RuntimeError):
    """Scoring was asked for before a model was loaded."""


@dataclass(frozen=True)
class LinearModel:
    version: str
    weights: Mapping[str, float]
    bias: float = 0.0

    def predict(self, features: Mapping[str, float]) -> float:
        """Probability that the provider completes a job without dispute."""
        missing = [name for name in self.weights if name not in features]
        if missing:
            raise KeyError(f"missing features: {', '.join(sorted(missing))}")
        z = self.bias + sum(w * float(features[name]) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


def load_model(spec: Mapping[str, Any]) -> LinearModel:
    """Build a model from its registry JSON; rejects unknown or non-finite weights."""
    try:
        version = str(spec["version"])
        raw = spec["weights"]
    except KeyError as e:
        raise ValueError(f"model spec lacks {e.args[0]!r}")
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError("model weights must be a non-empty mapping")

    weights = {}
    for name, value in raw.items():
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r} in model {version}")
        try:
            weight = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"weight of {name!r} is not a number: {value!r}")
        if not math.isfinite(weight):
            raise ValueError(f"weight of {name!r} is not finite")
        weights[name] = weight
    return LinearModel(version, weights, float(spec.get("bias", 0.0)))
