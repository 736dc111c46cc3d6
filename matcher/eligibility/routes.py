"""Routes: what each applicable rule asks of a candidate before the requisition's dates apply.

A route (its steps, the warnings that do not depend on dates, whether it is blocked) depends on
the candidate, the destination, the modalities some step is conditional on, and today, never on
the start or end date, so one route serves every requisition with the same destination and is
cached per (date-free profile, destination) in `ROUTES`. `route_status` applies a start date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from matcher.eligibility.context import Context
from matcher.eligibility.data_cache import DataCache
from matcher.eligibility.language_step import language_step
from matcher.eligibility.matching import Through, catalogue_warnings, most_specific_rules
from matcher.eligibility.profile import Profile
from matcher.eligibility.verdict import STATUS_NAMES, STATUS_ORDER, EligibilityStatus
from matcher.rules.credentials import CredentialData
from matcher.rules.credentials.rules import Rule, Step

# How a route's status follows from the start date (`route_status`), as codes the vectorised
# gate (matcher/eligibility/index.py) evaluates for many candidates at once.
OUTCOME_FIXED, OUTCOME_KNOWN_LEAD, OUTCOME_PARTLY_KNOWN = 0, 1, 2


@dataclass(frozen=True)
class Route:
    """One applicable rule's verdict before the requisition's dates are applied.

    Everything here depends on the candidate, the destination, the required modalities and
    today, never on the start or end date, so one route serves every requisition with the same
    destination. `route_status` and the verdict (`matcher.eligibility.assessment`) apply the
    dates.
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


def route_status(route: Route, ctx: Context) -> tuple[EligibilityStatus, int | None]:
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


def _renew_steps(matched: Through, rule: Rule) -> list[Step]:
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


def _route(
    rule: Rule,
    matched: Through,
    profile: Profile,
    data: CredentialData,
    ctx: Context,
    warnings: Sequence[str],
) -> Route:
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
    language_warnings, language_notes, language_steps = language_step(rule, profile, data, ctx)
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
    return Route(
        rule=rule,
        through=frozenset((held.body, held.code) for held, _ in matched),
        steps=tuple(steps),
        catalogue_warnings=tuple(warnings),
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


def _compute_routes(profile: Profile, ctx: Context, data: CredentialData) -> tuple[Route, ...]:
    """The routes of the most specific applicable rules; empty when no rule applies."""
    warnings = catalogue_warnings(profile, data)
    return tuple(
        _route(rule, found, profile, data, ctx, warnings)
        for rule, found in most_specific_rules(profile, ctx, data)
    )


# Routes per (date-free profile, destination, relevant modalities, today), per data set: a
# verdict then costs its date arithmetic only, across requisitions and requests alike.
# ~1.5 KB an entry (measured with tracemalloc): at most ~220 MB. The index remembers outcomes
# per input separately, so a clear costs only the full verdicts of shown candidates.
ROUTES: DataCache[tuple[Route, ...]] = DataCache(limit=150_000)


def destination_key(ctx: Context, data: CredentialData) -> tuple[Any, ...]:
    """What a route reads from a requisition: place, the modalities some step names, today."""
    return (ctx.region, ctx.country, ctx.modalities & data.step_modalities, ctx.today)


def routes(profile: Profile, ctx: Context, data: CredentialData) -> tuple[Route, ...]:
    return routes_of_date_free(profile.date_free(), ctx, data)


def routes_of_date_free(
    date_free: Profile, ctx: Context, data: CredentialData
) -> tuple[Route, ...]:
    """`routes` of a profile whose credentials are only valid or expired (as `profile_key`
    gives with an undated context), cached."""
    key = (date_free, destination_key(ctx, data))
    found = ROUTES.get(data, key)
    if found is None:
        found = _compute_routes(date_free, ctx.undated(), data)
        ROUTES.put(data, key, found)
    return found
