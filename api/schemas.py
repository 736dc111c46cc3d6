"""HTTP shapes. Inputs forbid unknown fields; hospital-facing profiles are blind."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.store.requisitions import StoredRequisition


class BlindProfile(BaseModel):
    """What a hospital sees: no name, contact details, date of birth or licence numbers."""

    country: str
    title: str
    occupation: str | None
    years_experience: float
    modalities: list[dict[str, Any]]
    credentials: list[dict[str, Any]]
    languages: list[dict[str, Any]]
    equipment: list[str]
    available_from: date | None

    @classmethod
    def of(cls, record: CandidateRecord) -> BlindProfile:
        return cls(
            country=record.country,
            title=record.title,
            occupation=record.occupation.value if record.occupation else None,
            years_experience=record.years_experience,
            modalities=[m.model_dump(mode="json") for m in record.modalities],
            credentials=[
                c.model_dump(mode="json", exclude={"number"}, exclude_none=True)
                for c in record.credentials
            ],
            languages=[
                lang.model_dump(mode="json", exclude_none=True) for lang in record.languages
            ],
            equipment=list(record.equipment),
            available_from=record.available_from,
        )


class EligibilityPublic(BaseModel):
    """Whether the candidate may work there, by when, and what remains to do."""

    model_config = ConfigDict(extra="allow")

    status: str
    destination: str | None = None
    pathway: str | None = None
    steps: list[dict[str, Any]] = Field(default_factory=list)
    lead_time_days: int | None = None
    earliest_start_date: date | None = None
    warnings: list[str] = Field(default_factory=list)
    source: str | None = None


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


SCORER_DESCRIPTION = (
    "What ranked: `weighted` (the weighted score, with the facility's weights if it has any) "
    "or `learned:<model id>`"
)


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


class CandidatePublic(BaseModel):
    """The owning agency's own view, personal data included."""

    id: int
    agency: str
    record: CandidateRecord


class CandidateMatchPublic(BaseModel):
    requisition_id: int
    requisition_external_id: str
    facility: str
    country: str
    rank: int
    score: float
    components: dict[str, float]
    scorer: str = Field(description=SCORER_DESCRIPTION)


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


class BatchRowPublic(BaseModel):
    index: int
    external_id: str
    id: int


class RowErrorPublic(BaseModel):
    index: int
    field: str
    message: str


class BatchResultPublic(BaseModel):
    received: int
    stored: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rows: list[BatchRowPublic]
    errors: list[RowErrorPublic]


class ErasurePublic(BaseModel):
    candidate_id: int
    erased: bool = True
    hospitals_notified: list[str] = Field(
        description="Hospitals that had been shown this candidate and must be told"
    )


class OutcomePublic(BaseModel):
    requisition_id: int
    candidate_id: int
    stage: str
    created: bool


class Health(BaseModel):
    status: str
    database: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
