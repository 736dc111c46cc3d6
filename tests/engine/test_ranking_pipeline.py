"""rank(): weights overrides, the eligibility gate, learned-model scoring and its artefact."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.artefact import load_model, save_model
from matcher.engine.featurize import FEATURE_NAMES, featurize
from matcher.engine.pipeline import BASELINE, rank
from matcher.engine.pool import CandidatePool
from matcher.errors import InvalidInputError, NotFoundError
from matcher.rules.titles.occupations import with_derived_occupation
from scoring.ranker import AdditiveRanker
from tests.factories import sample_records

TODAY = date(2026, 1, 5)
_C, _R = sample_records(n_candidates=120, n_requisitions=5, seed=33)
CANDIDATES = with_derived_occupation([CandidateRecord.model_validate(c) for c in _C])
REQUISITIONS = with_derived_occupation([RequisitionRecord.model_validate(r) for r in _R])
POOL = CandidatePool.build(list(range(len(CANDIDATES))), ["a"] * len(CANDIDATES), CANDIDATES)


def test_unknown_and_invalid_weights_are_all_reported() -> None:
    with pytest.raises(InvalidInputError) as err:
        rank(REQUISITIONS[0], POOL, weights={"nationality": 1.0, "age_fit": 1.0,
                                             "title_similarity": -1.0}, today=TODAY)  # fmt: skip
    text = str(err.value)
    assert "'nationality'" in text
    assert "'age_fit'" in text
    assert "title_similarity" in text


def test_a_weight_override_changes_the_order_towards_that_feature() -> None:
    req = REQUISITIONS[0]
    only_title = rank(req, POOL, weights={"title_similarity": 1.0}, top_k_count=10, today=TODAY,
                      include_ineligible=True)  # fmt: skip
    titles = [m.components["title_similarity"] for m in only_title]
    assert titles == sorted(titles, reverse=True)
    assert all(m.score == pytest.approx(m.components["title_similarity"]) for m in only_title)


def test_gate_hides_ineligible_and_unknown_unless_asked() -> None:
    for req in REQUISITIONS:
        everyone = rank(req, POOL, top_k_count=1000, today=TODAY, include_ineligible=True)
        default = rank(req, POOL, top_k_count=1000, today=TODAY)
        hidden = {m.candidate_id for m in everyone if m.eligibility in ("ineligible", "unknown")}
        assert all(m.eligibility is not None for m in everyone)
        assert {m.candidate_id for m in default} == {m.candidate_id for m in everyone} - hidden


def _train_model(tmp_path: Path) -> Path:
    blocks = [featurize(r, POOL, today=TODAY).values for r in REQUISITIONS]
    x = np.concatenate(blocks)
    y = np.random.default_rng(1).integers(0, 5, size=x.shape[0]).astype(float)
    groups = np.repeat(np.arange(len(blocks)), len(CANDIDATES))
    estimator = AdditiveRanker(max_pairs_per_group=100).fit(x, y, groups)
    return save_model(tmp_path / "m1", estimator, feature_names=FEATURE_NAMES,
                      data_sha256="abc", metrics={"ndcg@10": 0.5}, training={})  # fmt: skip


def test_a_saved_model_ranks_with_exact_explanations(tmp_path: Path) -> None:
    model = load_model(_train_model(tmp_path))
    card = json.loads((tmp_path / "m1" / "model_card.json").read_text())
    assert card["feature_names"] == list(FEATURE_NAMES)
    assert card["training_data_sha256"] == "abc"
    assert {"numpy", "scikit-learn", "python"} <= set(card["library_versions"])
    matches = rank(REQUISITIONS[1], POOL, model=model, top_k_count=15, today=TODAY,
                   include_ineligible=True)  # fmt: skip
    assert matches
    for m in matches:
        assert m.scorer == "learned:m1"
        assert set(m.components) == {*FEATURE_NAMES, BASELINE}
        assert sum(m.components.values()) == pytest.approx(m.score, abs=1e-9)


def test_loading_a_broken_model_directory_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_model(tmp_path / "nope")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "features.json").write_text("[]")
    with pytest.raises(InvalidInputError, match=r"estimator\.joblib"):
        load_model(tmp_path / "half")


def test_a_model_naming_features_we_do_not_compute_is_refused(tmp_path: Path) -> None:
    directory = _train_model(tmp_path)
    names = list(FEATURE_NAMES)
    names[0] = "date_of_birth"
    (directory / "features.json").write_text(json.dumps(names))
    with pytest.raises(InvalidInputError, match="date_of_birth"):
        load_model(directory)
