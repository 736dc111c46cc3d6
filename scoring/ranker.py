"""A learned ranker whose explanations are exact: an additive model with pairwise interactions.

score(x) = b + sum_j g_j(x_j) + sum_{(i,j)} w_ij * z_i * z_j, rescaled to [0, 1], where
  * g_j is piecewise linear between knots at quantiles of feature j in the training data
    (constant beyond them), with its own learned value when x_j is null (NaN);
  * z_i is x_i clipped to its knot range, nulls replaced by the training median.
Contribution of feature j = g_j(x_j) + half of every interaction term that involves j, minus
the training mean of that quantity, divided by the rescaling span; `baseline_` holds the rest.
So `baseline_ + contributions.sum(axis=1) == predict(x)` exactly up to float rounding.
The rescaling uses each term's exact range (piecewise-linear terms and bilinear interactions
take their extremes at knots and corners), so every score lies in [0, 1].

Trained pairwise (a RankNet-style logistic loss on score differences of candidates of the same
requisition, pairs weighted by their gain difference 2^y_i - 2^y_j) or pointwise (ridge on
the grades). Both are linear in the basis, which is what keeps the explanations exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no type information shipped

Float64Array = npt.NDArray[np.float64]


def _as_float(x: npt.ArrayLike) -> Float64Array:
    return np.asarray(x, dtype=np.float64)


class AdditiveRanker(BaseEstimator):  # type: ignore[misc]  # sklearn ships no type stubs
    """Additive ranker with exact per-feature contributions.

    Parameters
    ----------
    n_knots : knots per feature (at training quantiles), >= 2.
    interactions : "all" pairs of features, "none", or a tuple of (i, j) column pairs.
    objective : "pairwise" (logistic loss on within-group pairs) or "pointwise" (ridge).
    alpha : L2 penalty strength (C = 1 / alpha for the pairwise logistic loss).
    max_pairs_per_group : pairs sampled per group at most (pairwise objective).
    random_state : seed for the pair sampling.
    """

    def __init__(
        self,
        n_knots: int = 6,
        interactions: str | tuple[tuple[int, int], ...] = "all",
        objective: str = "pairwise",
        alpha: float = 1.0,
        max_pairs_per_group: int = 200,
        random_state: int = 0,
    ) -> None:
        self.n_knots = n_knots
        self.interactions = interactions
        self.objective = objective
        self.alpha = alpha
        self.max_pairs_per_group = max_pairs_per_group
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        return tags

    # ---- fitting -------------------------------------------------------------------------
    def _pairs_spec(self, p: int) -> list[tuple[int, int]]:
        if self.interactions == "all":
            return list(combinations(range(p), 2))
        if self.interactions == "none":
            return []
        if isinstance(self.interactions, str):
            raise ValueError(
                f"interactions must be 'all', 'none' or pairs, not {self.interactions!r}"
            )
        pairs = [(int(i), int(j)) for i, j in self.interactions]
        bad = [(i, j) for i, j in pairs if not (0 <= i < p and 0 <= j < p and i != j)]
        if bad:
            raise ValueError(f"interaction pairs out of range for {p} features: {bad}")
        return pairs

    def _check_params(self) -> None:
        problems = []
        if not isinstance(self.n_knots, int | np.integer) or self.n_knots < 2:
            problems.append("n_knots must be an integer >= 2")
        if self.objective not in ("pairwise", "pointwise"):
            problems.append("objective must be 'pairwise' or 'pointwise'")
        if not self.alpha > 0:
            problems.append("alpha must be > 0")
        if self.max_pairs_per_group < 1:
            problems.append("max_pairs_per_group must be >= 1")
        if problems:
            raise ValueError("; ".join(problems))

    def fit(
        self, x: npt.ArrayLike, y: npt.ArrayLike, groups: npt.ArrayLike | None = None
    ) -> AdditiveRanker:
        """Fit on features x (NaN = null), graded relevance y, and one group id per row."""
        self._check_params()
        x_arr, y_arr = check_X_y(
            x, y, ensure_all_finite="allow-nan", dtype=np.float64, y_numeric=True
        )
        validate_data(self, x_arr, reset=True, skip_check_array=True)
        n, p = x_arr.shape
        group_arr = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups)
        if group_arr.shape[0] != n:
            raise ValueError(f"groups has {group_arr.shape[0]} entries for {n} rows")

        knots: list[Float64Array] = []
        medians = np.zeros(p)
        for j in range(p):
            col = x_arr[:, j]
            finite = col[~np.isnan(col)]
            if finite.size == 0:
                knots.append(np.array([0.0, 1.0]))
                continue
            qs = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, self.n_knots)))
            knots.append(qs if qs.size >= 2 else np.array([qs[0], qs[0] + 1.0]))
            medians[j] = float(np.median(finite))
        self.knots_ = knots
        self.medians_ = medians
        self.interaction_pairs_ = self._pairs_spec(p)

        design = self._design(x_arr)
        if self.objective == "pointwise":
            with threadpool_limits(limits=1, user_api="blas"):
                ridge = Ridge(alpha=self.alpha).fit(design, y_arr)
            beta, intercept = _as_float(ridge.coef_), float(ridge.intercept_)
        else:
            beta, intercept = self._fit_pairwise(design, y_arr, group_arr), 0.0
        self._unpack(beta, intercept, p)
        self._calibrate(x_arr)
        return self

    def _fit_pairwise(
        self, design: Float64Array, y: Float64Array, groups: npt.NDArray[Any]
    ) -> Float64Array:
        rng = np.random.default_rng(self.random_state)
        gain = np.exp2(np.clip(y, -30.0, 30.0))
        left: list[npt.NDArray[np.intp]] = []
        right: list[npt.NDArray[np.intp]] = []
        for g in np.unique(groups):
            rows = np.flatnonzero(groups == g)
            i, j = np.triu_indices(rows.size, k=1)
            keep = y[rows[i]] != y[rows[j]]
            i, j = rows[i[keep]], rows[j[keep]]
            if i.size > self.max_pairs_per_group:
                pick = rng.choice(i.size, size=self.max_pairs_per_group, replace=False)
                i, j = i[pick], j[pick]
            left.append(i)
            right.append(j)
        a = np.concatenate(left) if left else np.zeros(0, dtype=np.intp)
        b = np.concatenate(right) if right else np.zeros(0, dtype=np.intp)
        if a.size == 0:
            return np.zeros(design.shape[1])
        # Orient half the pairs each way so both classes appear; the label says which is better.
        flip = rng.random(a.size) < 0.5
        a, b = np.where(flip, b, a), np.where(flip, a, b)
        diff = design[a] - design[b]
        label = (y[a] > y[b]).astype(np.int64)
        weight = np.abs(gain[a] - gain[b])
        weight = weight / weight.mean()
        if np.unique(label).size < 2:
            return np.zeros(design.shape[1])
        model = LogisticRegression(
            C=1.0 / self.alpha, fit_intercept=False, solver="newton-cholesky", max_iter=200
        )
        # One BLAS thread: on our 2-core machines a thread pool per process oversubscribes
        # (docs: PERFORMANCE.md) and made this fit ~6x slower.
        with threadpool_limits(limits=1, user_api="blas"):
            model.fit(diff, label, sample_weight=weight)
        return _as_float(model.coef_[0])

    def _design(self, x: Float64Array) -> Float64Array:
        n, p = x.shape
        blocks: list[Float64Array] = []
        for j in range(p):
            t = self.knots_[j]
            col = x[:, j]
            missing = np.isnan(col)
            filled = np.where(missing, t[0], col)
            hats = np.empty((n, t.size))
            for k in range(t.size):
                hats[:, k] = np.interp(filled, t, np.eye(t.size)[k])
            hats[missing] = 0.0
            blocks.append(np.column_stack([hats, missing.astype(np.float64)]))
        z = self._clipped(x)
        if self.interaction_pairs_:
            blocks.append(np.column_stack([z[:, i] * z[:, j] for i, j in self.interaction_pairs_]))
        return np.concatenate(blocks, axis=1)

    def _clipped(self, x: Float64Array) -> Float64Array:
        z = np.where(np.isnan(x), self.medians_, x)
        lo = np.array([t[0] for t in self.knots_])
        hi = np.array([t[-1] for t in self.knots_])
        clipped: Float64Array = np.clip(z, lo, hi)
        return clipped

    def _unpack(self, beta: Float64Array, intercept: float, p: int) -> None:
        values: list[Float64Array] = []
        missing = np.zeros(p)
        at = 0
        for j in range(p):
            size = self.knots_[j].size
            values.append(beta[at : at + size].copy())
            missing[j] = beta[at + size]
            at += size + 1
        self.knot_values_ = values
        self.missing_values_ = missing
        self.interaction_weights_ = beta[at:].copy()
        self.intercept_ = intercept

    def _calibrate(self, x: Float64Array) -> None:
        """Centre each feature's contribution on the training data and find the exact range."""
        p = x.shape[1]
        self.scale_ = 1.0
        self.offset_ = 0.0
        raw = self._raw_contributions(x)
        self.term_means_ = raw.mean(axis=0) if raw.shape[0] else np.zeros(p)
        lo = hi = self.intercept_
        for j in range(p):
            options = np.append(self.knot_values_[j], self.missing_values_[j])
            lo += float(options.min())
            hi += float(options.max())
        for (i, j), w in zip(self.interaction_pairs_, self.interaction_weights_, strict=True):
            ti, tj = self.knots_[i], self.knots_[j]
            corners = w * np.outer([ti[0], ti[-1]], [tj[0], tj[-1]])
            lo += float(corners.min())
            hi += float(corners.max())
        span = hi - lo
        self.offset_ = lo
        self.scale_ = span if span > 1e-12 else 1.0
        self.baseline_ = (self.intercept_ + float(self.term_means_.sum()) - lo) / self.scale_

    # ---- scoring -------------------------------------------------------------------------
    def _raw_contributions(self, x: Float64Array) -> Float64Array:
        n, p = x.shape
        out = np.empty((n, p), order="F")  # written column by column
        for j in range(p):
            out[:, j] = self._main_term(x[:, j], j)
        if self.interaction_pairs_:
            z = self._clipped(x)
            for (i, j), w in zip(self.interaction_pairs_, self.interaction_weights_, strict=True):
                half = 0.5 * w * z[:, i] * z[:, j]
                out[:, i] += half
                out[:, j] += half
        return out

    def _main_term(self, col: Float64Array, j: int) -> Float64Array:
        missing = np.isnan(col)
        knots, values = self.knots_[j], self.knot_values_[j]
        main = np.interp(np.where(missing, knots[0], col), knots, values)
        term: Float64Array = np.where(missing, self.missing_values_[j], main)
        return term

    def _validated(self, x: npt.ArrayLike) -> Float64Array:
        check_is_fitted(self)
        arr: Float64Array = validate_data(
            self, x, reset=False, ensure_all_finite="allow-nan", dtype=np.float64
        )
        return arr

    def predict_contributions(self, x: npt.ArrayLike) -> Float64Array:
        """Per-feature contributions (n, p); with `baseline_` they sum to `predict(x)`."""
        arr = self._validated(x)
        centred = self._raw_contributions(arr) - self.term_means_
        result: Float64Array = centred / self.scale_
        return result

    def predict(self, x: npt.ArrayLike) -> Float64Array:
        """Ranking score in [0, 1]; higher ranks first.

        The same sum as the contributions, added column by column (main terms, then one
        product per interaction pair) so that a row's score depends on that row alone, never
        on the memory layout or the other rows (a matrix product may group them differently).
        """
        arr = self._validated(x)
        raw = np.full(arr.shape[0], self.intercept_)
        for j in range(arr.shape[1]):
            raw += self._main_term(arr[:, j], j)
        if self.interaction_pairs_:
            z = self._clipped(arr)
            for (i, j), weight in zip(
                self.interaction_pairs_, self.interaction_weights_, strict=True
            ):
                raw += weight * (z[:, i] * z[:, j])
        result: Float64Array = (raw - self.offset_) / self.scale_
        return result


def check_feature_names(expected: Sequence[str], given: Sequence[str]) -> None:
    """Refuse a model whose feature list differs from the data's: columns must line up."""
    if tuple(expected) != tuple(given):
        raise ValueError(f"model expects features {list(expected)}, data has {list(given)}")
