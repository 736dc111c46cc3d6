"""Agencies' shapes: their candidates, batches, matches, erasure and self-reported demographics."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.hospitals import SCORER_DESCRIPTION
from matcher.domain.records import CandidateRecord


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


class DemographicsIn(BaseModel):
    """Voluntary self-report, kept apart for bias audits; never used to rank."""

    model_config = ConfigDict(extra="forbid")

    sex: str | None = Field(default=None, max_length=40)
    race_ethnicity: str | None = Field(default=None, max_length=80)
    country_of_training: str | None = Field(default=None, max_length=2)
