"""Eligibility over many candidates: grouped computation equals the per-pair oracle."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import STATUS_ORDER, Eligibility, assess, assess_many, assessment
from matcher.eligibility.context import Context
from matcher.eligibility.profile import profile_from_key, profile_key, raw_profile
from matcher.eligibility.statics import STATICS
from matcher.rules.credentials import default_credential_data

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
CANDIDATES = [
    CandidateRecord.model_validate_json(line)
    for line in (SAMPLE / "candidates.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
REQUISITIONS = [
    RequisitionRecord.model_validate_json(line)
    for line in (SAMPLE / "requisitions.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("today", [date(2025, 6, 1), date(2026, 3, 1), date(2026, 11, 27)])
def test_assess_many_equals_assess_per_pair_on_the_sample_data(today: date) -> None:
    for requisition in REQUISITIONS:
        grouped = assess_many(CANDIDATES, requisition, today=today)
        assert grouped == [assess(c, requisition, today=today) for c in CANDIDATES]


def test_assess_many_computes_once_per_group(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = assessment.assess_profile

    def counting(*args: object, **kwargs: object) -> Eligibility:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assessment, "assess_profile", counting)
    many = CANDIDATES * 5
    assess_many(many, REQUISITIONS[0], today=date(2026, 3, 1))
    assert 0 < len(calls) <= len(CANDIDATES)


def test_every_verdict_serialises_and_sample_covers_several_statuses() -> None:
    seen = set()
    for requisition in REQUISITIONS:
        for verdict in assess_many(CANDIDATES, requisition, today=date(2026, 1, 15)):
            as_dict = verdict.to_dict()
            assert as_dict["status"] == verdict.status
            assert as_dict["lead_time_days"] == verdict.lead_time_days
            seen.add(verdict.status)
    assert {"eligible_now", "unknown"} <= seen


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, len(CANDIDATES) - 1),
    req_index=st.integers(0, len(REQUISITIONS) - 1),
    name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""),
    born=st.dates(date(1940, 1, 1), date(2005, 1, 1)),
)
def test_protected_attributes_never_change_the_verdict(
    index: int, req_index: int, name: str, born: date
) -> None:
    base = CANDIDATES[index]
    changed = base.model_copy(update={"full_name": name, "date_of_birth": born, "email": None})
    requisition = REQUISITIONS[req_index]
    today = date(2026, 1, 15)
    assert assess(changed, requisition, today=today) == assess(base, requisition, today=today)


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, len(CANDIDATES) - 1),
    req_index=st.integers(0, len(REQUISITIONS) - 1),
    shift=st.integers(1, 400),
)
def test_a_later_start_date_never_makes_the_verdict_worse(
    index: int, req_index: int, shift: int
) -> None:
    requisition = REQUISITIONS[req_index]
    today = date(2026, 1, 15)
    start = requisition.start_date or today
    later = requisition.model_copy(update={"start_date": start + timedelta(days=shift)})
    before = assess(CANDIDATES[index], requisition, today=today)
    after = assess(CANDIDATES[index], later, today=today)
    assert STATUS_ORDER[after.status] <= STATUS_ORDER[before.status]


def test_route_exists_separates_unknown_timing_from_no_known_route() -> None:
    verdicts = [
        v for r in REQUISITIONS for v in assess_many(CANDIDATES, r, today=date(2026, 1, 15))
    ]
    timing_only = [v for v in verdicts if v.status == "unknown" and v.route_exists]
    no_route = [v for v in verdicts if v.status == "unknown" and not v.route_exists]
    assert timing_only
    assert no_route
    assert all(v.pathway_status in ("direct", "conditional") for v in timing_only)
    assert all(v.pathway_status in (None, "unknown") for v in no_route)
    assert not any(v.route_exists for v in verdicts if v.status == "ineligible")


@pytest.mark.parametrize("today", [date(2025, 6, 1), date(2026, 3, 1), date(2028, 1, 1)])
def test_grouping_key_drops_nothing_that_changes_a_verdict(today: date) -> None:
    # Oracle: the profile with every raw date kept must give the same verdict as the canonical one.
    data = default_credential_data()
    for requisition in REQUISITIONS:
        ctx = Context.of(requisition, today)
        for candidate in CANDIDATES:
            raw = raw_profile(candidate, requisition, ctx, data)
            canonical = profile_from_key(profile_key(candidate, requisition, ctx, data))
            assert assessment.assess_profile(raw, ctx, data) == assessment.assess_profile(
                canonical, ctx, data
            )


def test_grouping_stays_exact_when_the_caches_are_cleared_mid_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Statics computed before and after a cache clear never share a signature id."""
    from matcher.synthetic.generator import generate

    raw_candidates, raw_requisitions = generate(300, 6, seed=19)
    candidates = [CandidateRecord.model_validate(c) for c in raw_candidates]
    monkeypatch.setattr(STATICS, "limit", 7)
    for raw in raw_requisitions:
        requisition = RequisitionRecord.model_validate(raw)
        grouped = assess_many(candidates, requisition, today=date(2026, 1, 5))
        single = [assess(c, requisition, today=date(2026, 1, 5)) for c in candidates]
        assert grouped == single
