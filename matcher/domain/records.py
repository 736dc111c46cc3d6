"""Interchange records: the public JSON Lines contract for candidates, requisitions, outcomes.

Field names are a public contract (docs/formats.md): extend them, never rename them.
Every model forbids unknown fields, so a typo in a feed is an error, not silent data loss.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from matcher.domain.codes import (
    Cefr,
    ContractType,
    CountryCode,
    CurrencyCode,
    EducationLevel,
    JurisdictionCode,
    LanguageCode,
    LanguageTestName,
    Modality,
    Occupation,
    PayPeriod,
    PhoneE164,
    Shift,
    Stage,
)

NonEmpty = Annotated[str, Field(min_length=1, max_length=200)]


def normalise_external_id(value: str) -> str:
    """The one form of an external id: what is stored, matched on, and hashed for erasure.

    `str.strip()`, not the records' own whitespace stripping, which keeps U+001C-U+001F: an id
    stored with them and hashed without them would let an erased person back in.
    """
    return value.strip()


def _normalised_external_id(value: object) -> object:
    return normalise_external_id(value) if isinstance(value, str) else value


ExternalId = Annotated[
    str,
    Field(min_length=1, max_length=120, pattern=r"^\S(.*\S)?$"),
    BeforeValidator(_normalised_external_id),  # wraps the constraints, so runs before them
]
Years = Annotated[float, Field(ge=0, le=70)]


# No database stores these in text the same way: PostgreSQL refuses NUL, and neither driver
# can encode a lone UTF-16 surrogate. Refused here, they are a row error on either database.
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "must not contain a NUL character or a lone UTF-16 surrogate"


def _storable(value: object) -> None:
    if isinstance(value, str) and _UNSTORABLE_TEXT.search(value):
        raise PydanticCustomError("unstorable_text", UNSTORABLE_TEXT)


class Record(BaseModel):
    """Every interchange record: unknown fields, non-finite numbers (`Infinity`, `NaN`: not
    JSON, and unstorable as such) and unstorable text are errors on the field that holds them."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        # Nested records check their own fields; lists of text are checked item by item.
        if isinstance(value, list):
            for item in value:
                _storable(item)
        else:
            _storable(value)
        return value


class GeoPoint(Record):
    city: str | None = Field(default=None, max_length=120)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _lat_lon_together(self) -> GeoPoint:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        return self


class ModalityExperience(Record):
    modality: Modality
    years: Years = 0.0


class Credential(Record):
    body: NonEmpty = Field(description="Issuing body, e.g. 'ARRT', 'HCPC', 'PRC'")
    credential: NonEmpty = Field(description="Credential code, e.g. 'R', 'CT', 'RDMS'")
    jurisdiction: JurisdictionCode
    number: str | None = Field(default=None, max_length=80)
    valid_until: date | None = None


class Education(Record):
    level: EducationLevel
    field: str | None = Field(default=None, max_length=200)
    country: CountryCode | None = None
    year: int | None = Field(default=None, ge=1940, le=2100)


class LanguageTest(Record):
    name: LanguageTestName
    overall: float | None = Field(default=None, ge=0)
    listening: float | None = Field(default=None, ge=0)
    reading: float | None = Field(default=None, ge=0)
    writing: float | None = Field(default=None, ge=0)
    speaking: float | None = Field(default=None, ge=0)
    taken_on: date | None = None


class LanguageSkill(Record):
    language: LanguageCode
    cefr: Cefr | None = None
    test: LanguageTest | None = None


class Money(Record):
    amount: float = Field(ge=0)
    currency: CurrencyCode
    period: PayPeriod


class Preferences(Record):
    countries: list[CountryCode] = Field(default_factory=list)
    contract_types: list[ContractType] = Field(default_factory=list)
    shifts: list[Shift] = Field(default_factory=list)
    min_salary: Money | None = None
    willing_to_relocate: bool = False


class CandidateRecord(Record):
    """One candidate profile as an agency submits it."""

    external_id: ExternalId = Field(description="Unique per agency")
    full_name: NonEmpty
    email: EmailStr | None = None
    phone: PhoneE164 | None = None
    date_of_birth: date | None = Field(
        default=None, description="Optional; never a ranking feature"
    )
    country: CountryCode = Field(description="Where the candidate lives")
    location: GeoPoint | None = None
    title: NonEmpty = Field(description="Job title as written, any language")
    title_language: LanguageCode | None = None
    occupation: Occupation | None = Field(
        default=None, description="Canonical occupation; derived from the title when absent"
    )
    years_experience: Years = 0.0
    modalities: list[ModalityExperience] = Field(default_factory=list, max_length=20)
    credentials: list[Credential] = Field(default_factory=list, max_length=30)
    education: list[Education] = Field(default_factory=list, max_length=20)
    languages: list[LanguageSkill] = Field(default_factory=list, max_length=20)
    equipment: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    available_from: date | None = None
    preferences: Preferences = Field(default_factory=Preferences)


class Facility(Record):
    external_id: ExternalId
    name: NonEmpty
    country: CountryCode
    region: JurisdictionCode | None = Field(default=None, description="ISO 3166-2, optional")
    city: str | None = Field(default=None, max_length=120)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class SalaryRange(Record):
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    currency: CurrencyCode
    period: PayPeriod

    @model_validator(mode="after")
    def _min_not_above_max(self) -> SalaryRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        return self


class LanguageRequirement(Record):
    language: LanguageCode
    min_cefr: Cefr | None = None


class RequisitionRecord(Record):
    """One opening as a hospital posts it."""

    external_id: ExternalId
    facility: Facility
    title: NonEmpty
    occupation: Occupation | None = Field(
        default=None, description="Optional; derived from the title when absent"
    )
    required_modalities: list[Modality] = Field(default_factory=list, max_length=14)
    preferred_modalities: list[Modality] = Field(default_factory=list, max_length=14)
    min_years_experience: Years = 0.0
    equipment: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    shift: Shift | None = None
    contract_type: ContractType | None = None
    start_date: date | None = None
    duration_weeks: int | None = Field(default=None, ge=1, le=520)
    salary: SalaryRange | None = None
    language: LanguageRequirement | None = None
    visa_sponsorship: bool = False
    openings: int = Field(default=1, ge=1, le=1000)


class OutcomeRecord(Record):
    """A placement-pipeline event for one (requisition, candidate) pair, by external ids."""

    requisition_id: ExternalId
    candidate_id: ExternalId
    stage: Stage
    at: date
    agency: str | None = Field(
        default=None,
        max_length=120,
        description="Agency owning the candidate; needed only when the id is ambiguous",
    )


RecordKind = Literal["candidate", "requisition", "outcome"]
RECORD_TYPES: dict[str, type[Record]] = {
    "candidate": CandidateRecord,
    "requisition": RequisitionRecord,
    "outcome": OutcomeRecord,
}
