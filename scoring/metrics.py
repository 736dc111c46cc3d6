"""Ranking metrics over groups (one group = one requisition's candidates).

Gains are 2^grade - 1 with a log2 position discount (Järvelin & Kekäläinen; the LightGBM and
scikit-learn convention). MAP and recall treat grade >= `relevant_from` as relevant. A group
with no relevant item has no defined NDCG, AP or recall and is left out of the mean.
Ties in score are broken by row order, so results are deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _groups(groups: npt.ArrayLike) -> Iterator[npt.NDArray[np.intp]]:
    arr = np.asarray(groups)
    order = np.argsort(arr, kind="stable")
    bounds = np.flatnonzero(np.diff(arr[order])) + 1
    yield from np.split(order, bounds)


def _ranked(scores: FloatArray, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    return rows[np.argsort(-scores[rows], kind="stable")]


def dcg(grades_in_order: FloatArray, k: int) -> float:
    top = grades_in_order[:k]
    discounts = 1.0 / np.log2(np.arange(2, top.size + 2))
    return float(((np.exp2(top) - 1.0) * discounts).sum())


def ndcg_at(y: FloatArray, scores: FloatArray, rows: npt.NDArray[np.intp], k: int) -> float | None:
    ideal = dcg(np.sort(y[rows])[::-1], k)
    if ideal <= 0:
        return None
    return dcg(y[_ranked(scores, rows)], k) / ideal


def average_precision(
    y: FloatArray, scores: FloatArray, rows: npt.NDArray[np.intp], relevant_from: float
) -> float | None:
    relevant = y[_ranked(scores, rows)] >= relevant_from
    total = int(relevant.sum())
    if total == 0:
        return None
    hits = np.cumsum(relevant)
    precision = hits / np.arange(1, relevant.size + 1)
    return float(precision[relevant].sum() / total)


def recall_at(
    y: FloatArray, scores: FloatArray, rows: npt.NDArray[np.intp], k: int, relevant_from: float
) -> float | None:
    relevant = y[_ranked(scores, rows)] >= relevant_from
    total = int(relevant.sum())
    if total == 0:
        return None
    return float(relevant[:k].sum() / total)


@dataclass(frozen=True)
class RankingReport:
    ndcg_5: float
    ndcg_10: float
    map: float
    recall_20: float
    groups: int

    def as_dict(self) -> dict[str, float]:
        return {"ndcg@5": self.ndcg_5, "ndcg@10": self.ndcg_10, "map": self.map,
                "recall@20": self.recall_20, "groups": float(self.groups)}  # fmt: skip


def ranking_report(
    y: npt.ArrayLike, scores: npt.ArrayLike, groups: npt.ArrayLike, *, relevant_from: float = 1.0
) -> RankingReport:
    """NDCG@5, NDCG@10, MAP and recall@20, each the mean over groups where it is defined."""
    y_arr = np.asarray(y, dtype=np.float64)
    s_arr = np.asarray(scores, dtype=np.float64)
    n5: list[float] = []
    n10: list[float] = []
    aps: list[float] = []
    r20: list[float] = []
    for rows in _groups(groups):
        for bucket, value in (
            (n5, ndcg_at(y_arr, s_arr, rows, 5)),
            (n10, ndcg_at(y_arr, s_arr, rows, 10)),
            (aps, average_precision(y_arr, s_arr, rows, relevant_from)),
            (r20, recall_at(y_arr, s_arr, rows, 20, relevant_from)),
        ):
            if value is not None:
                bucket.append(value)

    def mean(values: list[float]) -> float:
        return float(np.mean(values)) if values else float("nan")

    return RankingReport(mean(n5), mean(n10), mean(aps), mean(r20), groups=len(n10))
