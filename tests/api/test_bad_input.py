"""Bad input gets a clear 4xx and loses nothing: per-row errors where the row is known,
one problem for the whole body where it is not, never a 500 or a stack trace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from matcher.settings import Settings
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


# Integers: every one a client sends has a range the OpenAPI document states.

MAX_ID = 2**31 - 1


def _integer_schemas(schema: Any, document: dict[str, Any], where: str) -> list[tuple[str, Any]]:
    """Every integer schema reachable from `schema`, with where it was found."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return _integer_schemas(document["components"]["schemas"][name], document, where)
        found = [(where, schema)] if schema.get("type") == "integer" else []
        for key, value in schema.items():
            found += _integer_schemas(value, document, f"{where}.{key}")
        return found
    if isinstance(schema, list):
        return [f for item in schema for f in _integer_schemas(item, document, where)]
    return []


def test_every_integer_a_client_sends_has_a_documented_range() -> None:
    document = create_app(Settings(database_url="sqlite://")).openapi()
    integers = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method} {path} {parameter['name']}"
                integers += _integer_schemas(parameter["schema"], document, where)
            body = operation.get("requestBody", {}).get("content", {})
            integers += _integer_schemas(body, document, f"{method} {path} body")
    assert integers
    unbounded = [where for where, s in integers if "minimum" not in s or "maximum" not in s]
    assert not unbounded
    ids = [s for where, s in integers if where.endswith("_id")]
    assert any(where.endswith("properties.candidate_id") for where, _ in integers)
    assert ids
    assert all((s["minimum"], s["maximum"]) == (1, MAX_ID) for s in ids)


@pytest.mark.parametrize("candidate_id", [2**40, -(10**34), 0, MAX_ID + 1])
def test_an_override_naming_an_out_of_range_candidate_is_422_on_its_field(
    api: Api, candidate_id: int
) -> None:
    _, requisitions = sample_records(n_candidates=0, n_requisitions=1)
    created = api.call("POST", "/v1/requisitions", "hospital-a", json=requisitions[0])
    assert created.status_code == 201, created.text[:300]
    body = {"candidate_id": candidate_id, "action": "remove", "reason": "not a fit"}
    with TestClient(api.client.app, raise_server_exceptions=False) as client:
        response = client.post(
            f"/v1/requisitions/{created.json()['id']}/overrides",
            json=body,
            headers=api.headers("hospital-a"),
        )
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "body.candidate_id"
    assert str(MAX_ID if candidate_id > 0 else 1) in error["message"]


@pytest.mark.parametrize("candidate_id", [MAX_ID, 1])
def test_an_override_naming_an_in_range_unknown_candidate_is_404(
    api: Api, candidate_id: int
) -> None:
    _, requisitions = sample_records(n_candidates=0, n_requisitions=1)
    created = api.call("POST", "/v1/requisitions", "hospital-a", json=requisitions[0])
    body = {"candidate_id": candidate_id, "action": "remove", "reason": "not a fit"}
    url = f"/v1/requisitions/{created.json()['id']}/overrides"
    response = api.call("POST", url, "hospital-a", json=body)
    assert response.status_code == 404, response.text[:300]


# Non-finite numbers and NUL characters: rejected per row and field, alike on both databases.


def _candidate_lines() -> tuple[list[str], list[tuple[int, str]]]:
    records, _ = sample_records(n_candidates=7, seed=3)
    money = {"amount": 1.0, "currency": "EUR", "period": "year"}
    test = {"name": "OET", "overall": 1.0}
    records[1]["preferences"] = {"min_salary": money}
    records[2]["languages"] = [{"language": "en", "test": test}]
    records[3]["full_name"] = "Ann\x00Lee"
    records[4]["equipment"] = ["GE\x00"]
    records[5]["zz\x00"] = 1
    lines = [json.dumps(r) for r in records]
    # json.dumps writes `1.0`; the wire carries what a hostile client would send instead.
    lines[1] = lines[1].replace('"amount": 1.0', '"amount": Infinity')
    lines[2] = lines[2].replace('"overall": 1.0', '"overall": NaN')
    expected = [
        (1, "preferences.min_salary.amount"),
        (2, "languages.0.test.overall"),
        (3, "full_name"),
        (4, "equipment"),
        (5, "(row)"),
    ]
    return lines, expected


def test_non_finite_numbers_and_nuls_are_row_errors_and_the_rest_is_stored(api: Api) -> None:
    lines, expected = _candidate_lines()
    response = _post(api, "\n".join(lines), "finite")
    assert response.status_code == 200, response.text[:300]
    assert _errors(response) == expected
    assert response.json()["stored"] == 2
    assert _count(api.engine) == 2
    for row in response.json()["rows"]:
        stored = api.call("GET", f"/v1/candidates/{row['id']}", "agency-a")
        assert stored.status_code == 200


def test_all_or_nothing_names_every_non_finite_or_nul_row(api: Api) -> None:
    lines, expected = _candidate_lines()
    response = _post(api, "\n".join(lines), "finite-aon", params={"mode": "all_or_nothing"})
    assert response.status_code == 422, response.text[:300]
    assert _errors(response) == expected
    assert _count(api.engine) == 0


def test_a_requisition_with_a_non_finite_salary_or_a_nul_is_422_on_the_field(api: Api) -> None:
    _, requisitions = sample_records(n_candidates=0, n_requisitions=3)
    salary = {"min": 1.0, "max": 2.0, "currency": "EUR", "period": "year"}
    infinite = json.dumps({**requisitions[0], "salary": salary}).replace("2.0", "Infinity")
    nul = json.dumps({**requisitions[1], "title": "MRI\x00"})
    nul_facility = json.dumps({**requisitions[2], "facility": {"name": "St\x00 Ann's"}})
    for content, field in [
        (infinite, "body.salary.max"),
        (nul, "body.title"),
        (nul_facility, "body.facility.name"),
    ]:
        response = api.call(
            "POST",
            "/v1/requisitions",
            "hospital-a",
            content=content,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422, response.text[:300]
        assert field in [e["field"] for e in response.json()["errors"]]
    listed = api.call("GET", "/v1/requisitions/1", "hospital-a")
    assert listed.status_code == 404


def test_an_outcome_with_a_nul_is_422_on_the_field(api: Api) -> None:
    body = {"requisition_id": "r\x001", "candidate_id": "c1", "stage": "placed", "at": "2027-01-01"}
    response = api.call("POST", "/v1/outcomes", "hospital-a", json=body)
    assert response.status_code == 422, response.text[:300]
    assert [e["field"] for e in response.json()["errors"]] == ["body.requisition_id"]
