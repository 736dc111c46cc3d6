"""Property tests: the audit agrees with a slow, obvious reference on generated data."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.audit.impact import AuditSubject, audit_impact
from matcher.domain.demographics import Sex

SEXES = [Sex.MALE, Sex.FEMALE, None]


def reference_ratios(
    pairs: list[tuple[Sex | None, bool]], include_small: bool
) -> dict[str, float | None]:
    """LL144 by hand: rates per known category, small ones out, ratio to the top rate."""
    known = [(s, y) for s, y in pairs if s is not None]
    rates = {}
    for sex in {s for s, _ in known}:
        members = [y for s, y in known if s == sex]
        rates[sex.value] = (sum(members) / len(members), len(members) / len(known) < 0.02)
    eligible = {k: r for k, (r, small) in rates.items() if include_small or not small}
    top = max(eligible.values(), default=0.0)
    return {k: (eligible[k] / top if k in eligible and top > 0 else None) for k in rates}


subjects_strategy = st.lists(
    st.tuples(st.sampled_from(SEXES), st.booleans(), st.floats(0, 1, allow_nan=False)),
    min_size=1,
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(rows=subjects_strategy, include_small=st.booleans())
def test_selection_ratios_match_the_reference(
    rows: list[tuple[Sex | None, bool, float]], include_small: bool
) -> None:
    subjects = [AuditSubject(selected=y, score=x, sex=s) for s, y, x in rows]
    sex = audit_impact(
        subjects, metric="selection", dimensions=["sex"], include_small=include_small
    ).dimension("sex")
    expected = reference_ratios([(s, y) for s, y, _ in rows], include_small)
    got = {c.category[0]: c.impact_ratio for c in sex.categories}
    assert got.keys() == expected.keys()
    for key, ratio in expected.items():
        assert got[key] == (None if ratio is None else pytest.approx(ratio))
    assert sex.unknown == sum(s is None for s, _, _ in rows)
    if sex.reference is not None:
        assert sex.category(*sex.reference).impact_ratio == 1.0


@settings(max_examples=150, deadline=None)
@given(rows=subjects_strategy)
def test_scoring_rates_use_the_full_sample_median_strictly(
    rows: list[tuple[Sex | None, bool, float]],
) -> None:
    subjects = [AuditSubject(score=x, sex=s) for s, _, x in rows]
    report = audit_impact(subjects, metric="scoring", dimensions=["sex"])
    median = statistics.median(x for _, _, x in rows)
    assert report.median_score == pytest.approx(median)
    for category in report.dimension("sex").categories:
        scores = [x for s, _, x in rows if s is not None and s.value == category.category[0]]
        assert category.positives == sum(x > median for x in scores)
