"""Transparent weighted score: a convex combination of features, with exact contributions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class WeightedScore:
    """Scores (n,) and per-feature contributions (n, k) that sum to them row by row."""

    features: tuple[str, ...]
    scores: npt.NDArray[np.float64]
    contributions: npt.NDArray[np.float64]


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must be non-negative")
    total = float(sum(weights.values()))
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    return {name: float(w) / total for name, w in weights.items()}


def weighted_score(
    features: Mapping[str, npt.NDArray[np.float32]], *, weights: Mapping[str, float]
) -> WeightedScore:
    """Score each row as sum_j w_j * f_j with the weights scaled to sum to 1.

    Features are in [0, 1], so scores are too. float64 keeps the contributions' sum exact
    to well below 1e-9.
    """
    shares = normalised_weights(weights)
    missing = set(shares) - set(features)
    if missing:
        raise KeyError(f"no feature column for weight(s): {sorted(missing)}")
    names = tuple(shares)
    matrix = np.column_stack([features[name].astype(np.float64) for name in names])
    contributions = matrix * np.array([shares[n] for n in names], dtype=np.float64)
    return WeightedScore(names, contributions.sum(axis=1), contributions)
