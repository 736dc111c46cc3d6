"""The vectorised eligibility index gives `assess`'s status and lead time for every pair."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import STATUS_NAMES, assess
from matcher.eligibility import index as index_module
from matcher.eligibility.gate import assess as gate_assess
from matcher.eligibility.index import EligibilityIndex
from matcher.eligibility.matching import RULE_MATCHES
from matcher.eligibility.routes import ROUTES, routes_of_date_free
from matcher.engine.pipeline import rank
from matcher.engine.pool import CandidatePool
from matcher.rules.titles.occupations import with_derived_occupation
from tests.factories import sample_records

TODAYS = (date(2025, 6, 1), date(2026, 2, 1), date(2027, 9, 1))


def _records(n_candidates: int, n_requisitions: int, seed: int) -> tuple[
    list[CandidateRecord], list[RequisitionRecord]
]:  # fmt: skip
    raw_candidates, raw_requisitions = sample_records(n_candidates, n_requisitions, seed=seed)
    candidates = with_derived_occupation(
        [CandidateRecord.model_validate(c) for c in raw_candidates]
    )
    requisitions = with_derived_occupation(
        [RequisitionRecord.model_validate(r) for r in raw_requisitions]
    )
    return candidates, requisitions


def _variants(requisition: RequisitionRecord, today: date) -> list[RequisitionRecord]:
    """The requisition as posted, without a start date, and starting at several distances,
    including both sides of every known lead time the data gives (the `<=` boundary)."""
    starts = [None, today, today + timedelta(days=1), today + timedelta(days=900)]
    starts += [
        today + timedelta(days=d) for lead in (30, 60, 90, 120, 180) for d in (lead - 1, lead)
    ]
    return [requisition] + [requisition.model_copy(update={"start_date": s}) for s in starts]


def _check(
    index: EligibilityIndex, positions: np.ndarray, requisition: RequisitionRecord
) -> set[str]:
    """Compares every pair; returns the statuses seen."""
    codes, lead = index.statuses(positions, requisition)
    seen: set[str] = set()
    for row, position in enumerate(positions.tolist()):
        verdict = assess(index.records[position], requisition, today=index.today)
        assert STATUS_NAMES[codes[row]] == verdict.status
        if verdict.lead_time_days is None:
            assert math.isnan(lead[row])
        else:
            assert lead[row] == verdict.lead_time_days
        seen.add(verdict.status)
    return seen


@pytest.mark.parametrize("today", TODAYS)
def test_statuses_and_lead_times_equal_assess_for_every_pair(today: date) -> None:
    # Two seeds: one gives every eligible status, the other ineligible ones.
    candidates, requisitions = _records(300, 6, seed=23)
    more_candidates, more_requisitions = _records(300, 6, seed=41)
    candidates += more_candidates
    requisitions += more_requisitions
    index = EligibilityIndex(candidates, today)
    every = np.arange(len(candidates))
    rng = np.random.default_rng(5)
    statuses: set[str] = set()
    for requisition in requisitions:
        for variant in _variants(requisition, today):
            subset = np.sort(rng.choice(every, size=120, replace=False))
            statuses |= _check(index, subset, variant)
        statuses |= _check(index, every, requisition)
    # The data must exercise the date arithmetic, or the comparison proves little.
    assert set(STATUS_NAMES) <= statuses


def test_known_lead_times_on_both_sides_of_the_start_date() -> None:
    """Every known lead time L: a start L days away is by_start, one day sooner is after."""
    today = date(2026, 2, 1)
    candidates, requisitions = _records(400, 8, seed=23)
    index = EligibilityIndex(candidates, today)
    every = np.arange(len(candidates))
    boundaries = 0
    for requisition in requisitions:
        _, lead = index.statuses(every, requisition)
        for value in sorted({float(x) for x in lead[~np.isnan(lead)] if x > 0}):
            for days in (int(value) - 1, int(value)):
                moved = requisition.model_copy(update={"start_date": today + timedelta(days=days)})
                boundaries += 1
                assert _check(index, every[lead == value], moved)
    assert boundaries  # some candidate has a positive known lead time


def test_exact_when_the_caches_are_cleared_between_requisitions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ROUTES, "limit", 5)
    monkeypatch.setattr(RULE_MATCHES, "limit", 5)
    today = date(2026, 2, 1)
    candidates, requisitions = _records(150, 6, seed=31)
    index = EligibilityIndex(candidates, today)
    for requisition in requisitions:
        for variant in _variants(requisition, today)[:4]:
            _check(index, np.arange(len(candidates)), variant)


def test_gate_shows_the_full_verdict_of_assess() -> None:
    today = date(2026, 2, 1)
    candidates, requisitions = _records(120, 4, seed=37)
    positions = np.arange(len(candidates))[::2]
    for requisition in requisitions:
        gate = gate_assess(EligibilityIndex(candidates, today), positions, requisition)
        for row, position in enumerate(positions.tolist()):
            verdict = assess(candidates[position], requisition, today=today)
            assert gate.assessment(row) == verdict
            assert gate.statuses[row] == verdict.status
        hidden = gate.hidden(include_ineligible=False)
        assert sum(hidden.values()) == int((~gate.shown(False)).sum())
        assert set(hidden) <= {"unknown", "ineligible"}


def test_an_empty_pool_and_empty_positions() -> None:
    _, requisitions = _records(1, 1, seed=3)
    index = EligibilityIndex([], date(2026, 2, 1))
    codes, lead = index.statuses(np.zeros(0, dtype=np.intp), requisitions[0])
    assert codes.size == 0
    assert lead.size == 0


def test_rank_without_explanations_differs_only_by_the_missing_assessments() -> None:
    today = date(2026, 2, 1)
    candidates, requisitions = _records(200, 4, seed=41)
    pool = CandidatePool.build(list(range(len(candidates))), ["a"] * len(candidates), candidates)
    for requisition in requisitions:
        full = rank(requisition, pool, today=today, include_ineligible=True, top_k_count=50)
        lean = rank(requisition, pool, today=today, include_ineligible=True, top_k_count=50,
                    explain=False)  # fmt: skip
        assert full
        for a, b in zip(full, lean, strict=True):
            assert a.assessment is not None
            assert a.eligibility == a.assessment.status
            assert b.assessment is None
            assert replace(a, assessment=None) == b


def test_a_new_index_over_known_candidates_reuses_their_outcomes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The API builds a new pool after every write; its index must not recompute the routes
    of candidates it already knew, and must stay exact (here the new candidate holds more
    credentials than any before, so the padded widths differ)."""
    today = date(2026, 2, 1)
    candidates, requisitions = _records(200, 5, seed=43)
    before = EligibilityIndex(candidates, today)
    for requisition in requisitions:
        before.statuses(np.arange(len(candidates)), requisition)
    widest = max(candidates, key=lambda c: len(c.credentials))
    newcomer = widest.model_copy(
        update={"external_id": "NEW-1", "credentials": [*widest.credentials] * 2}
    )
    after_records = [*candidates[::-1], newcomer]
    computed: list[object] = []

    def counting(*args: object) -> object:
        computed.append(args[0])
        return routes_of_date_free(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(index_module, "routes_of_date_free", counting)
    after = EligibilityIndex(after_records, today)
    for requisition in requisitions:
        _check(after, np.arange(len(after_records)), requisition)
    assert len(computed) <= len(requisitions)  # only the newcomer, once per destination
