"""Transparent weighted score: a convex combination of features, with exact contributions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Hand-set from what recruiters told us matters most; they sum to 1 and are documented with
# their rationale in docs/ranking.md. Override per facility with `weights=` (missing = 0).
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "title_similarity": 0.08,
    "required_modality_coverage": 0.30,
    "preferred_modality_coverage": 0.03,
    "modality_years_fit": 0.10,
    "experience_fit": 0.05,
    "equipment_similarity": 0.03,
    "shift_fit": 0.04,
    "contract_fit": 0.05,
    "salary_fit": 0.05,
    "proximity": 0.02,
    "country_preference": 0.05,
    "relocation_fit": 0.05,
    "availability_fit": 0.05,
    "language_fit": 0.08,
    "pathway_fit": 0.02,
}

# An unknown feature value counts as half-met: neither rewarded nor punished for silence.
NULL_VALUE = 0.5


@dataclass(frozen=True)
class WeightedScore:
    """Scores (n,) and per-feature contributions (n, k) that sum to them row by row."""

    features: tuple[str, ...]
    scores: npt.NDArray[np.float64]
    contributions: npt.NDArray[np.float64]


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1; every problem is reported at once."""
    problems = [f"{name}: must be a finite number >= 0" for name, w in weights.items()
                if not np.isfinite(w) or w < 0]  # fmt: skip
    total = float(sum(w for w in weights.values() if np.isfinite(w) and w >= 0))
    if total <= 0:
        problems.append("at least one weight must be positive")
    if problems:
        raise ValueError("invalid weights: " + "; ".join(problems))
    return {name: float(w) / total for name, w in weights.items()}


def weighted_score(
    features: Mapping[str, npt.NDArray[np.float32]], *, weights: Mapping[str, float]
) -> WeightedScore:
    """Score each row as sum_j w_j * f_j with the weights scaled to sum to 1.

    Features are in [0, 1] (NaN counts as NULL_VALUE), so scores are too. float64 keeps the
    contributions' sum exact to well below 1e-9.
    """
    shares = normalised_weights(weights)
    missing = set(shares) - set(features)
    if missing:
        raise KeyError(f"no feature column for weight(s): {sorted(missing)}")
    names = tuple(shares)
    matrix = np.column_stack([features[name].astype(np.float64) for name in names])
    return weighted_score_matrix(matrix, names, shares)


def row_sums(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each row's sum, added column by column from the left, whatever the memory layout.

    NumPy's own `sum(axis=1)` groups the additions differently for C- and F-ordered arrays,
    so the same row could sum to values one bit apart: a shortlist then showed scores out of
    its own rank order, and a partition's merged top-k could differ from the whole pool's.
    Here a row's sum depends on that row alone.
    """
    total = np.zeros(matrix.shape[0], dtype=np.float64)
    for j in range(matrix.shape[1]):
        total += matrix[:, j]
    return total


def weighted_score_matrix(
    values: npt.NDArray[np.floating], names: tuple[str, ...], weights: Mapping[str, float]
) -> WeightedScore:
    """`weighted_score` over a (n, len(names)) matrix; names absent from `weights` weigh 0."""
    shares = normalised_weights(weights)
    unknown = set(shares) - set(names)
    if unknown:
        raise KeyError(f"no feature column for weight(s): {sorted(unknown)}")
    w = np.array([shares.get(name, 0.0) for name in names], dtype=np.float64)
    filled = np.where(np.isnan(values), NULL_VALUE, values).astype(np.float64)
    contributions = filled * w
    # Clipping only removes float rounding (1.0000000000000002); the sum stays exact to 1e-15.
    return WeightedScore(names, np.clip(row_sums(contributions), 0.0, 1.0), contributions)
