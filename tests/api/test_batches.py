"""POST /v1/candidates:batch: per-row errors, one transaction, idempotency, limits."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from matcher.settings import Settings
from matcher.store.db import read_session
from matcher.store.rows import count_rows
from tests.api_support import Api, make_api
from tests.factories import sample_records

BATCH = "/v1/candidates:batch"


def _post(api: Api, rows: list[Any] | str, key: str | None, **kwargs: Any) -> Any:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    content = rows if isinstance(rows, str) else json.dumps(rows)
    return api.call("POST", BATCH, "agency-a", content=content, headers=headers, **kwargs)


def _count(engine: Engine) -> int:
    with read_session(engine) as session:
        return count_rows(session=session)["candidate"]


def _corrupt(record: dict[str, Any], how: int) -> tuple[dict[str, Any], str]:
    kinds: tuple[tuple[str, Callable[[dict[str, Any]], object]], ...] = (
        ("country", lambda r: r.update(country="ZZ")),
        ("title", lambda r: r.pop("title")),
        ("years_experience", lambda r: r.update(years_experience=-3)),
        ("phone", lambda r: r.update(phone="call me")),
        ("modalities.0.modality", lambda r: r.update(modalities=[{"modality": "xr"}])),
    )
    field, apply = kinds[how % len(kinds)]
    apply(record)
    return record, field


@pytest.mark.slow
def test_ten_thousand_rows_with_a_hundred_bad_ones_then_ten_replays(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=10_000, n_requisitions=0, seed=5)
    bad_indices = sorted(random.Random(1).sample(range(10_000), 100))
    expected_errors = {}
    for n, index in enumerate(bad_indices):
        candidates[index], field = _corrupt(candidates[index], n)
        expected_errors[index] = field

    first = _post(api, candidates, "batch-10k")
    assert first.status_code == 200, first.text[:500]
    body = first.json()
    assert (body["received"], body["stored"], body["rejected"]) == (10_000, 9_900, 100)
    assert {e["index"]: e["field"] for e in body["errors"]} == expected_errors
    assert len(body["rows"]) == 9_900
    assert not {r["index"] for r in body["rows"]} & set(bad_indices)
    assert _count(api.engine) == 9_900

    for _ in range(10):
        replay = _post(api, candidates, "batch-10k")
        assert replay.status_code == 200
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json() == body
    assert _count(api.engine) == 9_900


def test_json_lines_body_reports_line_parse_errors(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=3)
    text = "\n".join([json.dumps(candidates[0]), "{not json", json.dumps(candidates[2])])
    response = api.call(
        "POST",
        BATCH,
        "agency-a",
        content=text,
        headers={"Idempotency-Key": "jl", "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stored"] == 2
    assert [(e["index"], e["field"]) for e in body["errors"]] == [(1, "(row)")]


def test_missing_idempotency_key_is_400_and_stores_nothing(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=2)
    response = _post(api, candidates, None)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert _count(api.engine) == 0


def test_same_key_different_payload_is_422(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=2)
    assert _post(api, candidates[:1], "k").status_code == 200
    response = _post(api, candidates, "k")
    assert response.status_code == 422
    assert "different payload" in response.json()["detail"]
    assert _count(api.engine) == 1


def test_all_or_nothing_stores_nothing_when_a_row_fails(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=5)
    candidates[3]["country"] = "ZZ"
    response = _post(api, candidates, "aon", params={"mode": "all_or_nothing"})
    assert response.status_code == 422
    assert response.json()["stored"] == 0
    assert [e["index"] for e in response.json()["errors"]] == [3]
    assert _count(api.engine) == 0
    ok = _post(api, candidates[:3], "aon-2", params={"mode": "all_or_nothing"})
    assert ok.status_code == 200
    assert _count(api.engine) == 3


def test_limits_refuse_the_whole_batch_with_413(engine: Engine) -> None:
    candidates, _ = sample_records(n_candidates=6)
    for api in make_api(engine, Settings(max_batch_rows=5, max_batch_bytes=50_000)):
        too_many = _post(api, candidates, "rows")
        too_big = _post(api, [dict(candidates[0], full_name="x" * 150)] * 5, "bytes")
        padded = _post(api, json.dumps(candidates[:2]) + " " * 60_000, "pad")
        assert [too_many.status_code, padded.status_code] == [413, 413]
        assert too_big.status_code == 200  # under both limits
        assert _count(engine) == 1


def test_a_connection_killed_mid_batch_leaves_nothing_and_a_retry_succeeds(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=300)
    killed = False

    def kill_after_first_insert(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        nonlocal killed
        if not killed and statement.lstrip().upper().startswith("INSERT INTO CANDIDATE"):
            killed = True
            # A real disconnect after rows were written in the open transaction.
            if api.engine.dialect.name == "postgresql":
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            else:
                cursor.close()  # finalise the statement, or SQLite defers the close
                conn.connection.dbapi_connection.close()

    event.listen(api.engine, "after_cursor_execute", kill_after_first_insert)
    try:
        with TestClient(api.client.app, raise_server_exceptions=False) as client:
            response = client.post(
                BATCH,
                content=json.dumps(candidates),
                headers={**api.headers("agency-a"), "Idempotency-Key": "killed"},
            )
    finally:
        event.remove(api.engine, "after_cursor_execute", kill_after_first_insert)
    assert killed
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text
    api.engine.dispose()
    assert _count(api.engine) == 0

    retry = _post(api, candidates, "killed")
    assert retry.status_code == 200
    assert retry.json()["stored"] == 300
    assert _count(api.engine) == 300
