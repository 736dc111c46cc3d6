"""Seeded placement outcomes for synthetic data, from a hidden utility the learner never sees.

Agencies submit candidates of the requisition's occupation (and a few others); each submitted
pair gets a utility built from the raw records with thresholds (a missing required modality,
a language level below the bar), interactions (a travel contract matters only to those who
want travel work; relocation matters only to those living abroad) and noise, including factors
no ranking feature sees (visa sponsorship). Stages follow from the utility. This module reads
records only: it imports nothing from scoring/, matcher.engine or matcher.jobs, and they
import nothing from it (tests/engine/test_protected.py checks both).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matcher.domain.codes import CEFR_ORDER, Stage
from matcher.domain.records import CandidateRecord, OutcomeRecord, RequisitionRecord
from matcher.rules.titles.occupations import with_derived_occupation


@dataclass(frozen=True)
class _Hidden:
    """The generator's private parameters: nothing outside this module may read them."""

    missing_modality: float = -2.6
    short_modality_years: float = -1.4
    modality_years_gain: float = 0.35
    language_below: float = -2.0
    language_absent: float = -3.0
    late_minor: float = -0.35
    late_major: float = -1.3
    unwilling_abroad: float = -2.2
    wants_country: float = 0.9
    other_country: float = -0.5
    contract_match_temporary: float = 1.0
    contract_miss_temporary: float = -0.9
    contract_miss_permanent: float = -0.25
    shift_miss_unsocial: float = -0.9
    shift_miss_day: float = -0.2
    senior_multi_modality: float = 0.7
    same_vendor: float = 0.45
    no_sponsorship_abroad: float = -0.8
    noise: float = 0.7


_P = _Hidden()


def _cefr(candidate: CandidateRecord, language: str) -> int | None:
    """The best CEFR rank in `language`; 0 when not spoken, None when listed without a level."""
    levels = [s.cefr for s in candidate.languages if s.language == language]
    if not levels:
        return 0
    known = [CEFR_ORDER[level.value] for level in levels if level is not None]
    return max(known) if known else None


def _utility(c: CandidateRecord, r: RequisitionRecord, rng: random.Random) -> float:
    u = 0.0
    years = {m.modality: m.years for m in c.modalities}
    required = list(r.required_modalities)
    if any(m not in years for m in required):
        u += _P.missing_modality
    if required:
        least = min(years.get(m, 0.0) for m in required)
        if least < r.min_years_experience:
            u += _P.short_modality_years
        u += _P.modality_years_gain * math.log1p(least)
    if len(required) >= 2 and c.years_experience >= 6 and all(m in years for m in required):
        u += _P.senior_multi_modality
    if r.language is not None:
        level = _cefr(c, r.language.language)
        need = CEFR_ORDER[r.language.min_cefr.value] if r.language.min_cefr else 1
        if level == 0:
            u += _P.language_absent
        elif level is not None and level < need:
            u += _P.language_below * (need - level) / 2
    if r.start_date is not None and c.available_from is not None:
        late = (c.available_from - r.start_date).days
        u += _P.late_major if late > 60 else _P.late_minor if late > 0 else 0.0
    abroad = c.country != r.facility.country
    prefs = c.preferences
    if abroad and not prefs.willing_to_relocate:
        u += _P.unwilling_abroad
    if abroad and not r.visa_sponsorship:
        u += _P.no_sponsorship_abroad
    if prefs.countries:
        u += _P.wants_country if r.facility.country in prefs.countries else _P.other_country
    if r.contract_type is not None and prefs.contract_types:
        temporary = r.contract_type.value in ("travel", "locum")
        if r.contract_type in prefs.contract_types:
            u += _P.contract_match_temporary if temporary else 0.0
        else:
            u += _P.contract_miss_temporary if temporary else _P.contract_miss_permanent
    if r.shift is not None and prefs.shifts and r.shift not in prefs.shifts:
        unsocial = r.shift.value in ("night", "on_call", "weekend")
        u += _P.shift_miss_unsocial if unsocial else _P.shift_miss_day
    vendors = {e.split()[0].casefold() for e in c.equipment if e.split()}
    if any(e.split() and e.split()[0].casefold() in vendors for e in r.equipment):
        u += _P.same_vendor
    return u + rng.gauss(0.0, _P.noise)


def _submitted(
    requisition: RequisitionRecord,
    candidates: Sequence[CandidateRecord],
    by_occupation: dict[str, list[int]],
    per_requisition: int,
    rng: random.Random,
) -> list[int]:
    occupation = requisition.occupation.value if requisition.occupation else ""
    same = by_occupation.get(occupation, [])
    chosen = rng.sample(same, k=min(len(same), per_requisition))
    others = max(1, per_requisition // 10)
    chosen_set = set(chosen)
    pool = [i for i in rng.sample(range(len(candidates)), k=min(len(candidates), others * 3))
            if i not in chosen_set]  # fmt: skip
    return chosen + pool[:others]


def _stages(utility: float, place: int, openings: int) -> list[Stage]:
    """Stages reached, from the utility and the candidate's place among those submitted."""
    reached = [Stage.SUBMITTED]
    if utility > -1.0 and place < 15:
        reached.append(Stage.SHORTLISTED)
        if utility > 0.0 and place < 8:
            reached.append(Stage.INTERVIEWED)
            if utility > 0.8 and place < openings + 2:
                reached.append(Stage.OFFERED)
                if place < openings:
                    reached.append(Stage.PLACED)
    if reached[-1] != Stage.PLACED:
        reached.append(Stage.REJECTED)
    return reached


def generate_outcomes(
    candidates: Sequence[CandidateRecord],
    requisitions: Sequence[RequisitionRecord],
    *,
    seed: int,
    per_requisition: int = 40,
    today: date = date(2026, 1, 5),
) -> list[OutcomeRecord]:
    """Outcome events for submitted (requisition, candidate) pairs, deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311  (seeded synthetic data, not secrets)
    cands = with_derived_occupation(list(candidates))
    reqs = with_derived_occupation(list(requisitions))
    by_occupation: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        by_occupation.setdefault(c.occupation.value if c.occupation else "", []).append(i)
    events: list[OutcomeRecord] = []
    for r in reqs:
        chosen = _submitted(r, cands, by_occupation, per_requisition, rng)
        scored = sorted(((_utility(cands[i], r, rng), i) for i in chosen), reverse=True)
        for place, (utility, i) in enumerate(scored):
            for step, stage in enumerate(_stages(utility, place, r.openings)):
                events.append(
                    OutcomeRecord(
                        requisition_id=r.external_id,
                        candidate_id=cands[i].external_id,
                        stage=stage,
                        at=today + timedelta(days=7 * step + rng.randint(0, 6)),
                    )
                )
    return events
