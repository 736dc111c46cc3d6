"""The date-free facts of a candidate record, computed once per record, and the day numbers
that let NumPy group many candidates at once (`assess_many`, `EligibilityIndex`).

A candidate's verdict depends on dates only through which side of today, the start and the
contract end each expiry falls, and which validity windows each language test is past. So a
`Static` keeps everything else, with an id of it (`signature_id`), and the dates as day numbers:
candidates with equal ids and equal date codes for a requisition get equal verdicts.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.domain.records import CandidateRecord
from matcher.eligibility.context import Context
from matcher.rules.credentials import CredentialData


@dataclass(frozen=True)
class Static:
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


# Ids are never reused, not even after the caches are cleared: a request running across a clear
# (the API ranks in several threads) may hold statics from both sides of it, and two different
# signatures must never share an id within one grouping.
_SIGNATURE_IDS = itertools.count()


class StaticCache:
    """`Static`s per candidate record object and data set, with the signature ids they carry.

    Keyed by object identity; an entry holds the record and the data, so neither id can be
    reused while cached. A changed candidate is a new record object and gets a new entry.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[tuple[int, int], tuple[CandidateRecord, CredentialData, Static]] = {}
        self._signatures: dict[tuple[Any, ...], int] = {}

    def get(self, candidate: CandidateRecord, data: CredentialData) -> Static | None:
        hit = self._entries.get((id(candidate), id(data)))
        if hit is not None and hit[0] is candidate and hit[1] is data:
            return hit[2]
        return None

    def make_room(self) -> None:
        """Clear everything when full; call before taking a signature id for a new entry."""
        if len(self._entries) >= self.limit:
            self.clear()

    def signature_id(self, signature: tuple[Any, ...]) -> int:
        found = self._signatures.get(signature)
        if found is None:
            # Two threads may both assign one: that splits a group in two, which is still exact.
            found = self._signatures[signature] = next(_SIGNATURE_IDS)
        return found

    def put(self, candidate: CandidateRecord, data: CredentialData, static: Static) -> None:
        self._entries[(id(candidate), id(data))] = (candidate, data, static)

    def clear(self) -> None:
        # Signature ids are only meaningful together with the statics that carry them.
        self._entries.clear()
        self._signatures.clear()

    def __len__(self) -> int:
        return len(self._entries)


STATICS = StaticCache(limit=400_000)

# Day-number stand-ins: no expiry (always valid), no test, a test without a date, padding.
_NO_EXPIRY = 1 << 40
_NO_TEST, _UNDATED_TEST, _PAD = -1, -2, -3


def static_of(candidate: CandidateRecord, data: CredentialData) -> Static:
    hit = STATICS.get(candidate, data)
    if hit is not None:
        return hit
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
    STATICS.make_room()
    signature = (
        tuple((body, code) for body, code, _ in credentials),
        training,
        tuple((lang, cefr, scores, taken is None) for lang, cefr, scores, taken in skills),
        occupation,
        experience,
    )
    found = Static(
        credentials=credentials,
        training=training,
        skills=tuple(skills),
        occupation=occupation,
        experience=experience,
        signature_id=STATICS.signature_id(signature),
        credential_days=tuple(
            _NO_EXPIRY if until is None else until.toordinal() for _, _, until in credentials
        ),
        skill_days=tuple(
            _NO_TEST if scores is None else _UNDATED_TEST if taken is None else taken.toordinal()
            for _, _, scores, taken in skills
        ),
    )
    STATICS.put(candidate, data, found)
    return found


def _padded(columns: list[tuple[int, ...]]) -> npt.NDArray[np.int64]:
    width = max((len(c) for c in columns), default=0)
    return np.array([c + (_PAD,) * (width - len(c)) for c in columns], dtype=np.int64).reshape(
        len(columns), width
    )


def credential_states(statics: Sequence[Static], ctx: Context) -> npt.NDArray[np.int64]:
    """The credential state (`matcher.eligibility.profile.CredentialState`) of every credential
    as a code, column-aligned with `credentials`; -1 is padding."""
    days = _padded([s.credential_days for s in statics])
    states = np.zeros(days.shape, dtype=np.int64)  # valid
    if ctx.contract_end is not None:
        states[days < ctx.contract_end.toordinal()] = 3  # expires_before_end
    if ctx.start is not None:
        states[days < ctx.start.toordinal()] = 2  # expires_before_start
    states[days < ctx.today.toordinal()] = 1  # expired
    states[days == _PAD] = -1
    return states


def skill_buckets(
    statics: Sequence[Static], ctx: Context, data: CredentialData
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
