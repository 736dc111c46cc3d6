"""Held-out comparison: random order, weighted score, learned ranker, LightGBM LambdaRank.

Every requisition is held out once (GroupKFold by requisition); learned and LightGBM are
refitted per fold on the other requisitions only, on the same features. LightGBM is a dev-only
peer: imported here, lazily, and nowhere at runtime.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.jobs.offline.dataset import LabelledData
from matcher.jobs.offline.training import (
    default_ranker,
    learned_scorer,
    out_of_fold,
    weighted_scores,
)
from scoring.metrics import RankingReport, ranking_report

METHODS = ("random", "weighted", "learned", "lightgbm_lambdarank")


def _lightgbm_scorer(seed: int) -> Any:
    import lightgbm  # dev extra only

    def score(data: LabelledData, train: npt.NDArray[np.intp], test: npt.NDArray[np.intp]) -> Any:
        order = train[np.argsort(data.groups[train], kind="stable")]
        _, sizes = np.unique(data.groups[order], return_counts=True)
        model = lightgbm.LGBMRanker(
            objective="lambdarank", n_estimators=300, learning_rate=0.05, num_leaves=15,
            min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
            random_state=seed, n_jobs=1, verbose=-1,
        )  # fmt: skip
        model.fit(data.X[order], data.y[order].astype(int), group=sizes)
        return model.predict(data.X[test])

    return score


def evaluate(
    data: LabelledData, *, folds: int = 5, seed: int = 0, with_lightgbm: bool = True
) -> dict[str, RankingReport]:
    rng = np.random.default_rng(seed)
    reports = {
        "random": ranking_report(data.y, rng.random(data.y.shape[0]), data.groups),
        "weighted": ranking_report(data.y, weighted_scores(data), data.groups),
        "learned": ranking_report(
            data.y, out_of_fold(data, learned_scorer(default_ranker()), folds=folds), data.groups
        ),
    }
    if with_lightgbm:
        reports["lightgbm_lambdarank"] = ranking_report(
            data.y, out_of_fold(data, _lightgbm_scorer(seed), folds=folds), data.groups
        )
    return reports


def format_reports(reports: dict[str, RankingReport]) -> str:
    lines = [f"{'method':<22}{'NDCG@5':>9}{'NDCG@10':>9}{'MAP':>9}{'recall@20':>11}"]
    for name, r in reports.items():
        lines.append(
            f"{name:<22}{r.ndcg_5:>9.4f}{r.ndcg_10:>9.4f}{r.map:>9.4f}{r.recall_20:>11.4f}"
        )
    return "\n".join(lines)


def format_targets(reports: dict[str, RankingReport]) -> str:
    """The issue's targets: learned >= weighted + 0.05 and >= LightGBM - 0.01 on NDCG@10."""
    learned = reports["learned"].ndcg_10
    lines = []
    for peer, margin in (("weighted", 0.05), ("lightgbm_lambdarank", -0.01)):
        if peer in reports:
            gap = learned - reports[peer].ndcg_10
            verdict = "met" if gap >= margin else "NOT met"
            lines.append(
                f"learned - {peer} NDCG@10: {gap:+.4f} (target >= {margin:+.2f}): {verdict}"
            )
    return "\n".join(lines)
