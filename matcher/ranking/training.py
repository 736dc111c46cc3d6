"""Train the learned ranker on labelled data, with cross-validation grouped by requisition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from matcher.ranking.artefact import save_model
from matcher.ranking.dataset import (
    LabelledData,
    labelled_data,
    load_candidates,
    load_outcomes,
    load_requisitions,
)
from scoring.metrics import ranking_report
from scoring.ranker import AdditiveRanker
from scoring.weighted import DEFAULT_WEIGHTS, weighted_score_matrix

Scorer = Callable[[LabelledData, npt.NDArray[np.intp], npt.NDArray[np.intp]], np.ndarray]

DEFAULT_PARAMS: dict[str, Any] = {
    "n_knots": 6,
    "interactions": "all",
    "objective": "pairwise",
    "alpha": 1.0,
    "max_pairs_per_group": 200,
    "random_state": 0,
}


def default_ranker() -> AdditiveRanker:
    return AdditiveRanker(**DEFAULT_PARAMS)


def out_of_fold(data: LabelledData, scorer: Scorer, *, folds: int) -> npt.NDArray[np.float64]:
    """Scores for every row from a scorer fitted without that row's requisition."""
    scores = np.full(data.y.shape[0], np.nan)
    n_groups = np.unique(data.groups).size
    splitter = GroupKFold(n_splits=min(folds, n_groups))
    for train_rows, test_rows in splitter.split(data.X, data.y, data.groups):
        scores[test_rows] = scorer(data, train_rows, test_rows)
    return scores


def learned_scorer(template: AdditiveRanker) -> Scorer:
    def score(data: LabelledData, train: npt.NDArray[np.intp], test: npt.NDArray[np.intp]) -> Any:
        model = clone(template).fit(data.X[train], data.y[train], data.groups[train])
        return model.predict(data.X[test])

    return score


def weighted_scores(data: LabelledData) -> npt.NDArray[np.float64]:
    return weighted_score_matrix(data.X, data.feature_names, DEFAULT_WEIGHTS).scores


@dataclass(frozen=True)
class TrainResult:
    estimator: AdditiveRanker
    metrics: dict[str, Any]
    directory: Path | None


def train(
    data: LabelledData, *, folds: int = 5, params: dict[str, Any] | None = None
) -> TrainResult:
    """Cross-validate (grouped by requisition), then fit on everything."""
    if np.unique(data.groups).size < 2:
        raise ValueError("need outcomes for at least two requisitions to train and validate")
    template = AdditiveRanker(**{**DEFAULT_PARAMS, **(params or {})})
    oof = out_of_fold(data, learned_scorer(template), folds=folds)
    metrics = {
        "validation": f"GroupKFold({folds}) by requisition, out-of-fold",
        "learned": ranking_report(data.y, oof, data.groups).as_dict(),
        "weighted": ranking_report(data.y, weighted_scores(data), data.groups).as_dict(),
    }
    estimator = clone(template).fit(data.X, data.y, data.groups)
    return TrainResult(estimator, metrics, None)


def train_files(
    candidates: Path,
    requisitions: Path,
    outcomes: Path,
    out: Path,
    *,
    today: date,
    folds: int = 5,
) -> TrainResult:
    """`matcher train`: interchange files in, a model directory out. No database."""
    data = labelled_data(
        load_candidates(candidates),
        load_requisitions(requisitions),
        load_outcomes(outcomes),
        today=today,
    )
    result = train(data, folds=folds)
    directory = save_model(
        out,
        result.estimator,
        feature_names=data.feature_names,
        data_sha256=data.sha256(),
        metrics=result.metrics,
        training={
            "rows": int(data.y.shape[0]),
            "requisitions": len(data.requisition_ids),
            "grade_counts": {str(int(g)): int((data.y == g).sum()) for g in np.unique(data.y)},
            "today": today.isoformat(),
        },
    )
    return TrainResult(result.estimator, result.metrics, directory)
