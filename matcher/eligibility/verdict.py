"""Eligibility of a candidate for a requisition: can they legally work there by the start date?

A rule from fixtures/credentials/equivalence.toml (or the home rule of a licence held) names the
pathway; the candidate's credentials, training country and language evidence decide which rule
applies and which steps remain. Nationality is not in the records, so where a law makes
citizenship a condition it is reported as a warning to verify, never scored.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.data_cache import DataCache
from matcher.rules.credentials import CredentialData, default_credential_data
from matcher.rules.credentials.catalogue import CatalogueEntry
from matcher.rules.credentials.language import LanguageEvidence, LanguageTestResult, check_language
from matcher.rules.credentials.rules import Rule, RuleStatus, Step
from matcher.rules.credentials.validation import covers, iso

EligibilityStatus = Literal[
    "eligible_now", "eligible_by_start", "eligible_after_start", "ineligible", "unknown"
]
STATUS_ORDER: dict[EligibilityStatus, int] = {
    "eligible_now": 0,
    "eligible_by_start": 1,
    "eligible_after_start": 2,
    "unknown": 3,
    "ineligible": 4,
}
# Status names by code; the codes are STATUS_ORDER's, so a smaller code is a better status.
STATUS_NAMES: tuple[EligibilityStatus, ...] = tuple(
    sorted(STATUS_ORDER, key=lambda s: STATUS_ORDER[s])
)


@dataclass(frozen=True)
class Eligibility:
    """The verdict for one (candidate, requisition) pair, with the pathway that produced it.

    `steps` are the remaining steps in order (optional ones have required=False and do not count
    towards `lead_time_days`). `lead_time_days` is None when any required step's duration is
    not in the sources, or when no route exists.
    """

    status: EligibilityStatus
    destination: str
    occupation: str | None
    rule_id: str | None
    pathway: str | None
    pathway_status: RuleStatus | None
    steps: tuple[Step, ...]
    lead_time_days: int | None
    earliest_start_date: date | None
    source: str | None
    as_of: date | None
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def gate_passed(self) -> bool:
        """True unless the hard gate hides this match by default (ineligible or unknown)."""
        return self.status not in ("ineligible", "unknown")

    @property
    def known_fees(self) -> dict[str, float]:
        """Sourced fees of the required steps, summed per currency; a lower bound of the cost."""
        totals: dict[str, float] = {}
        for step in self.steps:
            if step.required and step.fee is not None and step.currency is not None:
                totals[step.currency] = round(totals.get(step.currency, 0.0) + step.fee, 2)
        return totals

    @property
    def route_exists(self) -> bool:
        """A sourced direct or conditional pathway applies, even if its lead time is unknown."""
        return self.pathway_status in ("direct", "conditional") and self.status != "ineligible"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "destination": self.destination,
            "occupation": self.occupation,
            "rule_id": self.rule_id,
            "pathway": self.pathway,
            "pathway_status": self.pathway_status,
            "steps": [step.to_dict() for step in self.steps],
            "lead_time_days": self.lead_time_days,
            "known_fees": self.known_fees,
            "earliest_start_date": iso(self.earliest_start_date),
            "source": self.source,
            "as_of": iso(self.as_of),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "route_exists": self.route_exists,
        }


CredentialState = Literal["valid", "expired", "expires_before_start", "expires_before_end"]


@dataclass(frozen=True)
class _HeldCredential:
    body: str
    code: str
    state: CredentialState


@dataclass(frozen=True)
class _Profile:
    """Everything `assess` reads from a candidate; equal profiles get equal verdicts."""

    credentials: tuple[_HeldCredential, ...]
    training_countries: frozenset[str]
    languages: tuple[LanguageEvidence, ...]
    occupation: str | None
    meets_experience: tuple[bool, ...]


@dataclass(frozen=True)
class _Context:
    """Everything `assess` reads from a requisition, plus the date of assessment."""

    region: str | None
    country: str
    start: date | None
    contract_end: date | None
    modalities: frozenset[str]
    today: date


def _credential_state(valid_until: date | None, ctx: _Context) -> CredentialState:
    if valid_until is None:
        return "valid"
    if valid_until < ctx.today:
        return "expired"
    if ctx.start is not None and valid_until < ctx.start:
        return "expires_before_start"
    if ctx.contract_end is not None and valid_until < ctx.contract_end:
        return "expires_before_end"
    return "valid"


_TestKey = tuple[
    str, float | None, float | None, float | None, float | None, float | None, date | None
]
_EvidenceKey = tuple[str, str | None, _TestKey | None]
_Key = tuple[
    tuple[tuple[str, str, CredentialState], ...],
    frozenset[str],
    tuple[_EvidenceKey, ...],
    str | None,
    tuple[bool, ...],
]


@dataclass(frozen=True)
class _Static:
    """The date-free part of a candidate's key, computed once per candidate record."""

    credentials: tuple[tuple[str, str, date | None], ...]
    training: frozenset[str]
    # (language, cefr if a regulator reads it, test scores, taken_on) for evidence some
    # regulator reads; the test date is bucketed per request, by `today`.
    skills: tuple[tuple[str, str | None, tuple[Any, ...] | None, date | None], ...]
    occupation: str | None
    experience: tuple[bool, ...]
    # For grouping many candidates at once (assess_many): an id of everything above except
    # dates, and the dates as day numbers aligned with `credentials` and `skills`.
    signature_id: int = 0
    credential_days: tuple[int, ...] = ()
    skill_days: tuple[int, ...] = ()


_STATIC_CACHE: dict[tuple[int, int], tuple[CandidateRecord, CredentialData, _Static]] = {}
_SIGNATURES: dict[tuple[Any, ...], int] = {}
# Ids are never reused, not even after the caches are cleared: a request running across a clear
# (the API ranks in several threads) may hold statics from both sides of it, and two different
# signatures must never share an id within one grouping.
_SIGNATURE_IDS = itertools.count()
_STATIC_CACHE_LIMIT = 400_000
# Day-number stand-ins: no expiry (always valid), no test, a test without a date, padding.
_NO_EXPIRY = 1 << 40
_NO_TEST, _UNDATED_TEST, _PAD = -1, -2, -3


def _signature_id(signature: tuple[Any, ...]) -> int:
    found = _SIGNATURES.get(signature)
    if found is None:
        # Two threads may both assign one: that splits a group in two, which is still exact.
        found = _SIGNATURES[signature] = next(_SIGNATURE_IDS)
    return found


def _static(candidate: CandidateRecord, data: CredentialData) -> _Static:
    # Keyed by object identity; the entry holds the record and the data, so neither id can be
    # reused while cached. A changed candidate is a new record object and gets a new entry.
    key = (id(candidate), id(data))
    hit = _STATIC_CACHE.get(key)
    if hit is not None and hit[0] is candidate and hit[1] is data:
        return hit[2]
    training = frozenset(e.country for e in candidate.education if e.country is not None)
    if not training:  # no education country given: where the credentials were issued
        training = frozenset(c.jurisdiction[:2] for c in candidate.credentials)
    skills: list[tuple[str, str | None, tuple[Any, ...] | None, date | None]] = []
    for skill in candidate.languages:
        if skill.language not in data.language_codes:
            continue
        cefr = skill.cefr.value if skill.cefr and skill.language in data.cefr_languages else None
        test = skill.test
        if test is None:
            if cefr is not None:
                skills.append((skill.language, cefr, None, None))
            continue
        scores = (test.name.value, test.overall, test.listening, test.reading, test.writing,
                  test.speaking)  # fmt: skip
        skills.append((skill.language, cefr, scores, test.taken_on))
    credentials = tuple((c.body, c.credential, c.valid_until) for c in candidate.credentials)
    occupation = candidate.occupation.value if candidate.occupation else None
    experience = tuple(candidate.years_experience >= t for t in data.experience_thresholds)
    if len(_STATIC_CACHE) >= _STATIC_CACHE_LIMIT:
        # Signature ids are only meaningful together with the statics that carry them.
        _STATIC_CACHE.clear()
        _SIGNATURES.clear()
    signature = (
        tuple((body, code) for body, code, _ in credentials),
        training,
        tuple((lang, cefr, scores, taken is None) for lang, cefr, scores, taken in skills),
        occupation,
        experience,
    )
    static = _Static(
        credentials=credentials,
        training=training,
        skills=tuple(skills),
        occupation=occupation,
        experience=experience,
        signature_id=_signature_id(signature),
        credential_days=tuple(
            _NO_EXPIRY if until is None else until.toordinal() for _, _, until in credentials
        ),
        skill_days=tuple(
            _NO_TEST if scores is None else _UNDATED_TEST if taken is None else taken.toordinal()
            for _, _, scores, taken in skills
        ),
    )
    _STATIC_CACHE[key] = (candidate, data, static)
    return static


def _key(
    candidate: CandidateRecord, requisition: RequisitionRecord, ctx: _Context, data: CredentialData
) -> _Key:
    """Everything the verdict depends on, as plain values: equal keys get equal verdicts."""
    static = _static(candidate, data)
    held = sorted(
        {(body, code, _credential_state(until, ctx)) for body, code, until in static.credentials}
    )
    evidence: list[_EvidenceKey] = []
    for language, cefr, scores, taken in static.skills:
        if scores is None:
            evidence.append((language, cefr, None))
            continue
        if taken is not None:
            # Only which windows the result is stale for matters: map the date to the latest
            # date with the same staleness (today when fresh for all of them).
            stale_for = [
                w for w in data.language_validity_days if taken + timedelta(days=w) < ctx.today
            ]
            taken = ctx.today - timedelta(days=stale_for[-1] + 1) if stale_for else ctx.today
        evidence.append((language, cefr, (*scores, taken)))
    occupation = requisition.occupation.value if requisition.occupation else static.occupation
    return (tuple(held), static.training, tuple(evidence), occupation, static.experience)


def _profile_from_key(key: _Key) -> _Profile:
    held, training, evidence, occupation, experience = key
    return _Profile(
        credentials=tuple(_HeldCredential(*h) for h in held),
        training_countries=training,
        languages=tuple(
            LanguageEvidence(lang, cefr, None if test is None else LanguageTestResult(*test))
            for lang, cefr, test in evidence
        ),
        occupation=occupation,
        meets_experience=experience,
    )


def _raw_profile(
    candidate: CandidateRecord, requisition: RequisitionRecord, ctx: _Context, data: CredentialData
) -> _Profile:
    """The profile with every language skill and date kept: the oracle for the grouping key."""
    grouped = _profile_from_key(_key(candidate, requisition, ctx, data))
    return replace(
        grouped, languages=tuple(LanguageEvidence.of(skill) for skill in candidate.languages)
    )


def _context(requisition: RequisitionRecord, today: date) -> _Context:
    start = requisition.start_date
    end = None
    if start is not None and requisition.duration_weeks is not None:
        end = start + timedelta(weeks=requisition.duration_weeks)
    facility = requisition.facility
    region = facility.region if facility.region and facility.region != facility.country else None
    return _Context(
        region=region,
        country=facility.country,
        start=start,
        contract_end=end,
        modalities=frozenset(m.value for m in requisition.required_modalities),
        today=today,
    )


def _occupations_in_question(profile: _Profile, data: CredentialData) -> frozenset[str]:
    """The requisition's (or candidate's) occupation; when neither says, what the candidate's
    credentials cover. Empty when nothing is known: then every rule's occupations are in scope."""
    if profile.occupation is not None:
        return frozenset({profile.occupation})
    covered: set[str] = set()
    for held in profile.credentials:
        entry = data.catalogue.get(held.body, held.code)
        if entry is not None:
            covered.update(entry.occupations)
    return frozenset(covered)


def _matched(
    rule: Rule, profile: _Profile, wanted: frozenset[str], data: CredentialData
) -> tuple[tuple[_HeldCredential, CatalogueEntry], ...] | None:
    """The credentials through which `rule` applies to this profile; None if it does not."""
    scope = rule.occupations & wanted if rule.occupations and wanted else rule.occupations or wanted
    if not scope and rule.occupations and wanted:
        return None  # the rule is about other occupations
    if rule.origin_any:
        return ()
    if rule.origin_countries:
        origins = profile.training_countries & rule.origin_countries
        return () if origins - {rule.destination[:2]} else None
    found = []
    for held in profile.credentials:
        entry = data.catalogue.get(held.body, held.code)
        if entry is None or entry.key not in rule.origin_keys:
            continue
        if scope and scope.isdisjoint(entry.occupations):
            continue  # the credential is not about the occupation in question
        # A licence valid at the destination is handled by its home rule, not as a foreign one.
        if not rule.home and entry.licensing and covers(entry.jurisdiction, rule.destination):
            continue
        found.append((held, entry))
    return tuple(found) or None


# Which rules apply, and through which credentials, depends on the credentials' (body, code),
# the training countries and the occupations in question, never on dates. Remembering it per
# data set makes a verdict cost a few dictionary look-ups once a profile's shape has been seen,
# across requisitions and requests alike (rule matching was most of the cost of assess_many).
_MatchShape = tuple[tuple[int, frozenset[tuple[str, str]]], ...]
_MATCH_CACHE: DataCache[_MatchShape] = DataCache()
_MATCH_CACHE_LIMIT = 200_000


def _matches_at(
    level: str, profile: _Profile, wanted: frozenset[str], data: CredentialData
) -> list[tuple[Rule, tuple[tuple[_HeldCredential, CatalogueEntry], ...]]]:
    """`[(rule, _matched(rule, ...)) for applicable rules at level]`, with the shape cached."""
    pairs = tuple(sorted({(h.body, h.code) for h in profile.credentials}))
    key = (level, pairs, profile.training_countries, wanted)
    shape = _MATCH_CACHE.get(data, key)
    rules = data.by_destination.get(level, ())
    if shape is None:
        computed = []
        for index, rule in enumerate(rules):
            found = _matched(rule, profile, wanted, data)
            if found is not None:
                computed.append((index, frozenset((h.body, h.code) for h, _ in found)))
        shape = tuple(computed)
        _MATCH_CACHE.put(data, key, shape, limit=_MATCH_CACHE_LIMIT)
    out = []
    for index, matched_pairs in shape:
        found = tuple(
            (h, entry)
            for h in profile.credentials
            if (h.body, h.code) in matched_pairs
            and (entry := data.catalogue.get(h.body, h.code)) is not None
        )
        out.append((rules[index], found))
    return out


def _renew_steps(
    matched: Sequence[tuple[_HeldCredential, CatalogueEntry]], rule: Rule
) -> list[Step]:
    """A home rule through an expired licence needs the licence renewed first."""
    if not rule.home:
        return []
    return [
        Step(
            kind="registration",
            name=f"Renew {held.body} {held.code} (expired)",
            duration_days=None,
            fee=None,
            currency=None,
            required=True,
            source=entry.source,
            as_of=entry.as_of,
        )
        for held, entry in matched
        if held.state == "expired"
    ]


def _credential_warnings(
    credentials: Sequence[_HeldCredential], through: frozenset[tuple[str, str]], ctx: _Context
) -> list[str]:
    """Expiry warnings for the credentials a route goes through, in the profile's order."""
    warnings: list[str] = []
    for held in credentials:
        if (held.body, held.code) not in through:
            continue
        label = f"{held.body} {held.code}"
        if held.state == "expired":
            warnings.append(f"{label} has expired (valid_until before {ctx.today.isoformat()})")
        elif held.state == "expires_before_start" and ctx.start is not None:
            warnings.append(f"{label} expires before the start date {ctx.start.isoformat()}")
        elif held.state == "expires_before_end" and ctx.contract_end is not None:
            warnings.append(
                f"{label} expires before the contract ends on {ctx.contract_end.isoformat()}"
            )
    return warnings


_LanguageStep = tuple[tuple[str, ...], tuple[str, ...], tuple[Step, ...]]
# Per (data, regulator, language evidence, training countries, today): candidates with
# different credentials often share their language evidence, and the check is the dearest part
# of a route.
_LANGUAGE_CACHE: DataCache[_LanguageStep] = DataCache()
_LANGUAGE_CACHE_LIMIT = 200_000


def _language_step(
    rule: Rule, profile: _Profile, data: CredentialData, ctx: _Context
) -> _LanguageStep:
    """(warnings, notes, steps) of the rule's language requirement for this profile."""
    if rule.language is None:
        return (), (), ()
    key = (rule.language, profile.languages, profile.training_countries, ctx.today)
    hit = _LANGUAGE_CACHE.get(data, key)
    if hit is not None:
        return hit
    regulator = data.language.regulators[rule.language]
    check = check_language(
        regulator,
        skills=profile.languages,
        training_countries=profile.training_countries,
        instruction=data.language.instruction,
        today=ctx.today,
    )
    found: _LanguageStep
    if check.met:
        found = (), (f"{regulator.id} language requirement met: {check.via}",), ()
    else:
        step = Step(
            kind="language_test",
            name=f"{regulator.id} language requirement: {regulator.describe()}",
            duration_days=None,
            fee=None,
            currency=None,
            required=True,
            source=regulator.source,
            as_of=regulator.as_of,
            note=regulator.note,
        )
        found = tuple(check.warnings), (), (step,)
    _LANGUAGE_CACHE.put(data, key, found, limit=_LANGUAGE_CACHE_LIMIT)
    return found


# How a route's status follows from the start date (`_status`), as codes the vectorised gate
# (matcher/eligibility/index.py) evaluates for many candidates at once.
OUTCOME_FIXED, OUTCOME_KNOWN_LEAD, OUTCOME_PARTLY_KNOWN = 0, 1, 2


@dataclass(frozen=True)
class _Route:
    """One applicable rule's verdict before the requisition's dates are applied.

    Everything here depends on the candidate, the destination, the required modalities and
    today, never on the start or end date, so one route serves every requisition with the same
    destination. `_status` and `_finalise` apply the dates.
    """

    rule: Rule
    through: frozenset[tuple[str, str]]  # (body, code) of the credentials the rule applies via
    steps: tuple[Step, ...]
    catalogue_warnings: tuple[str, ...]  # before the credential warnings
    later_warnings: tuple[str, ...]  # language, citizenship, experience: after them
    notes: tuple[str, ...]
    blocked: bool  # not recognised, short of experience, or an education programme required
    known_days: int  # sum of the required steps' known durations
    unknown_steps: tuple[str, ...]  # required steps without a duration in the sources

    @property
    def outcome(self) -> tuple[int, int]:
        """(kind, value) for the vectorised gate: a fixed STATUS_ORDER, or the known days."""
        if self.blocked:
            return OUTCOME_FIXED, STATUS_ORDER["ineligible"]
        if self.rule.status == "unknown":
            return OUTCOME_FIXED, STATUS_ORDER["unknown"]
        if not self.unknown_steps:
            return OUTCOME_KNOWN_LEAD, self.known_days
        return OUTCOME_PARTLY_KNOWN, self.known_days


def _route(
    rule: Rule,
    matched: Sequence[tuple[_HeldCredential, CatalogueEntry]],
    profile: _Profile,
    data: CredentialData,
    ctx: _Context,
    catalogue_warnings: Sequence[str],
) -> _Route:
    later: list[str] = []
    notes = [rule.note] if rule.note else []
    steps = [
        *_renew_steps(matched, rule),
        *(
            s
            for s in rule.steps
            if not s.when_modalities or ctx.modalities & set(s.when_modalities)
        ),
    ]
    language_warnings, language_notes, language_steps = _language_step(rule, profile, data, ctx)
    later += language_warnings
    notes += language_notes
    steps += language_steps
    if rule.citizenship is not None:
        later.append(
            f"requires {rule.citizenship} citizenship ({rule.source}); the records carry no "
            "nationality: verify before relying on this pathway"
        )
    short_of_experience = False
    if rule.min_years_experience is not None:
        index = data.experience_thresholds.index(rule.min_years_experience)
        if not profile.meets_experience[index]:
            short_of_experience = True
            later.append(
                f"{rule.id} needs at least {rule.min_years_experience:g} years' experience"
            )
    required = [s for s in steps if s.required]
    return _Route(
        rule=rule,
        through=frozenset((held.body, held.code) for held, _ in matched),
        steps=tuple(steps),
        catalogue_warnings=tuple(catalogue_warnings),
        later_warnings=tuple(later),
        notes=tuple(notes),
        blocked=(
            rule.status == "not_recognised"
            or short_of_experience
            or any(s.kind == "education_programme" for s in required)
        ),
        known_days=sum(s.duration_days or 0 for s in required),
        unknown_steps=tuple(s.name for s in required if s.duration_days is None),
    )


def _status(route: _Route, ctx: _Context) -> tuple[EligibilityStatus, int | None]:
    """The route's status and lead time for this start date (no start date: as soon as
    possible, so the job starts today). `EligibilityIndex` vectorises exactly this."""
    kind, value = route.outcome
    if kind == OUTCOME_FIXED:
        return STATUS_NAMES[value], None
    start = ctx.start or ctx.today
    overruns = ctx.today + timedelta(days=value) > start
    if kind == OUTCOME_KNOWN_LEAD:
        if value == 0:
            return "eligible_now", 0
        return ("eligible_after_start" if overruns else "eligible_by_start"), value
    # Partly known: the known steps alone may already overrun the start.
    return ("eligible_after_start" if overruns else "unknown"), None


def _finalise(route: _Route, profile: _Profile, ctx: _Context) -> Eligibility:
    """The full verdict of `route` for this requisition's dates and this candidate's expiries."""
    status, lead = _status(route, ctx)
    warnings = [
        *route.catalogue_warnings,
        *_credential_warnings(profile.credentials, route.through, ctx),
        *route.later_warnings,
    ]
    if route.outcome[0] == OUTCOME_PARTLY_KNOWN:
        if status == "eligible_after_start":
            warnings.append(
                f"lead time partly unknown; the known steps alone take {route.known_days} days"
            )
        else:
            warnings.append(
                "lead time unknown: no duration in the sources for: "
                + "; ".join(route.unknown_steps)
            )
    rule = route.rule
    return Eligibility(
        status=status,
        destination=rule.destination,
        occupation=profile.occupation,
        rule_id=rule.id,
        pathway=rule.pathway,
        pathway_status=rule.status,
        steps=route.steps,
        lead_time_days=lead,
        earliest_start_date=None if lead is None else ctx.today + timedelta(days=lead),
        source=rule.source,
        as_of=rule.as_of,
        warnings=tuple(warnings),
        notes=route.notes,
    )


def _no_rule(profile: _Profile, ctx: _Context, warnings: Sequence[str]) -> Eligibility:
    held = ", ".join(f"{h.body}:{h.code}" for h in profile.credentials) or "no credentials"
    trained = ", ".join(sorted(profile.training_countries)) or "unknown country"
    where = " or ".join(x for x in (ctx.region, ctx.country) if x)
    return Eligibility(
        status="unknown",
        destination=ctx.region or ctx.country,
        occupation=profile.occupation,
        rule_id=None,
        pathway=None,
        pathway_status=None,
        steps=(),
        lead_time_days=None,
        earliest_start_date=None,
        source=None,
        as_of=None,
        warnings=(
            *warnings,
            f"no equivalence rule from {held} (trained in {trained}) to {where}"
            + (f" for {profile.occupation}" if profile.occupation else ""),
        ),
    )


def _catalogue_warnings(profile: _Profile, data: CredentialData) -> list[str]:
    return [
        f"credential {h.body}:{h.code} is not in the catalogue"
        for h in profile.credentials
        if data.catalogue.get(h.body, h.code) is None
    ]


def _compute_routes(profile: _Profile, ctx: _Context, data: CredentialData) -> tuple[_Route, ...]:
    """The routes of the most specific applicable rules; empty when no rule applies."""
    warnings = _catalogue_warnings(profile, data)
    wanted = _occupations_in_question(profile, data)
    # The region's rules when one applies to this candidate, else the country's.
    for level in (ctx.region, ctx.country):
        if level is None:
            continue
        matches = _matches_at(level, profile, wanted, data)
        if matches:
            break
    else:
        return ()
    tier = max(rule.specificity for rule, _ in matches)
    return tuple(
        _route(rule, found, profile, data, ctx, warnings)
        for rule, found in matches
        if rule.specificity == tier
    )


# Routes per (date-free profile, destination, relevant modalities, today), per data set: a
# verdict then costs its date arithmetic only, across requisitions and requests alike.
_ROUTE_CACHE: DataCache[tuple[_Route, ...]] = DataCache()
# ~1.5 KB an entry (measured with tracemalloc): at most ~220 MB. The index remembers outcomes
# per input separately, so a clear costs only the full verdicts of shown candidates.
_ROUTE_CACHE_LIMIT = 150_000


def _date_free(profile: _Profile) -> _Profile:
    """The profile as routes see it: a credential is expired or not (start and end dates only
    add warnings, which `_finalise` writes)."""
    collapsed = {
        _HeldCredential(h.body, h.code, "expired" if h.state == "expired" else "valid")
        for h in profile.credentials
    }
    ordered = sorted(collapsed, key=lambda h: (h.body, h.code, h.state))
    return replace(profile, credentials=tuple(ordered))


def _destination_key(ctx: _Context, data: CredentialData) -> tuple[Any, ...]:
    """What a route reads from a requisition: place, the modalities some step names, today."""
    return (ctx.region, ctx.country, ctx.modalities & data.step_modalities, ctx.today)


def _routes(profile: _Profile, ctx: _Context, data: CredentialData) -> tuple[_Route, ...]:
    return _routes_of_date_free(_date_free(profile), ctx, data)


def _routes_of_date_free(
    date_free: _Profile, ctx: _Context, data: CredentialData
) -> tuple[_Route, ...]:
    """`_routes` of a profile whose credentials are only valid or expired (as `_key` gives
    with an undated context), cached."""
    key = (date_free, _destination_key(ctx, data))
    routes = _ROUTE_CACHE.get(data, key)
    if routes is None:
        routes = _compute_routes(date_free, _undated(ctx), data)
        _ROUTE_CACHE.put(data, key, routes, limit=_ROUTE_CACHE_LIMIT)
    return routes


def _undated(ctx: _Context) -> _Context:
    """The context without start and end dates: expiry then only tells expired or not."""
    return replace(ctx, start=None, contract_end=None)


def _assess_profile(profile: _Profile, ctx: _Context, data: CredentialData) -> Eligibility:
    routes = _routes(profile, ctx, data)
    if not routes:
        return _no_rule(profile, ctx, _catalogue_warnings(profile, data))

    def rank_of(route: _Route) -> tuple[int, int]:
        status, lead = _status(route, ctx)
        return STATUS_ORDER[status], lead if lead is not None else 1 << 30

    return _finalise(min(routes, key=rank_of), profile, ctx)


def clear_caches() -> None:
    """Forget every remembered verdict part (a worker releasing memory after a batch).

    The eligibility index's outcomes per input are cleared by
    `matcher.eligibility.index.clear_input_outcomes`."""
    for cache in (_STATIC_CACHE, _SIGNATURES, _MATCH_CACHE, _LANGUAGE_CACHE, _ROUTE_CACHE):
        cache.clear()


def assess(
    candidate: CandidateRecord,
    requisition: RequisitionRecord,
    *,
    today: date,
    data: CredentialData | None = None,
) -> Eligibility:
    """Can `candidate` legally work in `requisition`'s jurisdiction by its start date?"""
    data = data or default_credential_data()
    ctx = _context(requisition, today)
    return _assess_profile(_profile_from_key(_key(candidate, requisition, ctx, data)), ctx, data)


def assess_many(
    candidates: Sequence[CandidateRecord],
    requisition: RequisitionRecord,
    *,
    today: date,
    data: CredentialData | None = None,
) -> list[Eligibility]:
    """`[assess(c, requisition, today=today) for c in candidates]`, computed once per group.

    Candidates with the same credentials, training countries and language evidence share one
    verdict, so the cost follows the number of distinct groups, not of candidates. Groups are
    found with NumPy over day numbers: each candidate's date-free facts are computed once per
    record, and only which side of today, the start and the contract end each expiry falls
    (and which validity windows each test date is past) is worked out per requisition.
    """
    data = data or default_credential_data()
    ctx = _context(requisition, today)
    if not candidates:
        return []
    statics = [_static(c, data) for c in candidates]
    rows = np.column_stack(
        [
            np.fromiter((s.signature_id for s in statics), dtype=np.int64, count=len(statics)),
            _credential_states(statics, ctx),
            _skill_buckets(statics, ctx, data),
        ]
    )
    _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    verdicts: dict[_Key, Eligibility] = {}
    by_group: list[Eligibility] = []
    for index in first:
        key = _key(candidates[int(index)], requisition, ctx, data)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = _assess_profile(_profile_from_key(key), ctx, data)
        by_group.append(verdict)
    return [by_group[g] for g in inverse.reshape(-1).tolist()]


def _padded(columns: list[tuple[int, ...]]) -> npt.NDArray[np.int64]:
    width = max((len(c) for c in columns), default=0)
    return np.array([c + (_PAD,) * (width - len(c)) for c in columns], dtype=np.int64).reshape(
        len(columns), width
    )


def _credential_states(statics: Sequence[_Static], ctx: _Context) -> npt.NDArray[np.int64]:
    """`_credential_state` of every credential as a code, column-aligned with `credentials`."""
    days = _padded([s.credential_days for s in statics])
    states = np.zeros(days.shape, dtype=np.int64)  # valid
    if ctx.contract_end is not None:
        states[days < ctx.contract_end.toordinal()] = 3  # expires_before_end
    if ctx.start is not None:
        states[days < ctx.start.toordinal()] = 2  # expires_before_start
    states[days < ctx.today.toordinal()] = 1  # expired
    states[days == _PAD] = -1
    return states


def _skill_buckets(
    statics: Sequence[_Static], ctx: _Context, data: CredentialData
) -> npt.NDArray[np.int64]:
    """For each dated test, how many validity windows it is past; other codes kept as they are."""
    days = _padded([s.skill_days for s in statics])
    buckets = days.copy()
    dated = days >= 0
    count = np.zeros(days.shape, dtype=np.int64)
    for window in data.language_validity_days:
        count += days < ctx.today.toordinal() - window  # taken + window < today
    buckets[dated] = count[dated]
    return buckets
