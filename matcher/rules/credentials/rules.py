"""Equivalence rules: origin credential or training country -> destination, with ordered steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt, model_validator

from matcher.domain.codes import CountryCode, CurrencyCode, JurisdictionCode, Modality, Occupation
from matcher.rules.credentials.catalogue import Catalogue, CatalogueEntry, CredentialKey
from matcher.rules.credentials.validation import (
    DataModel,
    SourceUrl,
    Unknown,
    check_top_level,
    iso,
    validate_entries,
)

RuleStatus = Literal["direct", "conditional", "not_recognised", "unknown"]
StepKind = Literal[
    "assessment",
    "exam",
    "registration",
    "licence_application",
    "language_test",
    "supervised_practice",
    "primary_source_verification",
    "education_programme",
]
# Tier of a rule's origin: a rule about the candidate's credential beats one about where they
# trained, which beats a rule for anyone.
SPECIFICITY_CREDENTIAL, SPECIFICITY_COUNTRY, SPECIFICITY_ANY = 3, 2, 1


class StepSpec(DataModel):
    kind: StepKind
    name: str = Field(min_length=1)
    duration_days: NonNegativeInt | Unknown
    fee: NonNegativeFloat | None = None
    currency: CurrencyCode | None = None
    required: bool = True
    when_modalities: tuple[Modality, ...] = ()
    source: SourceUrl | None = None
    as_of: date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _fee_with_currency(self) -> StepSpec:
        if (self.fee is None) != (self.currency is None):
            raise ValueError("fee and currency must be given together")
        return self


class RuleSpec(DataModel):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    origin_credentials: tuple[str, ...] = ()
    origin_countries: tuple[CountryCode, ...] = ()
    origin_any: bool = False
    origin_exclude: tuple[str, ...] = ()
    destination: JurisdictionCode
    occupations: tuple[Occupation, ...] = ()
    status: RuleStatus
    language: str | None = None
    citizenship: CountryCode | None = None
    min_years_experience: NonNegativeFloat | None = None
    pathway: str = Field(min_length=1)
    source: SourceUrl
    as_of: date
    note: str | None = None
    steps: tuple[StepSpec, ...] = ()

    @model_validator(mode="after")
    def _one_origin(self) -> RuleSpec:
        given = sum((bool(self.origin_credentials), bool(self.origin_countries), self.origin_any))
        if given != 1:
            raise ValueError("give exactly one of origin_credentials, origin_countries, origin_any")
        if self.status == "direct" and any(
            s.required and s.kind in _NOT_DIRECT for s in self.steps
        ):
            raise ValueError("a direct rule cannot require an exam or an education programme")
        return self


_NOT_DIRECT = frozenset({"exam", "education_programme", "supervised_practice"})


@dataclass(frozen=True)
class Step:
    """One step of a pathway; `duration_days` and `fee` are None where the sources say nothing."""

    kind: StepKind
    name: str
    duration_days: int | None
    fee: float | None
    currency: str | None
    required: bool
    source: str
    as_of: date
    when_modalities: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "duration_days": self.duration_days,
            "fee": self.fee,
            "currency": self.currency,
            "required": self.required,
            "source": self.source,
            "as_of": iso(self.as_of),
            "note": self.note,
        }


@dataclass(frozen=True)
class Rule:
    id: str
    destination: str
    occupations: frozenset[str]  # empty: every occupation
    status: RuleStatus
    pathway: str
    source: str
    as_of: date
    steps: tuple[Step, ...]
    origin_keys: frozenset[CredentialKey] = frozenset()
    origin_countries: frozenset[str] = frozenset()
    origin_any: bool = False
    language: str | None = None
    citizenship: str | None = None
    min_years_experience: float | None = None
    note: str | None = None
    home: bool = False

    @property
    def specificity(self) -> int:
        if self.origin_keys:
            return SPECIFICITY_CREDENTIAL
        return SPECIFICITY_COUNTRY if self.origin_countries else SPECIFICITY_ANY


def home_rule(entry: CatalogueEntry) -> Rule:
    """A licence or registration is accepted as it stands where it was issued."""
    return Rule(
        id=f"home:{entry.body}:{entry.code}",
        destination=entry.jurisdiction,
        occupations=frozenset(entry.occupations),
        status="direct",
        pathway=f"{entry.name}, held in its own jurisdiction",
        source=entry.source,
        as_of=entry.as_of,
        steps=(),
        origin_keys=frozenset({entry.key}),
        home=True,
    )


def _steps(spec: RuleSpec) -> tuple[Step, ...]:
    return tuple(
        Step(
            kind=step.kind,
            name=step.name,
            duration_days=None if step.duration_days == "unknown" else step.duration_days,
            fee=step.fee,
            currency=step.currency,
            required=step.required,
            source=step.source or spec.source,
            as_of=step.as_of or spec.as_of,
            when_modalities=tuple(m.value for m in step.when_modalities),
            note=step.note,
        )
        for step in spec.steps
    )


def _resolve_refs(
    refs: tuple[str, ...],
    groups: Mapping[str, tuple[str, ...]],
    catalogue: Catalogue,
    label: str,
    problems: list[str],
) -> frozenset[CredentialKey]:
    """Expand refs to catalogue keys. Group members are checked once, where the group is defined."""
    keys: set[CredentialKey] = set()
    for ref in refs:
        if ref.startswith("@"):
            if ref[1:] not in groups:
                problems.append(f"{label}: unknown group {ref!r}")
            for member in groups.get(ref[1:], ()):
                keys |= catalogue.resolve(member) or frozenset()
            continue
        resolved = catalogue.resolve(ref)
        if resolved is None:
            problems.append(f"{label}: credential {ref!r} is not in the catalogue")
        else:
            keys |= resolved
    return frozenset(keys)


def _groups(data: Mapping[str, Any], file: str, problems: list[str]) -> dict[str, tuple[str, ...]]:
    raw = data.get("groups", {})
    if not isinstance(raw, Mapping):
        problems.append(f"{file}: [groups] must be a table of name = [credential refs]")
        return {}
    groups: dict[str, tuple[str, ...]] = {}
    for name, members in raw.items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            problems.append(f"{file}: groups.{name} must be a list of 'BODY:CODE' strings")
        elif any(m.startswith("@") for m in members):
            problems.append(f"{file}: groups.{name}: groups cannot contain groups")
        else:
            groups[name] = tuple(members)
    return groups


def _cross_references(
    raw: Any,
    label: str,
    groups: Mapping[str, tuple[str, ...]],
    catalogue: Catalogue,
    language_ids: frozenset[str],
    problems: list[str],
) -> frozenset[CredentialKey]:
    """Check references on the raw entry, so they are reported even when its schema is broken."""
    if not isinstance(raw, Mapping):
        return frozenset()
    refs: dict[str, tuple[str, ...]] = {}
    for key in ("origin_credentials", "origin_exclude"):
        value = raw.get(key, [])
        refs[key] = tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
    language = raw.get("language")
    if isinstance(language, str) and language not in language_ids:
        problems.append(f"{label}: language regulator {language!r} not in language.toml")
    origin = _resolve_refs(refs["origin_credentials"], groups, catalogue, label, problems)
    origin -= _resolve_refs(refs["origin_exclude"], groups, catalogue, label, problems)
    if refs["origin_credentials"] and not origin:
        problems.append(f"{label}: origin_credentials match no catalogue credential")
    return origin


def parse_rules(
    data: Mapping[str, Any], *, file: str, catalogue: Catalogue, language_ids: frozenset[str]
) -> tuple[tuple[Rule, ...], list[str]]:
    """Validate every rule and its cross-references; return the valid rules and all problems."""
    problems = check_top_level(data, file=file, allowed=["rule", "groups"], required=["rule"])
    groups = _groups(data, file, problems)
    for name, members in groups.items():
        _resolve_refs(members, {}, catalogue, f"{file}: groups.{name}", problems)
    raw_rules = data.get("rule", [])
    specs, entry_problems = validate_entries(RuleSpec, raw_rules, file=file, table="rule", key="id")
    problems.extend(entry_problems)
    origins: dict[str, frozenset[CredentialKey]] = {}
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules if isinstance(raw_rules, list) else []):
        rule_id = raw.get("id") if isinstance(raw, Mapping) else None
        label = f"{file}: rule[{index}]" + (f" ({rule_id})" if rule_id else "")
        if isinstance(rule_id, str):
            if rule_id in seen:
                problems.append(f"{label}: duplicate id")
            seen.add(rule_id)
        origin = _cross_references(raw, label, groups, catalogue, language_ids, problems)
        if isinstance(rule_id, str):
            origins[rule_id] = origin
    rules = tuple(
        Rule(
            id=spec.id,
            destination=spec.destination,
            occupations=frozenset(o.value for o in spec.occupations),
            status=spec.status,
            pathway=spec.pathway,
            source=spec.source,
            as_of=spec.as_of,
            steps=_steps(spec),
            origin_keys=origins.get(spec.id, frozenset()),
            origin_countries=frozenset(spec.origin_countries),
            origin_any=spec.origin_any,
            language=spec.language,
            citizenship=spec.citizenship,
            min_years_experience=spec.min_years_experience,
            note=spec.note,
        )
        for spec in specs
    )
    return rules, problems
