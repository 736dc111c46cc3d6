"""Train the learned ranker on labelled data, with cross-validation grouped by requisition."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from matcher.audit.model_card import impact_for_model_card
from matcher.domain.records import CandidateRecord
from matcher.engine.artefact import save_model
from matcher.jobs.offline.dataset import (
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
    # Out-of-fold scores, one per row: the frozen evaluation the model card reports on.
    evaluation_scores: npt.NDArray[np.float64] | None = None


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
    return TrainResult(estimator, metrics, None, oof)


# A candidate counts as "selected" by the model when it ranks in this many per requisition.
CARD_SELECTED_TOP_K = 10


def candidates_by_id(candidates: Sequence[CandidateRecord]) -> dict[str, CandidateRecord]:
    return {c.external_id: c for c in candidates}


def model_card_impact(
    data: LabelledData,
    scores: npt.NDArray[np.float64],
    candidates: Mapping[str, CandidateRecord],
) -> dict[str, Any]:
    """LL144 impact ratios of the out-of-fold scores, for the model card.

    Training data carry no self-reported sex or race/ethnicity, so those dimensions are
    reported as all-unknown; country of training comes from the candidates' education records
    (read here for the audit only, never a feature).
    """
    selected = np.zeros(scores.shape[0], dtype=bool)
    for group in np.unique(data.groups):
        rows = np.flatnonzero(data.groups == group)
        best = rows[np.argsort(-scores[rows], kind="stable")[:CARD_SELECTED_TOP_K]]
        selected[best] = True
    countries = [_country_of_training(candidates.get(cid)) for cid in data.candidate_ids]
    report = impact_for_model_card(
        scores.tolist(), selected.tolist(), country_of_training=countries
    )
    return {
        "evaluation": "out-of-fold scores on the training requisitions (GroupKFold)",
        "selected": f"top {CARD_SELECTED_TOP_K} of each requisition",
        "sex_and_race_ethnicity": "not in the training data: unknown",
        **report,
    }


def _country_of_training(candidate: CandidateRecord | None) -> str | None:
    if candidate is None:
        return None
    return next((e.country for e in candidate.education if e.country), None)


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
    assert result.evaluation_scores is not None  # noqa: S101  (train always sets them)
    impact = model_card_impact(
        data, result.evaluation_scores, candidates_by_id(load_candidates(candidates))
    )
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
        impact_ratios=impact,
    )
    return TrainResult(result.estimator, result.metrics, directory, result.evaluation_scores)
