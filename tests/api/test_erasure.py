"""DELETE /v1/candidates/{id}: gone everywhere, told to the hospitals, not restored by replays."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from tests.api_support import Api
from tests.factories import sample_records


def _rows(api: Api, table: str) -> int:
    with api.engine.connect() as conn:
        return int(conn.execute(text(f"select count(*) from {table}")).scalar_one())  # noqa: S608


def uk_radiographers(n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """HCPC-registered radiographers and a London radiography job: eligible by any rule set."""
    candidates, requisitions = sample_records(n_candidates=n, n_requisitions=1)
    for c in candidates:
        c.update(
            country="GB",
            occupation="radiographer",
            title="Diagnostic Radiographer",
            credentials=[
                {
                    "body": "HCPC",
                    "credential": "diagnostic_radiographer",
                    "jurisdiction": "GB",
                    "valid_until": "2031-01-01",
                }
            ],
            languages=[{"language": "en", "cefr": "C2"}],
            education=[
                {"level": "bachelor", "field": "Radiography", "country": "GB", "year": 2015}
            ],
        )
    requisition = requisitions[0]
    requisition.update(occupation="radiographer", title="Radiographer", required_modalities=[])
    requisition["facility"] = {
        "external_id": "F1",
        "name": "St Aldhelm's",
        "country": "GB",
        "city": "London",
        "lat": 51.5,
        "lon": -0.13,
    }
    requisition["language"] = {"language": "en", "min_cefr": "C1"}
    return candidates, requisition


def test_erasure_removes_everything_and_a_replayed_batch_cannot_restore(api: Api) -> None:
    candidates, requisition = uk_radiographers(30)
    requisitions = [requisition]
    headers = {"Content-Type": "application/json"}
    batch = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(candidates),
        headers={**headers, "Idempotency-Key": "b1"},
    )
    ids = {r["external_id"]: r["id"] for r in batch.json()["rows"]}
    req = api.call("POST", "/v1/requisitions", "hospital-a", json=requisitions[0]).json()
    shortlist = api.call(
        "GET", f"/v1/requisitions/{req['id']}/shortlist", "hospital-a", params={"limit": 50}
    ).json()["matches"]
    target = shortlist[0]
    outcome = {
        "requisition_id": requisitions[0]["external_id"],
        "candidate_id": target["external_id"],
        "stage": "interviewed",
        "at": "2026-02-02",
    }
    assert api.call("POST", "/v1/outcomes", "hospital-a", json=outcome).status_code == 201

    erased = api.call("DELETE", f"/v1/candidates/{target['candidate_id']}", "agency-a")

    assert erased.status_code == 200
    assert erased.json()["hospitals_notified"] == ["hospital-a"]
    assert (
        api.call("GET", f"/v1/candidates/{target['candidate_id']}", "agency-a").status_code == 404
    )
    assert (
        api.call("DELETE", f"/v1/candidates/{target['candidate_id']}", "agency-a").status_code
        == 404
    )
    assert _rows(api, "outcome") == 0
    assert _rows(api, "candidate") == 29
    assert _rows(api, "candidate_tombstone") == 1
    assert _rows(api, "erasure_ledger") == 1
    with api.engine.connect() as conn:
        left = conn.execute(
            text("select count(*) from disclosure where candidate_id = :c"),
            {"c": target["candidate_id"]},
        ).scalar_one()
    assert left == 0
    after = api.call(
        "GET", f"/v1/requisitions/{req['id']}/shortlist", "hospital-a", params={"limit": 50}
    ).json()["matches"]
    assert target["candidate_id"] not in {m["candidate_id"] for m in after}

    # Replaying the original batch under a new key: every row but the erased one is stored.
    replay = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(candidates),
        headers={**headers, "Idempotency-Key": "b2"},
    ).json()
    index = next(i for i, c in enumerate(candidates) if c["external_id"] == target["external_id"])
    assert replay["errors"] == [
        {"index": index, "field": "external_id", "message": "erased_subject"}
    ]
    assert replay["stored"] == 29
    assert _rows(api, "candidate") == 29
    assert target["external_id"] in ids


def test_another_agency_cannot_erase(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=1)
    batch = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(candidates),
        headers={"Content-Type": "application/json", "Idempotency-Key": "x"},
    ).json()
    cid = batch["rows"][0]["id"]
    assert api.call("DELETE", f"/v1/candidates/{cid}", "agency-b").status_code == 404
    assert _rows(api, "candidate") == 1


def test_the_same_person_at_another_agency_is_not_blocked(api: Api) -> None:
    candidates, _ = sample_records(n_candidates=1)
    body = json.dumps(candidates)
    for tenant in ("agency-a", "agency-b"):
        api.call(
            "POST",
            "/v1/candidates:batch",
            tenant,
            content=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": "x"},
        )
    cid = api.call("GET", "/v1/candidates/1", "agency-a")
    del cid
    with api.engine.connect() as conn:
        a_id = conn.execute(text("select id from candidate where agency='agency-a'")).scalar_one()
    api.call("DELETE", f"/v1/candidates/{a_id}", "agency-a")
    again = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-b",
        content=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": "y"},
    )
    assert again.json()["errors"] == []


def _submit(api: Api, candidates: list[dict[str, Any]], key: str) -> dict[str, Any]:
    response = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(candidates),
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    body: dict[str, Any] = response.json()
    return body


def test_an_erased_id_with_trailing_separator_characters_cannot_come_back(api: Api) -> None:
    # U+001C-U+001F are whitespace to str.strip() but not to the record's own stripping: the
    # id that is stored and the id the ledger hashes must be one and the same normalisation.
    candidates, _ = sample_records(n_candidates=1)
    submitted = dict(candidates[0], external_id="ID-7\u001f")
    first = _submit(api, [submitted], "k1")
    assert first["errors"] == []
    cid = first["rows"][0]["id"]
    assert api.call("DELETE", f"/v1/candidates/{cid}", "agency-a").status_code == 200

    for key, ext in (("k2", "ID-7\u001f"), ("k3", "ID-7"), ("k4", "ID-7\u001c\u001e")):
        again = _submit(api, [dict(submitted, external_id=ext)], key)
        assert again["errors"] == [
            {"index": 0, "field": "external_id", "message": "erased_subject"}
        ], ext
    assert _rows(api, "candidate") == 0
