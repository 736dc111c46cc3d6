"""The learned ranker: scikit-learn contract, exact explanations, bounded scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from scoring.ranker import AdditiveRanker


# Every general check runs and passes. The ranker is neither a classifier nor a regressor (its
# score orders rows within a group and is rescaled to [0, 1]), so the checks specific to those
# kinds do not apply and are not run.
@parametrize_with_checks([AdditiveRanker()])  # type: ignore[untyped-decorator]  # sklearn is untyped
def test_sklearn_contract(estimator: AdditiveRanker, check: object) -> None:
    check(estimator)  # type: ignore[operator]


def _data(
    seed: int, n_groups: int = 20, per_group: int = 15, p: int = 4
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n_groups * per_group, p))
    x[rng.random(x.shape) < 0.1] = np.nan
    filled = np.nan_to_num(x, nan=0.5)
    utility = (
        2 * filled[:, 0] + (filled[:, 1] > 0.6) * filled[:, 2] * 3 + rng.normal(0, 0.3, len(x))
    )
    y = np.digitize(utility, np.quantile(utility, [0.5, 0.75, 0.9, 0.97]))
    groups = np.repeat(np.arange(n_groups), per_group)
    return x, y.astype(float), groups


@pytest.fixture(scope="module", params=["pairwise", "pointwise"])
def fitted(request: pytest.FixtureRequest) -> AdditiveRanker:
    x, y, groups = _data(0)
    return AdditiveRanker(objective=request.param).fit(x, y, groups)


finite_or_nan = st.one_of(st.floats(-5, 5, allow_nan=False), st.just(float("nan")))


@settings(max_examples=60, deadline=None)
@given(
    rows=hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.just(4)), elements=finite_or_nan)
)
def test_contributions_sum_to_the_score_and_scores_stay_in_unit_interval(
    fitted: AdditiveRanker, rows: np.ndarray
) -> None:
    scores = fitted.predict(rows)
    total = fitted.baseline_ + fitted.predict_contributions(rows).sum(axis=1)
    assert np.abs(total - scores).max() <= 1e-6
    assert scores.min() >= -1e-9
    assert scores.max() <= 1 + 1e-9


def test_learns_a_threshold_interaction_better_than_chance(fitted: AdditiveRanker) -> None:
    x, y, _ = _data(1)
    order = np.corrcoef(fitted.predict(x), y)[0, 1]
    assert order > 0.6


def test_clone_keeps_params_and_drops_fitted_state(fitted: AdditiveRanker) -> None:
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "knots_")


def test_same_data_same_model() -> None:
    x, y, groups = _data(2)
    a = AdditiveRanker().fit(x, y, groups).predict(x)
    b = AdditiveRanker().fit(x, y, groups).predict(x)
    assert np.array_equal(a, b)


def test_bad_parameters_are_all_reported() -> None:
    x, y, groups = _data(3)
    with pytest.raises(ValueError, match=r"n_knots.*objective.*alpha"):
        AdditiveRanker(n_knots=1, objective="listwise", alpha=0).fit(x, y, groups)


def test_interaction_pairs_are_validated() -> None:
    x, y, groups = _data(3)
    with pytest.raises(ValueError, match="out of range"):
        AdditiveRanker(interactions=((0, 9),)).fit(x, y, groups)
    model = AdditiveRanker(interactions=((0, 1),)).fit(x, y, groups)
    assert model.interaction_pairs_ == [(0, 1)]
