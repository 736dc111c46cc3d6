"""One ranking policy: every entry point ranks with the same scorer, shows the same label,
logs what it ranked and stops with the stop switch. Both databases run."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from matcher.domain.records import RequisitionRecord
from matcher.errors import ConflictError, ServiceUnavailableError
from matcher.jobs.overnight import BatchOptions, BatchRunStatus
from matcher.rules.facility_weights import FacilityWeights, load_facility_weights
from matcher.service.models import ModelCache, activate_model, artefact_hash, weights_hash
from matcher.service.ranking_policy import (
    EntryPoint,
    ScorerSources,
    resolve_policies,
    resolve_policy,
)
from matcher.store.audit_tables import DecisionLogRow
from matcher.store.batch_status import latest_results_for_requisition
from matcher.store.db import read_session, write_session
from matcher.store.oversight import set_stop
from scoring.weighted import DEFAULT_WEIGHTS
from tests.api.test_erasure import uk_radiographers
from tests.api.test_models import api_with_models, models_dir  # noqa: F401  (fixtures)
from tests.api_support import Api
from tests.jobs.test_overnight import run

ENTRY_POINTS: tuple[EntryPoint, ...] = ("shortlist", "overnight_shortlist", "agency_view", "batch")
# Weights that reorder look-alike radiographers: experience and availability, not modalities.
FACILITY_WEIGHTS = """
[facility."F1"]
as_of = 2026-01-05
source = "test: a facility that asked for experience first"
[facility."F1".weights]
experience_fit = 1.0
availability_fit = 1.0
required_modality_coverage = 0.0
"""


def _facility_weights(tmp_path: Path) -> FacilityWeights:
    path = tmp_path / "facility_weights.toml"
    path.write_text(FACILITY_WEIGHTS, encoding="utf-8")
    return load_facility_weights(path)


def _requisition(facility: str) -> RequisitionRecord:
    _, record = uk_radiographers(1)
    record["facility"]["external_id"] = facility
    return RequisitionRecord.model_validate(record)


def _stop(engine: Engine, *, stopped: bool) -> None:
    with write_session(engine) as session:
        set_stop(session, stopped=stopped, reason="bias review", actor="admin")


def _seed(api: Api, n: int = 15) -> int:
    """agency-a's radiographers and one hospital-a requisition at facility F1; its id."""
    candidates, requisition = uk_radiographers(n)
    stored = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        json=candidates,
        headers={"Idempotency-Key": "policy"},
    )
    assert stored.status_code == 200, stored.text
    created = api.call("POST", "/v1/requisitions", "hospital-a", json=requisition)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _batch(api: Api, run_id: str, **kwargs: Any) -> BatchRunStatus:
    status = run(api.engine, BatchOptions(run_id=run_id, top_k=50, per_candidate=10), **kwargs)
    assert status.status == "done"
    return status


def _views(api: Api, rid: int) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """The hospital shortlist, the overnight shortlist and, per shortlisted candidate, the
    agency view's entry for the requisition."""
    params = {"limit": 50}
    shortlist = api.call(
        "GET", f"/v1/requisitions/{rid}/shortlist", "hospital-a", params=params
    ).json()
    overnight = api.call(
        "GET", f"/v1/requisitions/{rid}/overnight-shortlist", "hospital-a", params=params
    ).json()
    agency = []
    for match in shortlist["matches"]:
        listed = api.call("GET", f"/v1/candidates/{match['candidate_id']}/matches", "agency-a")
        assert listed.status_code == 200, listed.text
        (entry,) = [m for m in listed.json() if m["requisition_id"] == rid]
        agency.append({**entry, "candidate_id": match["candidate_id"]})
    return shortlist, overnight, agency


def _ranked(matches: list[dict[str, Any]]) -> list[tuple[int, float]]:
    """(candidate id, score), best first by the pipeline's order: score, then candidate id."""
    pairs = [(m["candidate_id"], m["score"]) for m in matches]
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def _records(engine: Engine) -> list[DecisionLogRow]:
    with read_session(engine) as session:
        return list(session.scalars(select(DecisionLogRow).order_by(col(DecisionLogRow.seq))))


def test_with_a_learned_model_active_all_four_entry_points_agree_and_all_four_stop(
    api_with_models: Api,  # noqa: F811  (the fixture imported above)
    models_dir: Path,  # noqa: F811
) -> None:
    api = api_with_models
    rid = _seed(api)
    assert api.call("POST", "/v1/models/m1:activate", "admin").status_code == 200
    status = _batch(api, "night", models_dir=models_dir)
    shortlist, overnight, agency = _views(api, rid)

    live = [(m["candidate_id"], m["score"]) for m in shortlist["matches"]]
    assert len(live) >= 5
    assert live == _ranked(shortlist["matches"])
    assert [(m["candidate_id"], m["score"]) for m in overnight["matches"]] == live
    assert _ranked(agency) == live  # same scores, so the same order
    assert shortlist["scorer"] == overnight["scorer"] == status.model_version == "learned:m1"
    assert {entry["scorer"] for entry in agency} == {"learned:m1"}
    assert status.params["model_override"] is None  # the active model, not an override

    logged = _records(api.engine)
    assert {r.kind for r in logged} == {"shortlist", "batch", "agency_view"}
    assert {(r.model_version, r.model_hash) for r in logged} == {
        ("learned:m1", artefact_hash(models_dir / "m1"))
    }
    viewed = [r for r in logged if r.kind == "agency_view"]
    assert len(viewed) == len(agency)  # one record per requisition each view returned
    assert {(r.tenant, r.requisition_id) for r in viewed} == {("agency-a", str(rid))}
    assert [r.candidates[0]["score"] for r in viewed] == [e["score"] for e in agency]

    stopped = api.call("POST", "/v1/admin/ranking:stop", "admin", json={"reason": "audit"})
    assert stopped.status_code == 200
    first = shortlist["matches"][0]["candidate_id"]
    for url, tenant in (
        (f"/v1/requisitions/{rid}/shortlist", "hospital-a"),
        (f"/v1/requisitions/{rid}/overnight-shortlist", "hospital-a"),
        (f"/v1/candidates/{first}/matches", "agency-a"),
    ):
        refused = api.call("GET", url, tenant)
        assert refused.status_code == 503, url
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["retry-after"] == "60"
    with pytest.raises(ServiceUnavailableError, match="stopped"):
        _batch(api, "stopped", models_dir=models_dir)
    assert len(_records(api.engine)) == len(logged)  # nothing ranked, nothing logged


def test_a_facility_with_its_own_weights_ranks_by_them_everywhere(api: Api, tmp_path: Path) -> None:
    weights = _facility_weights(tmp_path)
    app: Any = api.client.app
    app.state.serving = replace(app.state.serving, facility_weights=weights)
    rid = _seed(api)
    _, other = uk_radiographers(1)
    other.update(external_id="R-F2")
    other["facility"]["external_id"] = "F2"  # no weights of its own
    other_id = api.call("POST", "/v1/requisitions", "hospital-a", json=other).json()["id"]

    defaults = _batch(api, "defaults")  # the shipped rules file: F1 has no weights there
    with read_session(api.engine) as session:
        by_defaults = [
            (e.candidate_id, e.score) for e in latest_results_for_requisition(session, rid, 50)
        ]
    status = _batch(api, "facility", facility_weights=weights)
    shortlist, overnight, agency = _views(api, rid)

    live = [(m["candidate_id"], m["score"]) for m in shortlist["matches"]]
    assert live != by_defaults  # the weights matter here
    assert [(m["candidate_id"], m["score"]) for m in overnight["matches"]] == live
    assert _ranked(agency) == live
    assert shortlist["scorer"] == overnight["scorer"] == status.model_version == "weighted"
    assert defaults.model_version == "weighted"

    f1_hash = weights_hash(weights.weights_for("F1"))
    default_hash = weights_hash(DEFAULT_WEIGHTS)
    assert f1_hash != default_hash
    cited = {
        (r.run_id, r.requisition_id): r.model_hash
        for r in _records(api.engine)
        if r.kind == "batch"
    }
    assert cited[("facility", str(rid))] == f1_hash
    assert cited[("facility", str(other_id))] == default_hash
    assert cited[("defaults", str(rid))] == default_hash
    shown = {(r.requisition_id, r.model_hash) for r in _records(api.engine) if r.kind != "batch"}
    # The shortlist and every agency view: each requisition's record cites its own weights.
    assert shown == {(str(rid), f1_hash), (str(other_id), default_hash)}


def test_the_agency_view_is_refused_for_another_agencys_candidate_before_the_stop_switch(
    api: Api,
) -> None:
    _seed(api)
    _stop(api.engine, stopped=True)
    assert api.call("GET", "/v1/candidates/1/matches", "agency-b").status_code == 404


def test_resolve_policy_defaults_facility_weights_and_the_decision_owed(
    engine: Engine, tmp_path: Path
) -> None:
    sources = ScorerSources(ModelCache(), tmp_path / "models", _facility_weights(tmp_path))
    with read_session(engine) as session:
        plain = resolve_policy(
            session=session, entry="shortlist", requisition=_requisition("F9"), sources=sources
        )
        own = resolve_policy(
            session=session, entry="batch", requisition=_requisition("F1"), sources=sources
        )
        kinds = {
            entry: resolve_policy(
                session=session, entry=entry, requisition=None, sources=sources
            ).decision_kind
            for entry in ENTRY_POINTS
        }
    assert (plain.label, plain.model, plain.override) == ("weighted", None, False)
    assert plain.weights == dict(DEFAULT_WEIGHTS)
    assert plain.artefact_hash == weights_hash(DEFAULT_WEIGHTS)
    assert own.label == "weighted"
    assert own.weights == sources.facility_weights.weights_for("F1") != plain.weights
    assert own.artefact_hash == weights_hash(sources.facility_weights.weights_for("F1"))
    assert kinds == {
        "shortlist": "shortlist",
        "overnight_shortlist": None,
        "agency_view": "agency_view",
        "batch": "batch",
    }
    decision = own.decision(run_id="r1", tenant="hospital-a", requisition_id=7, ranked=[])
    assert (decision.kind, decision.requisition_id) == ("batch", "7")
    assert (decision.model_version, decision.model_hash) == (own.label, own.artefact_hash)
    with read_session(engine) as session:
        shown = resolve_policy(
            session=session, entry="overnight_shortlist", requisition=None, sources=sources
        )
    with pytest.raises(ConflictError):  # the batch run that ranked it logged it
        shown.decision(run_id="r2", tenant="hospital-a", requisition_id=7, ranked=[])


def test_resolve_policy_prefers_an_override_then_the_active_model(
    engine: Engine,
    models_dir: Path,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    other = tmp_path / "m2"
    shutil.copytree(models_dir / "m1", other)
    sources = ScorerSources(ModelCache(), models_dir)
    activate_model(engine=engine, models_dir=models_dir, model_id="m1", actor="admin")
    with read_session(engine) as session:
        active = resolve_policy(
            session=session, entry="shortlist", requisition=_requisition("F1"), sources=sources
        )
        overridden = resolve_policy(
            session=session, entry="batch", requisition=None, sources=sources, override=other
        )
    assert (active.label, active.override, active.weights) == ("learned:m1", False, None)
    assert active.model is not None
    assert active.artefact_hash == artefact_hash(models_dir / "m1")
    assert (overridden.label, overridden.override) == ("learned:m2", True)
    assert overridden.artefact_hash == artefact_hash(other)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_is_refused_while_ranking_is_stopped(
    engine: Engine, tmp_path: Path, entry: EntryPoint
) -> None:
    sources = ScorerSources(ModelCache(), tmp_path)
    _stop(engine, stopped=True)
    with read_session(engine) as session, pytest.raises(ServiceUnavailableError):
        resolve_policy(session=session, entry=entry, requisition=None, sources=sources)
    with read_session(engine) as session, pytest.raises(ServiceUnavailableError):
        resolve_policies(session=session, entry=entry, requisitions={}, sources=sources)
    _stop(engine, stopped=False)
    with read_session(engine) as session:
        assert resolve_policy(session=session, entry=entry, requisition=None, sources=sources)


def test_policies_are_resolved_once_per_facility(engine: Engine, tmp_path: Path) -> None:
    sources = ScorerSources(ModelCache(), tmp_path, _facility_weights(tmp_path))
    records = {1: _requisition("F1"), 2: _requisition("F2"), 3: _requisition("F1")}
    with read_session(engine) as session:
        policies = resolve_policies(
            session=session, entry="batch", requisitions=records, sources=sources
        )
    assert policies[1] is policies[3]
    assert policies[1].weights != policies[2].weights
