"""Language requirements per destination regulator, and the check of a candidate against one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import Field, NonNegativeFloat, PositiveInt, ValidationError, model_validator

from matcher.domain.codes import CEFR_ORDER, Cefr, CountryCode, LanguageCode, LanguageTestName
from matcher.domain.records import LanguageSkill
from matcher.rules.credentials.validation import (
    DataModel,
    SourceUrl,
    Unknown,
    check_top_level,
    format_errors,
    validate_entries,
)

Band = Literal["listening", "reading", "writing", "speaking"]
BANDS: tuple[Band, ...] = ("listening", "reading", "writing", "speaking")


class AcceptedTest(DataModel):
    name: LanguageTestName
    overall: NonNegativeFloat | None = None
    each_band: NonNegativeFloat | None = None
    bands: dict[Band, NonNegativeFloat] = Field(default_factory=dict)
    each_band_grade: Literal["A", "B", "C", "D", "E"] | None = None

    @model_validator(mode="after")
    def _has_a_minimum(self) -> AcceptedTest:
        numeric = self.overall is not None or self.each_band is not None or bool(self.bands)
        if not numeric and self.each_band_grade is None:
            raise ValueError("give at least one minimum (overall, each_band, bands, grade)")
        return self

    def minimums(self) -> list[tuple[str, float]]:
        """(part, minimum) pairs: overall first, then each band at its strictest minimum."""
        parts: list[tuple[str, float]] = []
        if self.overall is not None:
            parts.append(("overall", self.overall))
        for band in BANDS:
            floor = max(
                (m for m in (self.each_band, self.bands.get(band)) if m is not None), default=None
            )
            if floor is not None:
                parts.append((band, floor))
        return parts

    def describe(self) -> str:
        text = [f"{part} {value:g}" for part, value in self.minimums()]
        if self.each_band_grade:
            text.append(f"grade {self.each_band_grade} in each component")
        return f"{self.name} ({', '.join(text)})"


class Exemption(DataModel):
    kind: Literal[
        "training_in_language", "practice_in_language", "first_language", "approved_qualification"
    ]
    text: str = Field(min_length=1)


class Regulator(DataModel):
    id: str = Field(min_length=1, pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str = Field(min_length=1)
    languages: tuple[LanguageCode, ...] = Field(min_length=1)
    min_cefr: Cefr | None = None
    cefr_confidence: Literal["low", "medium", "high"] | None = None
    validity_days: PositiveInt | Unknown
    source: SourceUrl
    as_of: date
    note: str | None = None
    tests: tuple[AcceptedTest, ...] = ()
    exemptions: tuple[Exemption, ...] = ()

    @model_validator(mode="after")
    def _has_a_route(self) -> Regulator:
        if not self.tests and self.min_cefr is None and not self.exemptions:
            raise ValueError("give accepted tests, a CEFR minimum or exemptions")
        return self

    def describe(self) -> str:
        routes = [test.describe() for test in self.tests]
        if self.min_cefr:
            routes.append(f"CEFR {self.min_cefr} in {'/'.join(self.languages)}")
        return " or ".join(routes) if routes else "a test (accepted tests not in the sources)"


class InstructionLanguage(DataModel):
    basis: str = Field(min_length=1)
    countries: dict[CountryCode, tuple[LanguageCode, ...]]


@dataclass(frozen=True)
class LanguageTables:
    regulators: Mapping[str, Regulator]
    instruction: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class LanguageTestResult:
    name: str
    overall: float | None
    listening: float | None
    reading: float | None
    writing: float | None
    speaking: float | None
    taken_on: date | None


@dataclass(frozen=True)
class LanguageEvidence:
    """A candidate's language skill as plain hashable values, so candidates can be grouped."""

    language: str
    cefr: str | None
    test: LanguageTestResult | None

    @classmethod
    def of(cls, skill: LanguageSkill) -> LanguageEvidence:
        test = skill.test
        return cls(
            language=skill.language,
            cefr=skill.cefr.value if skill.cefr is not None else None,
            test=None
            if test is None
            else LanguageTestResult(
                name=test.name.value,
                overall=test.overall,
                listening=test.listening,
                reading=test.reading,
                writing=test.writing,
                speaking=test.speaking,
                taken_on=test.taken_on,
            ),
        )


@dataclass(frozen=True)
class LanguageCheck:
    """`met` is None when the evidence cannot settle it (missing bands, graded tests, ...)."""

    met: bool | None
    via: str | None
    warnings: tuple[str, ...]


def parse_language(data: Mapping[str, Any], *, file: str) -> tuple[LanguageTables, list[str]]:
    problems = check_top_level(
        data, file=file, allowed=["regulator", "instruction_language"], required=["regulator"]
    )
    regulators, entry_problems = validate_entries(
        Regulator, data.get("regulator", []), file=file, table="regulator", key="id"
    )
    problems.extend(entry_problems)
    instruction: dict[str, tuple[str, ...]] = {}
    try:
        parsed = InstructionLanguage.model_validate(data.get("instruction_language", {}))
        instruction = dict(parsed.countries)
    except ValidationError as exc:
        problems.extend(format_errors(f"{file}: instruction_language", exc))
    by_id: dict[str, Regulator] = {}
    for regulator in regulators:
        if regulator.id in by_id:
            problems.append(f"{file}: duplicate regulator {regulator.id}")
        by_id[regulator.id] = regulator
    return LanguageTables(by_id, instruction), problems


def _test_result(
    spec: AcceptedTest, test: LanguageTestResult, regulator: Regulator, today: date
) -> tuple[bool | None, list[str]]:
    label = f"{regulator.id}: {test.name}"
    if regulator.validity_days != "unknown":
        if test.taken_on is None:
            return None, [
                f"{label} has no test date; {regulator.id} accepts results "
                f"up to {regulator.validity_days} days old"
            ]
        if test.taken_on + timedelta(days=regulator.validity_days) < today:
            return False, [
                f"{label} is older than {regulator.id}'s {regulator.validity_days}-day "
                "validity window"
            ]
    if spec.each_band_grade is not None:
        grade = spec.each_band_grade
        return None, [
            f"{label}: {regulator.id} asks for grade {grade} in each component; "
            "a numeric result cannot be checked against it from the sources"
        ]
    shortfalls: list[str] = []
    missing: list[str] = []
    for part, minimum in spec.minimums():
        value: float | None = getattr(test, part)
        if value is None:
            missing.append(part)
        elif value < minimum:
            gap = round(minimum - value, 2)
            shortfalls.append(f"{label} {part} {value:g} is {gap:g} below the minimum {minimum:g}")
    if shortfalls:
        return False, shortfalls
    if missing:
        return None, [f"{label}: {', '.join(missing)} score(s) missing"]
    return True, []


def check_language(
    regulator: Regulator,
    *,
    skills: Iterable[LanguageEvidence],
    training_countries: Iterable[str],
    instruction: Mapping[str, tuple[str, ...]],
    today: date,
) -> LanguageCheck:
    """Is the requirement met by an exemption, an accepted test result, or a CEFR level?"""
    wanted = set(regulator.languages)
    kinds = {exemption.kind for exemption in regulator.exemptions}
    if "training_in_language" in kinds:
        for country in sorted(training_countries):
            if wanted & set(instruction.get(country, ())):
                return LanguageCheck(True, f"exemption: trained in {country}", ())
    warnings: list[str] = []
    undecided = False
    for skill in skills:
        if skill.language not in wanted:
            continue
        if skill.test is not None:
            for spec in regulator.tests:
                if spec.name != skill.test.name:
                    continue
                ok, notes = _test_result(spec, skill.test, regulator, today)
                if ok:
                    return LanguageCheck(True, spec.describe(), ())
                undecided = undecided or ok is None
                warnings.extend(notes)
        if regulator.min_cefr is not None and skill.cefr is not None:
            gap = CEFR_ORDER[regulator.min_cefr] - CEFR_ORDER[skill.cefr]
            if gap <= 0:
                confidence = f" ({regulator.cefr_confidence} confidence)" * bool(
                    regulator.cefr_confidence
                )
                return LanguageCheck(
                    True, f"CEFR {skill.cefr} >= {regulator.min_cefr}{confidence}", ()
                )
            warnings.append(
                f"{regulator.id}: {skill.language} CEFR {skill.cefr} is {gap} level(s) "
                f"below {regulator.min_cefr}"
            )
    if not warnings:
        warnings.append(f"{regulator.id}: no accepted result; needs {regulator.describe()}")
    for exemption in regulator.exemptions:
        if exemption.kind != "training_in_language":
            warnings.append(f"{regulator.id}: may be exempt if {exemption.text}: verify")
    return LanguageCheck(None if undecided else False, None, tuple(warnings))
