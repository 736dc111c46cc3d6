"""The language check against one regulator: shortfalls, validity windows, monotonicity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.rules.credentials import default_credential_data
from matcher.rules.credentials.language import LanguageEvidence, LanguageTestResult, check_language

TODAY = date(2026, 11, 27)
REGULATORS = default_credential_data().language.regulators
INSTRUCTION = default_credential_data().language.instruction
BAND = st.sampled_from([x / 2 for x in range(8, 19)])  # 4.0 .. 9.0 in half bands


def ielts(
    overall: float,
    listening: float,
    reading: float,
    writing: float,
    speaking: float,
    *,
    age: int = 30,
) -> LanguageEvidence:
    test = LanguageTestResult("IELTS_ACADEMIC", overall, listening, reading, writing, speaking,
                      TODAY - timedelta(days=age))  # fmt: skip
    return LanguageEvidence("en", None, test)


def check(
    regulator: str, *evidence: LanguageEvidence, trained: frozenset[str] = frozenset()
) -> bool | None:
    result = check_language(
        REGULATORS[regulator],
        skills=evidence,
        training_countries=trained,
        instruction=INSTRUCTION,
        today=TODAY,
    )
    return result.met


@pytest.mark.parametrize(
    ("regulator", "scores", "met"),
    [
        ("HCPC", (7.0, 6.5, 6.5, 6.5, 6.5), True),  # IELTS 7.0, no element below 6.5
        ("HCPC", (7.0, 7.0, 7.0, 6.0, 7.0), False),
        ("HCPC", (6.5, 8.0, 8.0, 8.0, 8.0), False),
        ("AHPRA", (7.0, 7.0, 7.0, 7.0, 7.0), True),  # 7 in each band and overall
        ("AHPRA", (8.0, 8.0, 8.0, 6.5, 8.0), False),
        ("MRTB", (7.5, 7.0, 7.0, 7.0, 7.0), True),  # 7 in each band, 7.5 overall
        ("MRTB", (7.0, 7.0, 7.0, 7.0, 7.0), False),
        ("CAMRT", (6.0, 4.0, 4.0, 4.0, 6.0), True),  # overall 6.0 and speaking 6.0
        ("CAMRT", (6.0, 9.0, 9.0, 9.0, 5.5), False),
    ],
)
def test_published_minimums(regulator: str, scores: tuple[float, ...], met: bool) -> None:
    assert check(regulator, ielts(*scores)) is met


def test_mrtb_rejects_a_result_older_than_two_years() -> None:
    assert check("MRTB", ielts(8.0, 8.0, 8.0, 8.0, 8.0, age=700)) is True
    assert check("MRTB", ielts(8.0, 8.0, 8.0, 8.0, 8.0, age=800)) is False


def test_training_in_english_exempts_only_where_the_regulator_says_so() -> None:
    assert check("CAMRT", trained=frozenset({"GB"})) is True
    assert check("CAMRT", trained=frozenset({"FR"})) is True  # English or French
    assert check("CAMRT", trained=frozenset({"PH"})) is False  # not presumed
    assert check("MRTB", trained=frozenset({"GB"})) is False  # MRTB names first language only


def test_german_cefr_level() -> None:
    assert check("DE_MTBG", LanguageEvidence("de", "B2", None)) is True
    assert check("DE_MTBG", LanguageEvidence("de", "B1", None)) is False


@given(
    regulator=st.sampled_from(["HCPC", "AHPRA", "MRTB", "CAMRT"]),
    scores=st.tuples(BAND, BAND, BAND, BAND, BAND),
    which=st.integers(0, 4),
)
def test_raising_a_score_never_loses_a_pass(
    regulator: str, scores: tuple[float, float, float, float, float], which: int
) -> None:
    higher = list(scores)
    higher[which] = min(9.0, higher[which] + 0.5)
    before = check(regulator, ielts(*scores))
    after = check(regulator, ielts(*higher))
    assert not (before is True and after is not True)
