"""HTTP response shapes. Profiles are blind: no name, contact details or date of birth."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from matcher.domain.records import CandidateRecord


class BlindProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
            # Licence numbers identify a person; recruiters see them only after contact.
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


class MatchPublic(BaseModel):
    candidate_id: int
    external_id: str
    agency: str
    rank: int
    score: float
    components: dict[str, float]
    profile: BlindProfile


class MatchesPublic(BaseModel):
    requisition_id: int
    requisition_external_id: str
    scorer: str
    matches: list[MatchPublic]


class Health(BaseModel):
    status: str
    database: str
