from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from matcher.ingest import ingest_candidates, ingest_requisitions
from matcher.settings import Settings
from matcher.storage.db import write_session
from tests.factories import raw_rows, sample_records


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), engine=engine)) as test_client:
        yield test_client


def _seed(engine: Engine) -> tuple[list[int], list[dict[str, object]]]:
    candidates, requisitions = sample_records(n_candidates=60, n_requisitions=3)
    requisitions[0].update(
        occupation="radiographer",
        title="CT Radiographer",
        required_modalities=["ct"],
        min_years_experience=2,
    )
    with write_session(engine) as session:
        ingest_candidates(session=session, agency="a", rows=raw_rows(candidates))
        report = ingest_requisitions(session=session, owner="h", rows=raw_rows(requisitions))
    return [rid for _, _, rid in report.stored], candidates


def test_healthz_reports_the_database(client: TestClient, engine: Engine) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": engine.dialect.name}


def test_matches_are_ranked_with_components_that_sum_to_the_score(
    client: TestClient, engine: Engine
) -> None:
    (req_id, *_), _ = _seed(engine)
    response = client.get(f"/v1/requisitions/{req_id}/matches", params={"limit": 10})
    assert response.status_code == 200
    body = response.json()
    matches = body["matches"]
    assert 0 < len(matches) <= 10
    assert [m["rank"] for m in matches] == list(range(1, len(matches) + 1))
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    for m in matches:
        assert sum(m["components"].values()) == pytest.approx(m["score"], abs=1e-9)
        assert m["profile"]["occupation"] in ("radiographer", None)
    # The best radiographer with CT experience outranks any without it.
    with_ct = [any(x["modality"] == "ct" for x in m["profile"]["modalities"]) for m in matches]
    assert with_ct[0]


def test_matches_profiles_are_blind(client: TestClient, engine: Engine) -> None:
    (req_id, *_), candidates = _seed(engine)
    text = client.get(f"/v1/requisitions/{req_id}/matches").text
    for candidate in candidates:
        assert str(candidate["full_name"]) not in text
        assert str(candidate["email"]) not in text
        assert str(candidate["phone"]) not in text
    assert "date_of_birth" not in text


def test_unknown_requisition_is_a_problem_response(client: TestClient, engine: Engine) -> None:
    response = client.get("/v1/requisitions/999999/matches")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


def test_bad_query_is_a_problem_response_without_echoing_input(client: TestClient) -> None:
    response = client.get("/v1/requisitions/1/matches", params={"limit": "<script>"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "<script>" not in response.text
