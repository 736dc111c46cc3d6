"""What hospitals are shown of a candidate: the blind profile and the eligibility verdict."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matcher.domain.records import CandidateRecord


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
