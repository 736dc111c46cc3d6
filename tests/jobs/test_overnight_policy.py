"""The overnight batch ranks by the one ranking policy: the active model or each facility's
weights as the API does, an explicit `model_dir` as a recorded override, and a resumed run
must still rank as it started. Both databases run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from matcher.engine.artefact import load_model
from matcher.engine.pipeline import rank
from matcher.errors import InvalidInputError
from matcher.rules.facility_weights import FacilityWeights, load_facility_weights
from matcher.service.models import activate_model, artefact_hash, deactivate_model, weights_hash
from matcher.service.pool_cache import build_pool
from matcher.store.audit_tables import DecisionLogRow
from matcher.store.candidates import pool_candidates
from matcher.store.db import read_session
from matcher.store.requisitions import open_requisition_records
from scoring.weighted import DEFAULT_WEIGHTS
from tests.api.test_models import models_dir  # noqa: F401  (a fixture: a trained model "m1")
from tests.jobs.test_overnight import (
    TODAY,
    TOP_K,
    KilledError,
    kill_at,
    options,
    results,
    run,
    seed,
)


def _activate(engine: Engine, models: Path) -> None:
    activate_model(engine=engine, models_dir=models, model_id="m1", actor="admin")


def _cited(engine: Engine, run_id: str) -> dict[str, tuple[str, str]]:
    """Per requisition id, the (label, hash) the run's decision record cites."""
    with read_session(engine) as session:
        rows = session.scalars(select(DecisionLogRow).where(col(DecisionLogRow.run_id) == run_id))
        return {r.requisition_id: (r.model_version, r.model_hash) for r in rows}


def _weights_for(facility: str, tmp_path: Path) -> FacilityWeights:
    path = tmp_path / "facility_weights.toml"
    path.write_text(
        f'[facility."{facility}"]\nas_of = 2026-01-05\nsource = "test"\n'
        f'[facility."{facility}".weights]\nexperience_fit = 1.0\nproximity = 1.0\n',
        encoding="utf-8",
    )
    return load_facility_weights(path)


def test_the_active_model_ranks_the_batch_as_it_ranks_the_api(
    engine: Engine,
    models_dir: Path,  # noqa: F811  (the fixture imported above)
) -> None:
    seed(engine, n_candidates=60, n_requisitions=8)
    _activate(engine, models_dir)
    status = run(engine, options("learned"), models_dir=models_dir)
    assert status.model_version == "learned:m1"
    assert status.params["model_override"] is None
    with read_session(engine) as session:
        pool = build_pool(pool_candidates(session=session, id_max=10**9))
        requisitions = open_requisition_records(session=session)
    model = load_model(models_dir / "m1")
    expected = [
        (rid, m.candidate_id, m.rank, m.score, m.eligibility)
        for rid in sorted(requisitions)
        for m in rank(requisitions[rid], pool, top_k_count=TOP_K, model=model, today=TODAY)
    ]
    assert results(engine, "learned") == expected
    assert set(_cited(engine, "learned").values()) == {
        ("learned:m1", artefact_hash(models_dir / "m1"))
    }


def test_a_facility_with_its_own_weights_ranks_by_them_in_the_batch(
    engine: Engine, tmp_path: Path
) -> None:
    seed(engine)
    run(engine, options("defaults"))
    with read_session(engine) as session:
        requisitions = open_requisition_records(session=session)
    shortlisted = Counter(r[0] for r in results(engine, "defaults"))
    facility = requisitions[shortlisted.most_common(1)[0][0]].facility.external_id
    weights = _weights_for(facility, tmp_path)
    status = run(engine, options("facility"), facility_weights=weights)
    assert status.model_version == "weighted"
    with read_session(engine) as session:
        pool = build_pool(pool_candidates(session=session, id_max=10**9))
    expected = [
        (rid, m.candidate_id, m.rank, m.score, m.eligibility)
        for rid in sorted(requisitions)
        for m in rank(
            requisitions[rid],
            pool,
            top_k_count=TOP_K,
            today=TODAY,
            weights=weights.weights_for(requisitions[rid].facility.external_id),
        )
    ]
    assert results(engine, "facility") == expected
    assert results(engine, "defaults") != expected  # the facility's weights changed its lists
    cited = _cited(engine, "facility")
    for rid, record in requisitions.items():
        own = record.facility.external_id == facility
        wanted = weights.weights_for(facility) if own else DEFAULT_WEIGHTS
        if rid in shortlisted:
            assert cited[str(rid)] == ("weighted", weights_hash(wanted))


def test_an_explicit_model_dir_is_an_override_recorded_with_the_run(
    engine: Engine,
    models_dir: Path,  # noqa: F811  (the fixture imported above)
) -> None:
    seed(engine, n_candidates=60, n_requisitions=8)
    override = models_dir / "m1"
    status = run(engine, options("override", model_dir=override))  # no model is active
    assert status.model_version == "learned:m1"
    assert status.params["model_override"] == str(override.resolve())
    assert set(_cited(engine, "override").values()) == {("learned:m1", artefact_hash(override))}
    with pytest.raises(InvalidInputError) as refused:  # the same run without its override
        run(engine, options("override"))
    assert "model_override" in refused.value.detail
    assert "model_version" in refused.value.detail


def test_a_run_resumed_after_the_active_model_changed_is_refused(
    engine: Engine,
    models_dir: Path,  # noqa: F811  (the fixture imported above)
) -> None:
    seed(engine)
    baseline = run(engine, options("baseline"))
    with pytest.raises(KilledError):
        run(engine, options("interrupted"), hook=kill_at("committed", 1))
    _activate(engine, models_dir)
    with pytest.raises(InvalidInputError) as refused:
        run(engine, options("interrupted"), models_dir=models_dir)
    assert "model_version: run has 'weighted', asked for 'learned:m1'" in refused.value.detail
    deactivate_model(engine=engine, actor="admin")
    resumed = run(engine, options("interrupted"))
    assert resumed.content_hash == baseline.content_hash
