"""The one ranking policy: what ranks a requisition, and what that ranking owes.

Every entry point that ranks or shows a ranking (the hospital shortlist, the overnight
shortlist, the agency view and the overnight batch) asks `resolve_policy` first, so they all
rank with the same scorer and honour the same safeguards:

- the stop switch: while an administrator has stopped ranking, every entry point is refused
  (`ServiceUnavailableError`; the API answers 503, `matcher batch run` does not start);
- the scorer: an explicit override (a model directory, `matcher batch run --model`), else the
  active learned model, else the weighted score with the requisition's facility weights (the
  defaults when the facility has none);
- its label (`weighted` or `learned:<model id>`) and artefact hash (SHA-256 of the model
  directory, or of the weights): what responses show, batch runs store and the decision log
  cites (the label from `matcher.engine.artefact.scorer_label`);
- the decision-log obligation: which record the ranking appends (`RankingPolicy.decision`).

The policy depends on the requisition's facility, not on the tenant asking; the tenant goes
into the decision record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from matcher.domain.decisions import Decision, DecisionKind, Ranked
from matcher.domain.records import RequisitionRecord
from matcher.engine.artefact import WEIGHTED_LABEL, LoadedModel
from matcher.errors import ConflictError, ServiceUnavailableError
from matcher.rules.facility_weights import FacilityWeights, default_facility_weights
from matcher.service.models import ActiveModel, ModelCache, weights_hash
from matcher.store.db import Session
from matcher.store.oversight import is_stopped

EntryPoint = Literal["shortlist", "overnight_shortlist", "agency_view", "batch"]

STOPPED = "ranking is stopped by an administrator; retry later"

# The overnight shortlist shows a batch run's ranking, logged by that run when it was made.
_DECISION_KINDS: Mapping[EntryPoint, DecisionKind | None] = {
    "shortlist": "shortlist",
    "overnight_shortlist": None,
    "agency_view": "agency_view",
    "batch": "batch",
}


@dataclass(frozen=True)
class ScorerSources:
    """Where scorers come from: the model registry (the active model) and facilities' weights."""

    models: ModelCache
    models_dir: Path
    facility_weights: FacilityWeights = field(default_factory=default_facility_weights)


@dataclass(frozen=True)
class RankingPolicy:
    """What ranks one requisition at one entry point, and what that ranking owes the audit."""

    model: LoadedModel | None  # the learned ranker; None: the weighted score
    weights: Mapping[str, float] | None  # the weighted score's weights; None when a model ranks
    label: str
    artefact_hash: str
    override: bool  # an explicit model directory ranks instead of the active model
    decision_kind: DecisionKind | None  # the decision-log record owed; None: logged already

    def decision(
        self, *, run_id: str, tenant: str, requisition_id: int, ranked: Sequence[Ranked]
    ) -> Decision:
        """The decision-log record of a ranking made under this policy."""
        if self.decision_kind is None:
            raise ConflictError("this entry point shows a ranking its batch run logged already")
        return Decision(
            run_id=run_id,
            kind=self.decision_kind,
            tenant=tenant,
            requisition_id=str(requisition_id),
            model_version=self.label,
            model_hash=self.artefact_hash,
            ranked=ranked,
        )


def resolve_policy(
    *,
    session: Session,
    entry: EntryPoint,
    requisition: RequisitionRecord | None,
    sources: ScorerSources,
    override: Path | None = None,
) -> RankingPolicy:
    """The policy for ranking `requisition` at `entry`; refused while ranking is stopped.

    `requisition` None resolves the scorer before any facility's weights apply: what a batch
    run records as its own before it knows its requisitions.
    """
    if is_stopped(session):
        raise ServiceUnavailableError(STOPPED)
    kind = _DECISION_KINDS[entry]
    learned: ActiveModel | None = (
        sources.models.load(override)
        if override is not None
        else sources.models.active(session=session, models_dir=sources.models_dir)
    )
    if learned is not None:
        return RankingPolicy(
            model=learned.model,
            weights=None,
            label=learned.model.label,
            artefact_hash=learned.artefact_hash,
            override=override is not None,
            decision_kind=kind,
        )
    facility = requisition.facility.external_id if requisition is not None else None
    weights = sources.facility_weights.weights_for(facility)
    return RankingPolicy(
        model=None,
        weights=weights,
        label=WEIGHTED_LABEL,
        artefact_hash=weights_hash(weights),
        override=False,
        decision_kind=kind,
    )


def resolve_policies(
    *,
    session: Session,
    entry: EntryPoint,
    requisitions: Mapping[int, RequisitionRecord],
    sources: ScorerSources,
    override: Path | None = None,
) -> dict[int, RankingPolicy]:
    """`resolve_policy` for many requisitions (by id): the stop switch and the learned model
    are looked up once; only the weights differ, per facility.

    The stop switch is checked even when there are no requisitions.
    """
    common = resolve_policy(
        session=session, entry=entry, requisition=None, sources=sources, override=override
    )
    if common.model is not None:
        return dict.fromkeys(requisitions, common)
    by_facility: dict[str, RankingPolicy] = {}
    found: dict[int, RankingPolicy] = {}
    for requisition_id, record in requisitions.items():
        facility = record.facility.external_id
        if facility not in by_facility:
            weights = sources.facility_weights.weights_for(facility)
            by_facility[facility] = replace(
                common, weights=weights, artefact_hash=weights_hash(weights)
            )
        found[requisition_id] = by_facility[facility]
    return found
