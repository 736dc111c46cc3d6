"""Self-reported demographics for bias audits: EEO-1 sex and race/ethnicity, country of training.

Categories follow the EEO-1 Component 1 report that NYC's Local Law 144 rules refer to
(6 RCNY § 5-301; https://www.eeoc.gov/data/eeo-1-instruction-booklet-2023). Anything not
self-reported, or declined, is unknown: it is counted, never guessed. Only the audit reads
them, and only with the auditor role: nothing on the ranking path imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError

from matcher.domain.codes import CountryCode
from matcher.errors import InvalidInputError

AUDITOR_ROLE = "auditor"
T = TypeVar("T")


class Sex(StrEnum):
    MALE = "Male"
    FEMALE = "Female"


class RaceEthnicity(StrEnum):
    HISPANIC_OR_LATINO = "Hispanic or Latino"
    WHITE = "White"
    BLACK = "Black or African American"
    NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER = "Native Hawaiian or Other Pacific Islander"
    ASIAN = "Asian"
    AMERICAN_INDIAN_OR_ALASKA_NATIVE = "American Indian or Alaska Native"
    TWO_OR_MORE_RACES = "Two or More Races"


# Spellings seen in feeds; compared case-insensitively after collapsing whitespace.
UNKNOWN_SPELLINGS = frozenset(
    {"", "unknown", "not reported", "declined", "prefer not to say", "not disclosed", "n/a"}
)
_SEX_ALIASES: dict[str, Sex] = {
    "male": Sex.MALE,
    "m": Sex.MALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
}
_RACE_ALIASES: dict[str, RaceEthnicity] = {
    **{member.value.lower(): member for member in RaceEthnicity},
    "hispanic": RaceEthnicity.HISPANIC_OR_LATINO,
    "latino": RaceEthnicity.HISPANIC_OR_LATINO,
    "hispanic or latina": RaceEthnicity.HISPANIC_OR_LATINO,
    "black": RaceEthnicity.BLACK,
    "african american": RaceEthnicity.BLACK,
    "native hawaiian or pacific islander": RaceEthnicity.NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER,
    "nhpi": RaceEthnicity.NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER,
    "american indian or alaskan native": RaceEthnicity.AMERICAN_INDIAN_OR_ALASKA_NATIVE,
    "aian": RaceEthnicity.AMERICAN_INDIAN_OR_ALASKA_NATIVE,
    "two or more": RaceEthnicity.TWO_OR_MORE_RACES,
    "two or more races": RaceEthnicity.TWO_OR_MORE_RACES,
}


def _key(value: str) -> str:
    return " ".join(value.split()).lower()


def is_unknown(value: str | None) -> bool:
    return value is None or _key(value) in UNKNOWN_SPELLINGS


def parse_sex(value: str | None) -> Sex | None:
    """EEO-1 sex, or None when unknown; raises ValueError naming the accepted values."""
    if value is None or is_unknown(value):
        return None
    found = _SEX_ALIASES.get(_key(value))
    if found is None:
        raise ValueError(f"must be one of {', '.join(Sex)} or unknown")
    return found


def parse_race_ethnicity(value: str | None) -> RaceEthnicity | None:
    """EEO-1 race/ethnicity, or None when unknown; raises ValueError naming the accepted values."""
    if value is None or is_unknown(value):
        return None
    found = _RACE_ALIASES.get(_key(value))
    if found is None:
        raise ValueError(f"must be one of {', '.join(RaceEthnicity)} or unknown")
    return found


def parse_country_of_training(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 country where the professional qualification was earned, or None."""
    if value is None or is_unknown(value):
        return None
    try:
        return _COUNTRY.validate_python(value.strip())
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


_COUNTRY: TypeAdapter[str] = TypeAdapter(CountryCode)


@dataclass(frozen=True)
class SelfReport:
    """One candidate's self-report, parsed; None is unknown."""

    sex: Sex | None
    race_ethnicity: RaceEthnicity | None
    country_of_training: str | None


@dataclass(frozen=True)
class Demographics:
    candidate_id: int
    sex: Sex | None
    race_ethnicity: RaceEthnicity | None
    country_of_training: str | None
    self_reported_at: datetime


def parse_self_report(
    *, sex: str | None, race_ethnicity: str | None, country_of_training: str | None
) -> SelfReport:
    """The parsed self-report; every bad value is reported at once."""
    problems: list[str] = []

    def parsed(name: str, parse: Callable[[str | None], T | None], value: str | None) -> T | None:
        try:
            return parse(value)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
            return None

    report = SelfReport(
        parsed("sex", parse_sex, sex),
        parsed("race_ethnicity", parse_race_ethnicity, race_ethnicity),
        parsed("country_of_training", parse_country_of_training, country_of_training),
    )
    if problems:
        raise InvalidInputError("invalid demographics: " + "; ".join(problems))
    return report
