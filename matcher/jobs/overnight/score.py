"""Score one candidate partition for a chunk of requisitions, and merge partitions' top-k.

`score_partition` is what a Dask worker runs; it calls the one pipeline function `rank`, so
the batch and the API can never disagree on a score. Ranking ties break by the smaller
candidate id in both `rank` and `merge_top_k`, so the top-k of the merged partitions equals
the top-k of the whole pool, whatever the partitioning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from matcher.domain.records import RequisitionRecord
from matcher.engine.artefact import LoadedModel
from matcher.engine.pipeline import rank
from matcher.engine.pool import CandidatePool


@dataclass(frozen=True)
class RequisitionToRank:
    """A requisition of a chunk and the weights its ranking policy chose for it."""

    requisition_id: int
    record: RequisitionRecord
    weights: Mapping[str, float] | None = None  # None: the defaults, or the run's model ranks


@dataclass(frozen=True)
class Shortlisted:
    requisition_id: int
    candidate_id: int
    score: float
    eligibility: str | None
    rank: int = 0  # 0 until merged


def score_partition(
    requisitions: Sequence[RequisitionToRank],
    pool: CandidatePool,
    *,
    top_k: int,
    today: date,
    model: LoadedModel | None,
    include_ineligible: bool,
) -> list[Shortlisted]:
    """Each requisition's top `top_k` within this partition, by the pipeline's `rank`.

    `model` (the run's learned ranker) ranks every requisition; without one, each ranks by
    the weighted score with its own weights.
    """
    found: list[Shortlisted] = []
    for requisition in requisitions:
        for match in rank(
            requisition.record,
            pool,
            top_k_count=top_k,
            weights=requisition.weights,
            model=model,
            today=today,
            include_ineligible=include_ineligible,
            explain=False,  # the batch stores the status, not the pathway's steps
        ):
            found.append(
                Shortlisted(
                    requisition.requisition_id, match.candidate_id, match.score, match.eligibility
                )
            )
    return found


def merge_top_k(parts: Iterable[Sequence[Shortlisted]], top_k: int) -> list[Shortlisted]:
    """The global top `top_k` per requisition from partitions' top-k lists, ranked from 1."""
    by_requisition: dict[int, list[Shortlisted]] = {}
    for part in parts:
        for item in part:
            by_requisition.setdefault(item.requisition_id, []).append(item)
    merged: list[Shortlisted] = []
    for requisition_id in sorted(by_requisition):
        best = sorted(by_requisition[requisition_id], key=lambda s: (-s.score, s.candidate_id))
        merged.extend(
            Shortlisted(s.requisition_id, s.candidate_id, s.score, s.eligibility, place)
            for place, s in enumerate(best[:top_k], start=1)
        )
    return merged
