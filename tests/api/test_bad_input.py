"""Bad input gets a clear 4xx and loses nothing: per-row errors where the row is known,
one problem for the whole body where it is not, never a 500 or a stack trace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from matcher.store.db import read_session
from matcher.store.rows import count_rows
from tests.api_support import Api
from tests.factories import sample_records

BATCH = "/v1/candidates:batch"
NDJSON = "application/x-ndjson"
DEEP = 3_000
HUGE_INT = "1" * 4_301  # past Python's int-string conversion limit (4,300 digits)


def _post(api: Api, content: str, key: str, content_type: str = NDJSON, **kw: Any) -> Any:
    headers = {**api.headers("agency-a"), "Idempotency-Key": key, "Content-Type": content_type}
    # A 500 must come back as a response, not an exception, to be asserted on.
    with TestClient(api.client.app, raise_server_exceptions=False) as client:
        return client.post(BATCH, content=content, headers=headers, **kw)


def _count(engine: Engine) -> int:
    with read_session(engine) as session:
        return count_rows(session=session)["candidate"]


def _errors(response: Any) -> list[tuple[int, str]]:
    return [(e["index"], e["field"]) for e in response.json()["errors"]]


BAD_LINES = {
    "deep": '{"external_id": "x", "equipment": ' + "[" * DEEP + "]" * DEEP + "}",
    "huge_int": '{"external_id": "x", "years_experience": ' + HUGE_INT + "}",
    "surrogate": '{"external_id": "\\ud800", "full_name": "A"}',
    "surrogate_key": '{"\\udfff": 1}',
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_a_json_line_that_cannot_be_read_is_one_row_error_and_the_rest_is_stored(
    api: Api, kind: str
) -> None:
    good, _ = sample_records(n_candidates=2)
    lines = [json.dumps(good[0]), BAD_LINES[kind], json.dumps(good[1])]
    response = _post(api, "\n".join(lines), f"jl-{kind}")
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert (body["received"], body["stored"]) == (3, 2)
    assert _errors(response) == [(1, "(row)")]
    assert body["errors"][0]["message"]
    assert _count(api.engine) == 2


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_all_or_nothing_refuses_an_unreadable_json_line_with_its_index(api: Api, kind: str) -> None:
    good, _ = sample_records(n_candidates=1)
    content = "\n".join([json.dumps(good[0]), BAD_LINES[kind]])
    response = _post(api, content, f"aon-{kind}", params={"mode": "all_or_nothing"})
    assert response.status_code == 422, response.text[:300]
    assert _errors(response) == [(1, "(row)")]
    assert _count(api.engine) == 0


@pytest.mark.parametrize(
    ("kind", "array"),
    [
        ("deep", "[" * DEEP + "]" * DEEP),
        ("huge_int", f"[{{}}, {HUGE_INT}]"),
    ],
)
def test_a_json_array_that_cannot_be_read_is_one_problem(api: Api, kind: str, array: str) -> None:
    response = _post(api, array, f"array-{kind}", "application/json")
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    assert "not valid JSON" in response.json()["detail"]
    assert "Traceback" not in response.text
    assert _count(api.engine) == 0


def test_a_lone_surrogate_in_a_json_array_is_a_row_error(api: Api) -> None:
    good, _ = sample_records(n_candidates=2)
    array = f'[{json.dumps(good[0])}, {{"external_id": "\\ud800"}}, {json.dumps(good[1])}]'
    response = _post(api, array, "array-surrogate", "application/json")
    assert response.status_code == 200, response.text[:300]
    assert _errors(response) == [(1, "(row)")]
    assert _count(api.engine) == 2
