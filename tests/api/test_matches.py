from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, text

from matcher.service.ingest import ingest_candidates, ingest_requisitions
from matcher.settings import DEV_PSEUDONYM_KEY
from matcher.store.db import write_session
from tests.api_support import Api
from tests.factories import raw_rows, sample_records


def seed(engine: Engine, *, n_candidates: int = 60) -> tuple[list[int], list[dict[str, Any]]]:
    """Candidates of agency-a, requisitions of hospital-a; the first one a CT radiographer job."""
    candidates, requisitions = sample_records(n_candidates=n_candidates, n_requisitions=3)
    requisitions[0].update(
        occupation="radiographer",
        title="CT Radiographer",
        required_modalities=["ct"],
        min_years_experience=2,
    )
    with write_session(engine) as session:
        ingest_candidates(
            session=session,
            agency="agency-a",
            rows=raw_rows(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )
        report = ingest_requisitions(
            session=session, owner="hospital-a", rows=raw_rows(requisitions)
        )
    return [rid for _, _, rid in report.stored], candidates


def test_healthz_needs_no_key_and_reports_the_database(api: Api) -> None:
    response = api.call("GET", "/healthz", None)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": api.engine.dialect.name}


@pytest.mark.parametrize("path", ["shortlist", "matches"])
def test_matches_are_ranked_with_components_that_sum_to_the_score(api: Api, path: str) -> None:
    (req_id, *_), _ = seed(api.engine)
    response = api.call(
        "GET", f"/v1/requisitions/{req_id}/{path}", "hospital-a", params={"limit": 10}
    )
    assert response.status_code == 200
    matches = response.json()["matches"]
    assert 0 < len(matches) <= 10
    assert [m["rank"] for m in matches] == list(range(1, len(matches) + 1))
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    for m in matches:
        assert sum(m["components"].values()) == pytest.approx(m["score"], abs=1e-9)
        assert m["profile"]["occupation"] in ("radiographer", None)


def test_the_required_modality_lifts_an_otherwise_identical_candidate(api: Api) -> None:
    (req_id, *_), candidates = seed(api.engine)
    twin = dict(candidates[0], occupation="radiographer", title="Radiographer")
    twins = [
        dict(twin, external_id="TWIN-CT", modalities=[{"modality": "ct", "years": 4}]),
        dict(twin, external_id="TWIN-XR", modalities=[{"modality": "radiography", "years": 4}]),
    ]
    posted = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        json=twins,
        headers={"Idempotency-Key": "twins"},
    )
    assert posted.status_code == 200
    matches = api.call(
        "GET",
        f"/v1/requisitions/{req_id}/matches",
        "hospital-a",
        params={"limit": 100, "include_ineligible": True},
    ).json()["matches"]
    order = [m["external_id"] for m in matches if m["external_id"].startswith("TWIN")]
    assert order == ["TWIN-CT", "TWIN-XR"]


def test_shortlist_limit_is_at_most_50(api: Api) -> None:
    (req_id, *_), _ = seed(api.engine)
    url = f"/v1/requisitions/{req_id}/shortlist"
    assert api.call("GET", url, "hospital-a", params={"limit": 51}).status_code == 422
    assert api.call("GET", url, "hospital-a", params={"limit": 50}).status_code == 200


def test_profiles_are_blind(api: Api) -> None:
    (req_id, *_), candidates = seed(api.engine)
    text = api.call("GET", f"/v1/requisitions/{req_id}/shortlist", "hospital-a").text
    for candidate in candidates:
        assert str(candidate["full_name"]) not in text
        assert str(candidate["email"]) not in text
        assert str(candidate["phone"]) not in text
        for cred in candidate["credentials"]:
            assert cred["number"] not in text
    assert "date_of_birth" not in text


def test_a_write_is_visible_in_the_next_shortlist(api: Api) -> None:
    (req_id, *_), candidates = seed(api.engine)
    url = f"/v1/requisitions/{req_id}/matches"
    params = {"limit": 100, "include_ineligible": True}
    before = api.call("GET", url, "hospital-a", params=params).json()["matches"]
    star = dict(
        candidates[0],
        external_id="STAR",
        title="CT Radiographer",
        occupation="radiographer",
        years_experience=12,
        modalities=[{"modality": "ct", "years": 10}],
    )
    import json

    posted = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps([star]),
        headers={"Idempotency-Key": "star", "Content-Type": "application/json"},
    )
    assert posted.status_code == 200, posted.text
    after = api.call("GET", url, "hospital-a", params=params).json()["matches"]
    assert "STAR" not in {m["external_id"] for m in before}
    assert "STAR" in {m["external_id"] for m in after}


def test_unknown_requisition_is_a_problem_response(api: Api) -> None:
    response = api.call("GET", "/v1/requisitions/999999/shortlist", "hospital-a")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


def test_bad_query_is_a_problem_response_without_echoing_input(api: Api) -> None:
    response = api.call(
        "GET", "/v1/requisitions/1/shortlist", "hospital-a", params={"limit": "<script>"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "<script>" not in response.text


def test_the_shortlist_says_how_many_the_gate_hid(api: Api) -> None:
    (req_id, *_), _ = seed(api.engine)
    url = f"/v1/requisitions/{req_id}/matches"
    gated = api.call("GET", url, "hospital-a", params={"limit": 100}).json()
    everyone = api.call(
        "GET", url, "hospital-a", params={"limit": 100, "include_ineligible": True}
    ).json()
    assert everyone["hidden"] == {}
    assert len(gated["matches"]) + sum(gated["hidden"].values()) == len(everyone["matches"])
    assert set(gated["hidden"]) <= {"ineligible", "unknown"}
    shown_statuses = {m["eligibility"]["status"] for m in gated["matches"]}
    assert not shown_statuses & {"ineligible", "unknown"}


def test_an_update_and_an_erasure_are_visible_in_the_next_shortlist(api: Api) -> None:
    (req_id, *_), candidates = seed(api.engine)
    url = f"/v1/requisitions/{req_id}/matches"
    params = {"limit": 100, "include_ineligible": True}
    first = api.call("GET", url, "hospital-a", params=params).json()["matches"][0]
    record = next(c for c in candidates if c["external_id"] == first["external_id"])
    changed = dict(record, title="Senior CT Radiographer (updated)")
    api.call("POST", "/v1/candidates:batch", "agency-a", json=[changed],
             headers={"Idempotency-Key": "update-1"})  # fmt: skip
    after = api.call("GET", url, "hospital-a", params=params).json()["matches"]
    titles = {m["candidate_id"]: m["profile"]["title"] for m in after}
    assert titles[first["candidate_id"]] == "Senior CT Radiographer (updated)"

    api.call("DELETE", f"/v1/candidates/{first['candidate_id']}", "agency-a")
    gone = api.call("GET", url, "hospital-a", params=params).json()["matches"]
    assert first["candidate_id"] not in {m["candidate_id"] for m in gone}


@pytest.mark.parametrize("path", ["shortlist", "matches", "overnight-shortlist"])
def test_a_closed_requisition_serves_no_shortlist(api: Api, path: str) -> None:
    (req_id, *_), _ = seed(api.engine)
    assert api.call("POST", f"/v1/requisitions/{req_id}:close", "hospital-a").status_code == 200
    logged = _count(api, "decision_log")

    response = api.call("GET", f"/v1/requisitions/{req_id}/{path}", "hospital-a")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "requisition is closed"
    assert _count(api, "disclosure") == 0
    assert _count(api, "decision_log") == logged
    # Another hospital still learns nothing about it: 404, as for an id that does not exist.
    assert api.call("GET", f"/v1/requisitions/{req_id}/{path}", "hospital-b").status_code == 404
    # Closed is for good, so it answers before the stop switch's 503 ("retry later").
    api.call("POST", "/v1/admin/ranking:stop", "admin", json={"reason": "audit"})
    assert api.call("GET", f"/v1/requisitions/{req_id}/{path}", "hospital-a").status_code == 409


def _count(api: Api, table: str) -> int:
    with api.engine.connect() as conn:
        return int(conn.execute(text(f"select count(*) from {table}")).scalar_one())  # noqa: S608
