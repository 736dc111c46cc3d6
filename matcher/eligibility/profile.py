"""A candidate as a verdict reads them (`Profile`), and the plain-value key it is built from.

Equal keys get equal verdicts: the key keeps each credential's expiry state for the requisition's
dates (not the dates), the training countries, the language evidence some regulator reads (a
test date only through which validity windows it is stale for), the occupation in question and
which experience thresholds are met.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.context import Context
from matcher.eligibility.statics import static_of
from matcher.rules.credentials import CredentialData
from matcher.rules.credentials.language import LanguageEvidence, LanguageTestResult

CredentialState = Literal["valid", "expired", "expires_before_start", "expires_before_end"]


@dataclass(frozen=True)
class HeldCredential:
    body: str
    code: str
    state: CredentialState


@dataclass(frozen=True)
class Profile:
    """Everything `assess` reads from a candidate; equal profiles get equal verdicts."""

    credentials: tuple[HeldCredential, ...]
    training_countries: frozenset[str]
    languages: tuple[LanguageEvidence, ...]
    occupation: str | None
    meets_experience: tuple[bool, ...]

    def date_free(self) -> Profile:
        """The profile as routes see it: a credential is expired or not (start and end dates
        only add warnings, which the verdict writes)."""
        collapsed = {
            HeldCredential(h.body, h.code, "expired" if h.state == "expired" else "valid")
            for h in self.credentials
        }
        ordered = sorted(collapsed, key=lambda h: (h.body, h.code, h.state))
        return replace(self, credentials=tuple(ordered))


def _credential_state(valid_until: date | None, ctx: Context) -> CredentialState:
    if valid_until is None:
        return "valid"
    if valid_until < ctx.today:
        return "expired"
    if ctx.start is not None and valid_until < ctx.start:
        return "expires_before_start"
    if ctx.contract_end is not None and valid_until < ctx.contract_end:
        return "expires_before_end"
    return "valid"


TestKey = tuple[
    str, float | None, float | None, float | None, float | None, float | None, date | None
]
EvidenceKey = tuple[str, str | None, TestKey | None]
ProfileKey = tuple[
    tuple[tuple[str, str, CredentialState], ...],
    frozenset[str],
    tuple[EvidenceKey, ...],
    str | None,
    tuple[bool, ...],
]


def profile_key(
    candidate: CandidateRecord, requisition: RequisitionRecord, ctx: Context, data: CredentialData
) -> ProfileKey:
    """Everything the verdict depends on, as plain values: equal keys get equal verdicts."""
    facts = static_of(candidate, data)
    held = sorted(
        {(body, code, _credential_state(until, ctx)) for body, code, until in facts.credentials}
    )
    evidence: list[EvidenceKey] = []
    for language, cefr, scores, taken in facts.skills:
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
    occupation = requisition.occupation.value if requisition.occupation else facts.occupation
    return (tuple(held), facts.training, tuple(evidence), occupation, facts.experience)


def profile_from_key(key: ProfileKey) -> Profile:
    held, training, evidence, occupation, experience = key
    return Profile(
        credentials=tuple(HeldCredential(*h) for h in held),
        training_countries=training,
        languages=tuple(
            LanguageEvidence(lang, cefr, None if test is None else LanguageTestResult(*test))
            for lang, cefr, test in evidence
        ),
        occupation=occupation,
        meets_experience=experience,
    )


def raw_profile(
    candidate: CandidateRecord, requisition: RequisitionRecord, ctx: Context, data: CredentialData
) -> Profile:
    """The profile with every language skill and date kept: the oracle for the grouping key."""
    grouped = profile_from_key(profile_key(candidate, requisition, ctx, data))
    return replace(
        grouped, languages=tuple(LanguageEvidence.of(skill) for skill in candidate.languages)
    )
