"""Cross-check: our selection rates agree with fairlearn's MetricFrame on the same data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate

from matcher.audit.impact import AuditSubject, audit_impact
from matcher.domain.demographics import RaceEthnicity, Sex
from tests.audit.test_impact import issue_example


def _random_subjects(seed: int, n: int = 3000) -> list[AuditSubject]:
    rng = np.random.default_rng(seed)
    sexes = [*Sex, None]
    races = [*RaceEthnicity, None]
    countries = ["GB", "PH", "IN", "NG", "US", None]
    # Selection odds differ by group, so the rates are not all alike.
    sex_i = rng.integers(0, len(sexes), n)
    race_i = rng.integers(0, len(races), n)
    p = 0.15 + 0.05 * (sex_i % 2) + 0.03 * (race_i % 4)
    selected = rng.random(n) < p
    return [
        AuditSubject(
            selected=bool(selected[i]),
            sex=sexes[sex_i[i]],
            race_ethnicity=races[race_i[i]],
            country_of_training=countries[int(rng.integers(0, len(countries)))],
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("subjects", [issue_example(), _random_subjects(1), _random_subjects(2)])
def test_selection_rates_agree_with_fairlearn(subjects: list[AuditSubject]) -> None:
    report = audit_impact(subjects, metric="selection", include_small=True)
    for dimension in report.dimensions:
        known = [
            (s, tuple(str(getattr(s, f)) for f in dimension.fields))
            for s in subjects
            if all(getattr(s, f) is not None for f in dimension.fields)
        ]
        if not known:  # the issue's example has no country of training
            assert dimension.categories == ()
            continue
        y = np.array([s.selected for s, _ in known], dtype=int)
        groups = pd.Series([" / ".join(c) for _, c in known], name="group")
        frame = MetricFrame(metrics=selection_rate, y_true=y, y_pred=y, sensitive_features=groups)
        theirs = frame.by_group.to_dict()
        ours = {" / ".join(c.category): c.rate for c in dimension.categories}
        assert ours.keys() == theirs.keys()
        for group, rate in ours.items():
            assert rate == pytest.approx(theirs[group], abs=1e-12)
        # With every category in the ratios, an impact ratio is the rate over fairlearn's max.
        top = max(theirs.values())
        for c in dimension.categories:
            expected = theirs[" / ".join(c.category)] / top
            assert c.impact_ratio == pytest.approx(expected, abs=1e-12)
        lowest = min(c.impact_ratio or 0.0 for c in dimension.categories)
        assert lowest == pytest.approx(frame.ratio(method="between_groups"), abs=1e-12)
