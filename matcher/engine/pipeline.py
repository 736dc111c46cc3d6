"""The one matching pipeline: block, gate, featurise, score, rank. API and batch call `rank`.

Scoring is the active learned model when one is given (`model=load_model(DIR)`), else the
weighted score with DEFAULT_WEIGHTS or a per-facility `weights` mapping over FEATURE_NAMES.
Either way each match's `components` sum exactly to its `score` (a learned model's carry a
"baseline" entry: the score of an average training candidate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matcher.domain.records import RequisitionRecord
from matcher.eligibility import Eligibility
from matcher.eligibility.gate import GateCache, assess
from matcher.eligibility.index import EligibilityIndex
from matcher.engine.artefact import WEIGHTED_LABEL, LoadedModel
from matcher.engine.blocking import blocked_positions
from matcher.engine.featurize import FEATURE_NAMES, FeatureMatrix, featurize
from matcher.engine.pool import CandidatePool
from matcher.engine.pool_memo import PoolMemo
from matcher.errors import InvalidInputError
from scoring.topk import top_k
from scoring.weighted import DEFAULT_WEIGHTS, normalised_weights, weighted_score_matrix

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURE_NAMES",
    "RankedMatch",
    "Ranking",
    "check_weights",
    "eligibility_index",
    "rank",
    "rank_with_gate",
]

BASELINE = "baseline"

# The eligibility index of the pools in use, per day (a batch worker has one pool, the API
# the latest pool of each occupation's block).
_ELIGIBILITY_INDEXES: PoolMemo[EligibilityIndex] = PoolMemo(keep=16)


def eligibility_index(pool: CandidatePool, today: date) -> EligibilityIndex:
    """The eligibility index of `pool`'s records for `today`, built once per pool object."""
    return _ELIGIBILITY_INDEXES.get(pool, today, lambda: EligibilityIndex(pool.records, today))


@dataclass(frozen=True)
class RankedMatch:
    candidate_id: int
    rank: int
    score: float
    components: dict[str, float]
    scorer: str = "weighted"  # "weighted" or "learned:<model id>"
    eligibility: str | None = None  # eligibility status; None when not assessed
    # The full assessment (pathway, steps, earliest start, warnings) behind `eligibility`.
    assessment: Eligibility | None = None


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Validated weights scaled to sum to 1; every problem is reported at once."""
    problems = [f"unknown feature {name!r}" for name in weights if name not in FEATURE_NAMES]
    try:
        shares = normalised_weights(weights)
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        raise InvalidInputError(
            "invalid weights: " + "; ".join(problems) + f" (features: {', '.join(FEATURE_NAMES)})"
        )
    return shares


def _scored(
    features: FeatureMatrix, model: LoadedModel | None, weights: Mapping[str, float] | None
) -> tuple[npt.NDArray[np.float64], str]:
    if model is not None:
        columns = [features.names.index(name) for name in model.feature_names]
        return model.scores(features.values[:, columns]), model.label
    shares = check_weights(weights if weights is not None else DEFAULT_WEIGHTS)
    return (
        weighted_score_matrix(features.values, features.names, shares).scores,
        WEIGHTED_LABEL,
    )


def _components(
    features: FeatureMatrix,
    rows: npt.NDArray[np.intp],
    model: LoadedModel | None,
    weights: Mapping[str, float] | None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], tuple[str, ...]]:
    """(scores, contributions, names) for `rows`; contributions sum to the scores exactly."""
    if model is not None:
        columns = [features.names.index(name) for name in model.feature_names]
        values = features.values[rows][:, columns]
        contributions, baseline = model.contributions(values)
        with_baseline = np.column_stack([contributions, np.full(len(rows), baseline)])
        return model.scores(values), with_baseline, (*model.feature_names, BASELINE)
    shares = check_weights(weights if weights is not None else DEFAULT_WEIGHTS)
    scored = weighted_score_matrix(features.values[rows], features.names, shares)
    return scored.scores, scored.contributions, features.names


@dataclass(frozen=True)
class Ranking:
    matches: list[RankedMatch]
    # Candidates the eligibility gate hid, by status: a recruiter sees that they exist and can
    # ask for them with include_ineligible.
    hidden: dict[str, int]


def rank(
    requisition: RequisitionRecord,
    pool: CandidatePool,
    *,
    top_k_count: int = 20,
    weights: Mapping[str, float] | None = None,
    model: LoadedModel | None = None,
    today: date | None = None,
    include_ineligible: bool = False,
    gate_cache: GateCache | None = None,
    explain: bool = True,
) -> list[RankedMatch]:
    """Rank `pool` for `requisition`, best first, with each score's per-feature contributions.

    Ineligible and unknown-eligibility candidates are hidden unless `include_ineligible`.
    Ties break by the smaller candidate id, so the same input always gives the same list.
    With `explain=False` matches carry their eligibility status but not the full assessment
    (pathway, steps, warnings): the overnight batch stores the status only.
    """
    return rank_with_gate(
        requisition,
        pool,
        top_k_count=top_k_count,
        weights=weights,
        model=model,
        today=today,
        include_ineligible=include_ineligible,
        gate_cache=gate_cache,
        explain=explain,
    ).matches


def rank_with_gate(
    requisition: RequisitionRecord,
    pool: CandidatePool,
    *,
    top_k_count: int = 20,
    weights: Mapping[str, float] | None = None,
    model: LoadedModel | None = None,
    today: date | None = None,
    include_ineligible: bool = False,
    gate_cache: GateCache | None = None,
    explain: bool = True,
) -> Ranking:
    """`rank`, plus how many candidates the eligibility gate hid and why."""
    today = today or date.today()
    if model is None:
        check_weights(weights if weights is not None else DEFAULT_WEIGHTS)  # fail before work
    positions = blocked_positions(requisition, pool)
    gate = assess(eligibility_index(pool, today), positions, requisition, cache=gate_cache)
    shown = gate.shown(include_ineligible)
    hidden = gate.hidden(include_ineligible)
    rows = np.flatnonzero(shown)  # into the gate's positions
    positions = positions[rows]
    if positions.size == 0:
        return Ranking([], hidden)
    features = featurize(
        requisition, pool, positions, today=today, lead_time_days=gate.lead_time_days[rows]
    )
    scores, scorer = _scored(features, model, weights)
    ids = pool.ids[positions]
    best = top_k(scores, ids, top_k_count)
    best_scores, contributions, names = _components(features, best, model, weights)
    matches = []
    for i, row in enumerate(best.tolist()):
        assessment = gate.assessment(int(rows[row])) if explain else None
        matches.append(
            RankedMatch(
                candidate_id=int(ids[row]),
                rank=i + 1,
                score=float(best_scores[i]),
                components={name: float(contributions[i, j]) for j, name in enumerate(names)},
                scorer=scorer,
                eligibility=gate.status(int(rows[row])),
                assessment=assessment,
            )
        )
    return Ranking(matches, hidden)
