"""Ranking metrics against scikit-learn's implementations as oracles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, ndcg_score

from scoring.metrics import ranking_report


def test_perfect_order_scores_one_and_reversed_less() -> None:
    y = np.array([4, 3, 2, 1, 0, 0], dtype=float)
    groups = np.zeros(6)
    assert ranking_report(y, -np.arange(6), groups).ndcg_10 == pytest.approx(1.0)
    reversed_report = ranking_report(y, np.arange(6), groups)
    assert reversed_report.ndcg_10 < 0.6
    assert reversed_report.recall_20 == 1.0


def test_groups_without_relevant_items_are_left_out() -> None:
    y = np.array([1, 0, 0, 0], dtype=float)
    groups = np.array([0, 0, 1, 1])
    report = ranking_report(y, np.array([1.0, 0.0, 1.0, 0.0]), groups)
    assert report.groups == 1
    assert report.map == 1.0


@settings(max_examples=50, deadline=None)
@given(
    grades=st.lists(st.integers(0, 4), min_size=2, max_size=25),
    seed=st.integers(0, 10_000),
)
def test_ndcg_and_ap_match_scikit_learn(grades: list[int], seed: int) -> None:
    y = np.array(grades, dtype=float)
    scores = np.random.default_rng(seed).permutation(len(y)).astype(float)  # no ties
    report = ranking_report(y, scores, np.zeros(len(y)))
    if y.max() == 0:
        assert np.isnan(report.ndcg_10)
        return
    gains = np.exp2(y) - 1  # sklearn's ndcg uses linear gains: pass 2^y - 1
    assert report.ndcg_10 == pytest.approx(ndcg_score([gains], [scores], k=10))
    assert report.ndcg_5 == pytest.approx(ndcg_score([gains], [scores], k=5))
    assert report.map == pytest.approx(average_precision_score(y >= 1, scores))
