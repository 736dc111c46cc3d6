"""Feature columns: definitions, null levels, and a per-pair oracle for the vectorised code."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from rapidfuzz import fuzz

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.featurize import FEATURE_NAMES, featurize
from matcher.engine.pool import CandidatePool, title_forms
from matcher.errors import DataFileError
from matcher.rules.fx import default_fx, load_fx
from tests.factories import sample_records

TODAY = date(2026, 1, 5)


def _candidate(**changes: Any) -> CandidateRecord:
    base: dict[str, Any] = {
        "external_id": "C1",
        "full_name": "Test Person",
        "country": "GB",
        "title": "CT Radiographer",
        "years_experience": 4,
        "modalities": [{"modality": "ct", "years": 3}, {"modality": "radiography", "years": 4}],
    }
    return CandidateRecord.model_validate({**base, **changes})


def _requisition(**changes: Any) -> RequisitionRecord:
    base: dict[str, Any] = {
        "external_id": "R1",
        "facility": {"external_id": "F1", "name": "H", "country": "IE", "lat": 53.35,
                     "lon": -6.26},
        "title": "CT Radiographer",
        "required_modalities": ["ct", "mri"],
        "min_years_experience": 2,
        "start_date": "2026-04-01",
    }  # fmt: skip
    return RequisitionRecord.model_validate({**base, **changes})


def _features(req: RequisitionRecord, *cands: CandidateRecord) -> dict[str, np.ndarray]:
    pool = CandidatePool.build(list(range(len(cands))), ["a"] * len(cands), list(cands))
    matrix = featurize(req, pool, today=TODAY)
    return {name: matrix.column(name) for name in FEATURE_NAMES}


def test_modality_and_experience_features() -> None:
    f = _features(_requisition(), _candidate())
    assert f["required_modality_coverage"][0] == pytest.approx(0.5)
    # ct: 3 years >= 2 -> 1; mri: 0 years -> 0
    assert f["modality_years_fit"][0] == pytest.approx(0.5)
    assert f["experience_fit"][0] == 1.0
    assert f["title_similarity"][0] == 1.0


def test_unknowns_are_null_not_zero() -> None:
    req = _requisition(
        equipment=["GE Revolution CT"],
        shift="night",
        contract_type="travel",
        salary={"max": 50000, "currency": "EUR", "period": "year"},
        language={"language": "en"},
    )
    silent = _candidate(languages=[{"language": "en"}])  # states none of these
    f = _features(req, silent)
    for name in ("equipment_similarity", "shift_fit", "contract_fit", "salary_fit",
                 "proximity", "country_preference", "availability_fit", "language_fit",
                 "pathway_fit"):  # fmt: skip
        assert np.isnan(f[name][0]), name


def test_requirements_not_stated_are_met_by_everyone() -> None:
    f = _features(_requisition(required_modalities=[]), _candidate())
    for name in ("required_modality_coverage", "preferred_modality_coverage",
                 "equipment_similarity", "shift_fit", "contract_fit", "language_fit"):  # fmt: skip
        assert f[name][0] == 1.0, name
    assert np.isnan(f["modality_years_fit"][0])


def test_salary_fit_converts_currency_and_period() -> None:
    fx = default_fx()
    req = _requisition(salary={"min": 40000, "max": 50000, "currency": "EUR", "period": "year"})
    # 2,000 GBP a month is 24,000 GBP a year: about 29,000 EUR, well under the 50,000 EUR offer.
    low = _candidate(preferences={"min_salary": {"amount": 2000, "currency": "GBP",
                                                 "period": "month"}})  # fmt: skip
    # 40 USD an hour is 83,200 USD a year: about 79,900 EUR, 37% above the offer.
    high = _candidate(preferences={"min_salary": {"amount": 40, "currency": "USD",
                                                  "period": "hour"}})  # fmt: skip
    f = _features(req, low, high)
    ask = 40 * 2080 / fx.per_euro["USD"]
    assert f["salary_fit"][0] == 1.0
    assert f["salary_fit"][1] == pytest.approx(1 - ((ask - 50000) / ask) / 0.5, abs=1e-5)


def test_location_language_and_lateness() -> None:
    req = _requisition(language={"language": "en", "min_cefr": "C1"})
    near = _candidate(location={"lat": 53.0, "lon": -6.0}, languages=[{"language": "en",
                      "cefr": "C2"}], available_from="2026-03-01",
                      preferences={"countries": ["IE"], "willing_to_relocate": False})  # fmt: skip
    far = _candidate(location={"lat": -33.9, "lon": 151.2}, languages=[{"language": "en",
                     "cefr": "B1"}], available_from="2026-06-30",
                     preferences={"countries": ["AU"], "willing_to_relocate": True})  # fmt: skip
    silent = _candidate(languages=[{"language": "en"}], country="IE")
    f = _features(req, near, far, silent)
    assert f["proximity"][0] > 0.9 > 0.05 > f["proximity"][1]
    assert list(f["country_preference"][:2]) == [1.0, 0.0]
    assert np.isnan(f["country_preference"][2])
    assert list(f["relocation_fit"]) == [0.0, 1.0, 1.0]
    assert f["language_fit"][0] == 1.0
    assert f["language_fit"][1] == pytest.approx(1 - 2 / 3)
    assert np.isnan(f["language_fit"][2])
    assert f["availability_fit"][0] == 1.0
    assert f["availability_fit"][1] == pytest.approx(1 - 90 / 180)


def test_equipment_gives_credit_for_the_same_vendor() -> None:
    req = _requisition(equipment=["Siemens SOMATOM Force"])
    same = _candidate(equipment=["Siemens SOMATOM Force", "GE Voluson E10"])
    vendor = _candidate(equipment=["Siemens MAGNETOM Vida 3T"])
    other = _candidate(equipment=["Canon Aquilion ONE"])
    f = _features(req, same, vendor, other)["equipment_similarity"]
    assert f[0] == 1.0
    assert f[0] > f[1] > f[2]


def test_fx_table_errors_are_all_reported(tmp_path: Any) -> None:
    bad = tmp_path / "fx.toml"
    bad.write_text('[meta]\nbase = "USD"\n[rates]\nEUR = 2.0\nxx = -1\n[periods_per_year]\n')
    with pytest.raises(DataFileError) as err:
        load_fx(bad)
    text = str(err.value)
    for fragment in ("as_of", "source", "base", "rates.xx", "rates.EUR", "periods_per_year.hour"):
        assert fragment in text


def _slow_title_and_coverage(req: RequisitionRecord, c: CandidateRecord) -> tuple[float, float]:
    """The obvious per-pair definition, as an oracle for the vectorised code."""
    [req_form, cand_form] = title_forms([req.title, c.title])
    title = fuzz.token_sort_ratio(req_form, cand_form) / 100
    has = {m.modality for m in c.modalities}
    req_mods = req.required_modalities
    coverage = sum(m in has for m in req_mods) / len(req_mods) if req_mods else 1.0
    return title, coverage


def test_vectorised_features_match_a_per_pair_oracle() -> None:
    cands_raw, reqs_raw = sample_records(n_candidates=80, n_requisitions=6, seed=5)
    cands = [CandidateRecord.model_validate(c) for c in cands_raw]
    pool = CandidatePool.build(list(range(len(cands))), ["a"] * len(cands), cands)
    for raw in reqs_raw:
        req = RequisitionRecord.model_validate(raw)
        matrix = featurize(req, pool, today=TODAY)
        for row, cand in enumerate(cands):
            title, coverage = _slow_title_and_coverage(req, cand)
            assert matrix.column("title_similarity")[row] == pytest.approx(title, abs=1e-5)
            assert matrix.column("required_modality_coverage")[row] == pytest.approx(coverage)
    assert matrix.values.flags.f_contiguous
    assert matrix.values.dtype == np.float32


def test_a_sub_pool_gives_the_same_features_as_its_rows_in_the_whole_pool() -> None:
    cands_raw, reqs_raw = sample_records(n_candidates=60, n_requisitions=3, seed=9)
    cands = [CandidateRecord.model_validate(c) for c in cands_raw]
    pool = CandidatePool.build(list(range(len(cands))), ["a"] * len(cands), cands)
    positions = np.array([50, 3, 17, 42, 8], dtype=np.intp)
    sub = pool.take(positions)
    assert list(sub.ids) == list(positions)
    for raw in reqs_raw:
        req = RequisitionRecord.model_validate(raw)
        whole = featurize(req, pool, positions, today=TODAY).values
        part = featurize(req, sub, today=TODAY).values
        np.testing.assert_array_equal(whole, part)


def test_titles_match_across_languages_through_the_normaliser() -> None:
    req = _requisition(title="CT Radiographer")
    german = _candidate(title="MTRA im CT")
    unknown = _candidate(title="Xylophone tuner")
    f = _features(req, german, unknown)["title_similarity"]
    assert f[0] == 1.0
    assert f[1] < 0.5
