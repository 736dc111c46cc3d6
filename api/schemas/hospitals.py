"""Hospitals' shapes: requisitions, shortlists (live and overnight), outcomes and overrides."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import RowId
from api.schemas.profiles import BlindProfile, EligibilityPublic
from matcher.domain.oversight import OverrideAction
from matcher.domain.records import RequisitionRecord
from matcher.store.requisitions import StoredRequisition

SCORER_DESCRIPTION = (
    "What ranked: `weighted` (the weighted score, with the facility's weights if it has any) "
    "or `learned:<model id>`"
)


class MatchPublic(BaseModel):
    candidate_id: int
    external_id: str
    agency: str
    rank: int
    score: float
    components: dict[str, float] = Field(
        description="Per-feature contributions; they add up to the score"
    )
    eligibility: EligibilityPublic | None = None
    profile: BlindProfile


class MatchesPublic(BaseModel):
    requisition_id: int
    requisition_external_id: str
    scorer: str = Field(description=SCORER_DESCRIPTION)
    matches: list[MatchPublic]
    hidden: dict[str, int] = Field(
        default_factory=dict,
        description="Candidates hidden by the eligibility gate, by status "
        "(ask with include_ineligible=true to see them with their reasons)",
    )


class RequisitionPublic(BaseModel):
    id: int
    owner: str
    status: str
    record: RequisitionRecord

    @classmethod
    def of(cls, stored: StoredRequisition) -> RequisitionPublic:
        return cls(id=stored.id, owner=stored.owner, status=stored.status, record=stored.record)


class OvernightMatchPublic(BaseModel):
    candidate_id: int
    external_id: str
    agency: str
    rank: int
    score: float
    eligibility: str | None
    profile: BlindProfile


class OvernightShortlistPublic(BaseModel):
    requisition_id: int
    run_id: str | None
    finished_at: datetime | None
    scorer: str | None = Field(
        description=SCORER_DESCRIPTION + ", as the batch run ranked; null with no matches"
    )
    matches: list[OvernightMatchPublic]


class OutcomePublic(BaseModel):
    requisition_id: int
    candidate_id: int
    stage: str
    created: bool


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    candidate_id: RowId
    action: OverrideAction
    reason: str = Field(min_length=1, max_length=2000)
    new_rank: int | None = Field(default=None, ge=1, le=1000)


class OverridePublic(BaseModel):
    id: int
    requisition_id: int
    candidate_id: int
    actor: str
    action: str
    reason: str
    new_rank: int | None
    at: datetime
