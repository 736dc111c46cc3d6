"""Canonical vocabularies and validated code types (ISO 3166, ISO 639-1, ISO 4217, E.164)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

import phonenumbers
import pycountry
from pydantic import AfterValidator, StringConstraints


class Occupation(StrEnum):
    RADIOGRAPHER = "radiographer"
    SONOGRAPHER = "sonographer"
    MRI_TECHNOLOGIST = "mri_technologist"
    NUCLEAR_MEDICINE_TECHNOLOGIST = "nuclear_medicine_technologist"
    RADIATION_THERAPIST = "radiation_therapist"
    CARDIOVASCULAR_TECHNOLOGIST = "cardiovascular_technologist"


class Modality(StrEnum):
    RADIOGRAPHY = "radiography"
    FLUOROSCOPY = "fluoroscopy"
    CT = "ct"
    MRI = "mri"
    MAMMOGRAPHY = "mammography"
    ULTRASOUND = "ultrasound"
    ECHOCARDIOGRAPHY = "echocardiography"
    VASCULAR_ULTRASOUND = "vascular_ultrasound"
    NUCLEAR_MEDICINE = "nuclear_medicine"
    PET = "pet"
    INTERVENTIONAL = "interventional"
    CARDIAC_CATH = "cardiac_cath"
    BONE_DENSITOMETRY = "bone_densitometry"
    RADIATION_THERAPY = "radiation_therapy"


# Column order for modality matrices: fixed so that saved models stay valid.
MODALITIES: tuple[Modality, ...] = tuple(Modality)
OCCUPATIONS: tuple[Occupation, ...] = tuple(Occupation)


class ContractType(StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    TRAVEL = "travel"
    LOCUM = "locum"


class Shift(StrEnum):
    DAY = "day"
    EVENING = "evening"
    NIGHT = "night"
    WEEKEND = "weekend"
    ON_CALL = "on_call"


class PayPeriod(StrEnum):
    HOUR = "hour"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class EducationLevel(StrEnum):
    CERTIFICATE = "certificate"
    DIPLOMA = "diploma"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class Cefr(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


CEFR_ORDER: dict[str, int] = {level.value: rank for rank, level in enumerate(Cefr, start=1)}


class LanguageTestName(StrEnum):
    IELTS_ACADEMIC = "IELTS_ACADEMIC"
    IELTS_GENERAL = "IELTS_GENERAL"
    OET = "OET"
    TOEFL_IBT = "TOEFL_IBT"
    PTE_ACADEMIC = "PTE_ACADEMIC"
    CELPIP = "CELPIP"
    TEF = "TEF"
    TCF = "TCF"
    MELA = "MELA"
    GOETHE = "GOETHE"
    TELC = "TELC"
    DELF_DALF = "DELF_DALF"
    DELE = "DELE"
    OTHER = "OTHER"


class Stage(StrEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    INTERVIEWED = "interviewed"
    OFFERED = "offered"
    PLACED = "placed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@lru_cache(maxsize=4096)
def _known_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=4096)
def _known_subdivision(code: str) -> bool:
    return pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1024)
def _known_language(code: str) -> bool:
    return pycountry.languages.get(alpha_2=code) is not None


@lru_cache(maxsize=1024)
def _known_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not _known_country(code):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, such as 'GB'")
    return code


def _jurisdiction(value: str) -> str:
    code = value.strip().upper()
    if len(code) == 2 and _known_country(code):
        return code
    if "-" in code and _known_subdivision(code):
        return code
    raise ValueError("must be ISO 3166-1 alpha-2 ('AU') or ISO 3166-2 ('US-CA')")


def _language(value: str) -> str:
    code = value.strip().lower()
    if len(code) != 2 or not _known_language(code):
        raise ValueError("must be an ISO 639-1 language code, such as 'en'")
    return code


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not _known_currency(code):
        raise ValueError("must be an ISO 4217 currency code, such as 'EUR'")
    return code


def _e164(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError("must be an E.164 phone number, such as '+447700900123'") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError("is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# The patterns document the shape in the JSON Schema; the validators check the registries.
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$"), AfterValidator(_country)]
JurisdictionCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$"),
    AfterValidator(_jurisdiction),
]
LanguageCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{2}$"), AfterValidator(_language)
]
CurrencyCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{3}$"), AfterValidator(_currency)
]
PhoneE164 = Annotated[
    str, StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$"), AfterValidator(_e164)
]
