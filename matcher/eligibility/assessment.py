"""Assess eligibility: one (candidate, requisition) pair, or many candidates for one requisition.

The best route (`matcher.eligibility.routes`) is the one with the best status, then the
shortest known lead time; the verdict then adds what depends on the requisition's dates (the
expiry warnings that name the start and end dates).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.context import Context
from matcher.eligibility.matching import catalogue_warnings
from matcher.eligibility.profile import (
    HeldCredential,
    Profile,
    ProfileKey,
    profile_from_key,
    profile_key,
)
from matcher.eligibility.routes import OUTCOME_PARTLY_KNOWN, Route, route_status, routes
from matcher.eligibility.statics import credential_states, skill_buckets, static_of
from matcher.eligibility.verdict import STATUS_ORDER, Eligibility
from matcher.rules.credentials import CredentialData, default_credential_data


def _credential_warnings(
    credentials: Sequence[HeldCredential], through: frozenset[tuple[str, str]], ctx: Context
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


def _finalise(route: Route, profile: Profile, ctx: Context) -> Eligibility:
    """The full verdict of `route` for this requisition's dates and this candidate's expiries."""
    status, lead = route_status(route, ctx)
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


def _no_rule(profile: Profile, ctx: Context, warnings: Sequence[str]) -> Eligibility:
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


def assess_profile(profile: Profile, ctx: Context, data: CredentialData) -> Eligibility:
    """The verdict for a profile: its best route with the requisition's dates applied."""
    found = routes(profile, ctx, data)
    if not found:
        return _no_rule(profile, ctx, catalogue_warnings(profile, data))

    def rank_of(route: Route) -> tuple[int, int]:
        status, lead = route_status(route, ctx)
        return STATUS_ORDER[status], lead if lead is not None else 1 << 30

    return _finalise(min(found, key=rank_of), profile, ctx)


def assess(
    candidate: CandidateRecord,
    requisition: RequisitionRecord,
    *,
    today: date,
    data: CredentialData | None = None,
) -> Eligibility:
    """Can `candidate` legally work in `requisition`'s jurisdiction by its start date?"""
    data = data or default_credential_data()
    ctx = Context.of(requisition, today)
    key = profile_key(candidate, requisition, ctx, data)
    return assess_profile(profile_from_key(key), ctx, data)


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
    ctx = Context.of(requisition, today)
    if not candidates:
        return []
    statics = [static_of(c, data) for c in candidates]
    rows = np.column_stack(
        [
            np.fromiter((s.signature_id for s in statics), dtype=np.int64, count=len(statics)),
            credential_states(statics, ctx),
            skill_buckets(statics, ctx, data),
        ]
    )
    _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    verdicts: dict[ProfileKey, Eligibility] = {}
    by_group: list[Eligibility] = []
    for index in first:
        key = profile_key(candidates[int(index)], requisition, ctx, data)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = assess_profile(profile_from_key(key), ctx, data)
        by_group.append(verdict)
    return [by_group[g] for g in inverse.reshape(-1).tolist()]
