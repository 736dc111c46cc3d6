"""The one matching pipeline: block, score, rank. API requests and batch jobs both call `rank`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from matcher.domain.records import RequisitionRecord
from matcher.pool import CandidatePool, fold_title, modality_mask
from scoring.features import experience_fit, modality_coverage, title_similarity
from scoring.topk import top_k
from scoring.weighted import weighted_score

# Documented in README "How a match is scored"; tuned by hand, overridable per call.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "required_modality_coverage": 0.5,
    "experience_fit": 0.2,
    "title_similarity": 0.3,
}


@dataclass(frozen=True)
class RankedMatch:
    candidate_id: int
    rank: int
    score: float
    components: dict[str, float]


def blocked_positions(requisition: RequisitionRecord, pool: CandidatePool) -> np.ndarray:
    """Candidates worth scoring: same occupation, or occupation unknown (never dropped unseen)."""
    if requisition.occupation is None:
        return np.arange(len(pool))
    wanted = requisition.occupation.value
    return np.flatnonzero((pool.occupations == wanted) | (pool.occupations == ""))


def rank(
    requisition: RequisitionRecord,
    pool: CandidatePool,
    *,
    top_k_count: int = 20,
    weights: Mapping[str, float] | None = None,
) -> list[RankedMatch]:
    """Rank `pool` for `requisition`, best first, with each score's per-feature contributions."""
    block = pool.take(blocked_positions(requisition, pool))
    if len(block) == 0:
        return []
    features = {
        "required_modality_coverage": modality_coverage(
            modality_mask([m.value for m in requisition.required_modalities]), block.has_modality
        ),
        "experience_fit": experience_fit(block.years_experience, requisition.min_years_experience),
        "title_similarity": title_similarity(fold_title(requisition.title), block.titles),
    }
    scored = weighted_score(features, weights=weights or DEFAULT_WEIGHTS)
    best = top_k(scored.scores, block.ids, top_k_count)
    return [
        RankedMatch(
            candidate_id=int(block.ids[pos]),
            rank=position + 1,
            score=float(scored.scores[pos]),
            components={
                name: float(scored.contributions[pos, j]) for j, name in enumerate(scored.features)
            },
        )
        for position, pos in enumerate(best)
    ]
