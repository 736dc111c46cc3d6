"""Known-answer tests of the LL144 bias audit, with the figures from issue 7, to 4 decimals."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

from matcher.audit.impact import AuditSubject, Dimension, Metric, audit_impact
from matcher.audit.model_card import impact_for_model_card
from matcher.audit.subjects_csv import read_subjects
from matcher.domain.demographics import RaceEthnicity, Sex
from matcher.errors import InvalidInputError

R = RaceEthnicity
RACE_COUNTS = {  # category: (selected, applicants)
    R.HISPANIC_OR_LATINO: (50, 200),
    R.WHITE: (110, 400),
    R.BLACK: (35, 200),
    R.ASIAN: (27, 90),
    R.NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER: (4, 10),
}
SEX_COUNTS = {Sex.MALE: (128, 456), Sex.FEMALE: (98, 444)}
UNKNOWN, UNKNOWN_SELECTED = 50, 20


def _expand(counts: dict[Any, tuple[int, int]]) -> list[tuple[Any, bool]]:
    """Selected individuals first, so two marginals with equal totals pair up consistently."""
    chosen = [(c, True) for c, (sel, _) in counts.items() for _ in range(sel)]
    rest = [(c, False) for c, (sel, n) in counts.items() for _ in range(n - sel)]
    return chosen + rest


def issue_example() -> list[AuditSubject]:
    sexes, races = _expand(SEX_COUNTS), _expand(RACE_COUNTS)
    assert [s for _, s in sexes] == [s for _, s in races]  # both marginals select 226 of 900
    subjects = [
        AuditSubject(selected=selected, sex=sex, race_ethnicity=race)
        for (sex, selected), (race, _) in zip(sexes, races, strict=True)
    ]
    subjects += [AuditSubject(selected=i < UNKNOWN_SELECTED) for i in range(UNKNOWN)]
    return subjects


def test_selection_rates_by_sex_match_the_issue() -> None:
    report = audit_impact(issue_example(), metric="selection", dimensions=["sex"])
    sex = report.dimension("sex")
    assert (sex.total, sex.unknown, sex.unknown_positives) == (950, 50, 20)
    male, female = sex.category("Male"), sex.category("Female")
    assert (male.positives, male.count) == (128, 456)
    assert male.rate == pytest.approx(0.2807, abs=5e-5)
    assert male.impact_ratio == 1.0
    assert not male.below_four_fifths
    assert female.rate == pytest.approx(0.2207, abs=5e-5)
    assert female.impact_ratio == pytest.approx(0.7863, abs=5e-5)
    assert female.below_four_fifths
    assert sex.reference == ("Male",)


def test_race_ratios_leave_small_categories_out_by_default_but_report_them() -> None:
    race = audit_impact(issue_example(), metric="selection").dimension("race_ethnicity")
    expected = {
        R.HISPANIC_OR_LATINO: 0.8333,
        R.WHITE: 0.9167,
        R.BLACK: 0.5833,
        R.ASIAN: 1.0,
    }
    for category, ratio in expected.items():
        assert race.category(category).impact_ratio == pytest.approx(ratio, abs=5e-5)
    assert [c.category for c in race.categories if c.below_four_fifths] == [(R.BLACK.value,)]
    nhpi = race.category(R.NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER)
    assert (nhpi.count, nhpi.positives, nhpi.small) == (10, 4, True)
    assert nhpi.share == pytest.approx(0.0111, abs=5e-5)
    assert nhpi.rate == pytest.approx(0.4)
    assert nhpi.impact_ratio is None
    assert not nhpi.below_four_fifths
    assert race.unknown == 50


def test_including_small_categories_makes_nhpi_the_reference() -> None:
    report = audit_impact(issue_example(), metric="selection", include_small=True)
    race = report.dimension(Dimension.RACE_ETHNICITY)
    assert race.reference == (R.NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER.value,)
    assert race.category(R.HISPANIC_OR_LATINO).impact_ratio == pytest.approx(0.625, abs=5e-5)
    assert race.category(R.ASIAN).impact_ratio == pytest.approx(0.75, abs=5e-5)
    assert race.category(R.NATIVE_HAWAIIAN_OR_PACIFIC_ISLANDER).impact_ratio == 1.0
    assert race.category(R.WHITE).impact_ratio == pytest.approx(0.6875, abs=5e-5)
    assert race.category(R.BLACK).impact_ratio == pytest.approx(0.4375, abs=5e-5)
    assert sum(c.below_four_fifths for c in race.categories) == 4


def test_intersectional_cells_cover_everyone_known_in_both() -> None:
    inter = audit_impact(issue_example(), metric="selection").dimension("intersectional")
    assert sum(c.count for c in inter.categories) == 900
    assert sum(c.positives for c in inter.categories) == 226
    assert inter.unknown == 50
    for cell in inter.categories:
        assert len(cell.category) == 2
        assert cell.small == (cell.count / 900 < 0.02)
        assert (cell.impact_ratio is None) == cell.small
    assert max(c.impact_ratio or 0 for c in inter.categories) == 1.0


SCORES = {Sex.FEMALE: [0.9, 0.4, 0.3, 0.2], Sex.MALE: [0.8, 0.7, 0.6, 0.5, 0.1, 0.05]}


def test_scoring_rates_match_the_issue() -> None:
    subjects = [AuditSubject(score=s, sex=sex) for sex, scores in SCORES.items() for s in scores]
    report = audit_impact(subjects, metric=Metric.SCORING, dimensions=[Dimension.SEX])
    assert report.median_score == pytest.approx(0.45)
    sex = report.dimension("sex")
    assert sex.category("Female").rate == pytest.approx(0.25, abs=5e-5)
    assert sex.category("Male").rate == pytest.approx(0.6667, abs=5e-5)
    assert sex.category("Female").impact_ratio == pytest.approx(0.375, abs=5e-5)
    assert sex.category("Female").below_four_fifths


def test_a_score_equal_to_the_median_is_not_above_it() -> None:
    subjects = [
        AuditSubject(score=0.5, sex=Sex.FEMALE),
        AuditSubject(score=0.1, sex=Sex.FEMALE),
        AuditSubject(score=0.9, sex=Sex.MALE),
        AuditSubject(score=0.2, sex=Sex.MALE),
        AuditSubject(score=0.7),  # unknown sex still counts towards the median
    ]
    report = audit_impact(subjects, metric="scoring", dimensions=["sex"])
    assert report.median_score == 0.5
    sex = report.dimension("sex")
    assert sex.category("Female").positives == 0
    assert sex.category("Male").positives == 1
    assert sex.unknown_positives == 1


def test_country_of_training_is_audited_like_any_category() -> None:
    subjects = [AuditSubject(selected=i < 30, country_of_training="PH") for i in range(100)]
    subjects += [AuditSubject(selected=i < 45, country_of_training="GB") for i in range(100)]
    subjects += [AuditSubject(selected=True, country_of_training="NG")]
    country = audit_impact(subjects, metric="selection").dimension("country_of_training")
    assert country.category("PH").impact_ratio == pytest.approx(30 / 45)
    assert country.category("PH").below_four_fifths
    assert country.category("NG").impact_ratio is None  # 1 of 201 is under 2%


def test_all_zero_rates_give_no_ratio_and_no_flag() -> None:
    subjects = [AuditSubject(selected=False, sex=s) for s in (Sex.MALE, Sex.FEMALE) * 10]
    sex = audit_impact(subjects, metric="selection").dimension("sex")
    assert sex.reference is None
    assert all(c.impact_ratio is None and not c.below_four_fifths for c in sex.categories)


def test_missing_outcomes_are_all_reported() -> None:
    subjects = [AuditSubject(selected=True), AuditSubject(), AuditSubject()]
    with pytest.raises(InvalidInputError) as caught:
        audit_impact(subjects, metric="selection")
    assert [row.index for row in caught.value.rows] == [1, 2]


def test_to_dict_is_json_ready_and_names_flags() -> None:
    body = audit_impact(issue_example(), metric="selection").to_dict()
    race = next(d for d in body["dimensions"] if d["dimension"] == "race_ethnicity")
    assert race["flagged"] == ["Black or African American"]
    assert race["unknown"] == 50
    nhpi = next(c for c in race["categories"] if c["category"].startswith("Native"))
    assert nhpi["in_ratios"] is False
    assert nhpi["count"] == 10


CSV = """candidate_id,selected,score,sex,race_ethnicity,country_of_training
a1,true,0.9,F,Black,ng
a2,0,0.2,male,white,GB
a3,yes,,,declined,
"""


def test_csv_is_parsed_with_aliases_and_unknowns() -> None:
    subjects = read_subjects(io.StringIO(CSV))
    assert subjects[0] == AuditSubject(
        selected=True, score=0.9, sex=Sex.FEMALE, race_ethnicity=R.BLACK, country_of_training="NG"
    )
    assert subjects[2] == AuditSubject(selected=True)


def test_csv_errors_are_all_listed_at_once() -> None:
    bad = CSV + "a4,maybe,high,X,martian,ZZ\na1,true,0.1,F,White,GB\n"
    with pytest.raises(InvalidInputError) as caught:
        read_subjects(io.StringIO(bad))
    rows = caught.value.rows
    assert [r.line for r in rows] == [5, 6]
    assert {e.field for e in rows[0].errors} == {
        "selected",
        "score",
        "sex",
        "race_ethnicity",
        "country_of_training",
    }
    assert rows[1].errors[0].field == "candidate_id"


def test_csv_header_problems_are_named() -> None:
    with pytest.raises(InvalidInputError, match=r"missing column 'score'.*unknown column 'age'"):
        read_subjects(
            io.StringIO("candidate_id,selected,sex,race_ethnicity,country_of_training,age\n")
        )


def test_model_card_audits_only_the_dimensions_given() -> None:
    rng = np.random.default_rng(7)
    scores = rng.random(200).tolist()
    sexes = ["Male" if i % 2 else "Female" for i in range(200)]
    card = impact_for_model_card(scores, [s > 0.5 for s in scores], sex=sexes)
    assert [d["dimension"] for d in card["scoring"]["dimensions"]] == ["sex"]
    assert card["selection"]["metric"] == "selection"
    with pytest.raises(ValueError, match="sex has 3 values"):
        impact_for_model_card(scores, sex=["Male"] * 3)


def test_model_card_scoring_ratios_match_the_issue() -> None:
    scores = [*SCORES[Sex.FEMALE], *SCORES[Sex.MALE]]
    sexes = ["Female"] * 4 + ["Male"] * 6
    countries = ["PH", "PH", "IN", None, "GB", "GB", "GB", "IN", "PH", ""]
    card = impact_for_model_card(scores, sex=sexes, country_of_training=countries)
    assert "selection" not in card
    scoring = card["scoring"]
    assert scoring["median_score"] == pytest.approx(0.45)
    sex = next(d for d in scoring["dimensions"] if d["dimension"] == "sex")
    female = next(c for c in sex["categories"] if c["category"] == "Female")
    assert female["impact_ratio"] == pytest.approx(0.375, abs=5e-5)
    assert sex["flagged"] == ["Female"]
    country = next(d for d in scoring["dimensions"] if d["dimension"] == "country_of_training")
    assert country["unknown"] == 2
    assert [d["dimension"] for d in scoring["dimensions"]] == ["sex", "country_of_training"]
