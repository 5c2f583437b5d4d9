"""Ranking providers for an order with a small inference model."""

from bazaar.scoring.model import LinearModel, ModelNotLoaded, load_model
from bazaar.scoring.scorer import InferenceScorer, ScoringTimeout

__all__ = [
    "InferenceScorer",
    "LinearModel",
    "ModelNotLoaded",
    "ScoringTimeout",
    "load_model",
]
