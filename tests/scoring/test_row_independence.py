"""A row's score depends on that row alone: not on the memory layout, nor on the other rows.

The batch ranks partitions of the pool and merges their top-k, and a shortlist shows the
scores it ranked by; both need the same row to score the same to the last bit however it was
sliced. NumPy's reductions and matrix products do not promise that (C- and F-ordered sums of
the same row differed by one bit for a quarter of the rows), hence these checks.
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.ranker import AdditiveRanker
from scoring.weighted import DEFAULT_WEIGHTS, weighted_score_matrix

NAMES = tuple(DEFAULT_WEIGHTS)


def _features(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.random((n, len(NAMES))).astype(np.float32)
    values[rng.random(values.shape) < 0.1] = np.nan
    return np.asfortranarray(values)  # featurize's layout


def _slicings(values: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rows, matrix of those rows) in the layouts and sizes the pipeline produces."""
    n = values.shape[0]
    rng = np.random.default_rng(1)
    picked = np.sort(rng.choice(n, size=n // 3, replace=False))
    everything = np.arange(n)
    return [
        (everything, np.ascontiguousarray(values)),  # C order, as fancy indexing gives
        (picked, values[picked]),
        (np.arange(n // 2, n), np.asfortranarray(values[n // 2 :])),  # a partition
        (np.array([7]), values[[7]]),  # one candidate
    ]


def test_weighted_scores_are_bitwise_the_same_however_rows_are_sliced() -> None:
    values = _features(20_000, seed=3)
    whole = weighted_score_matrix(values, NAMES, DEFAULT_WEIGHTS).scores
    for rows, sliced in _slicings(values):
        part = weighted_score_matrix(sliced, NAMES, DEFAULT_WEIGHTS).scores
        assert np.array_equal(part, whole[rows])


@pytest.mark.parametrize("objective", ["pairwise", "pointwise"])
def test_learned_scores_are_bitwise_the_same_however_rows_are_sliced(objective: str) -> None:
    train = _features(600, seed=4).astype(np.float64)
    rng = np.random.default_rng(2)
    grades = rng.integers(0, 4, 600).astype(float)
    model = AdditiveRanker(objective=objective).fit(train, grades, np.repeat(np.arange(30), 20))
    values = _features(20_000, seed=5).astype(np.float64)
    whole = model.predict(np.asfortranarray(values))
    for rows, sliced in _slicings(values):
        assert np.array_equal(model.predict(sliced), whole[rows])
