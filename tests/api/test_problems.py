"""Error bodies name the field and the rule, never the value that was submitted."""

from __future__ import annotations

import json
from typing import Any

from tests.api_support import Api
from tests.factories import sample_records

DISTINCT = "zqxvalue"  # in every bad value below; no rule, field or message contains it


def _assert_not_echoed(response: Any, *, status: int | None = None) -> None:
    assert (response.status_code == status) if status else (400 <= response.status_code < 500)
    assert DISTINCT not in response.text.lower(), response.text


def test_no_error_body_repeats_a_submitted_value(api: Api) -> None:
    candidates, requisitions = sample_records(n_candidates=5, n_requisitions=1)
    candidates[0]["email"] = f"someone@[IPv6:{DISTINCT}]"  # email-validator repeats the domain
    candidates[4]["email"] = f"someone@{DISTINCT}.invalid"
    candidates[1]["email"] = f"{DISTINCT}-without-at-sign"
    candidates[2]["country"] = DISTINCT.upper()[:2] + "Q"
    candidates[3]["title"] = ""
    batch = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(candidates),
        headers={"Content-Type": "application/json", "Idempotency-Key": "k1"},
    )
    _assert_not_echoed(batch, status=200)  # the valid rows are stored, each bad one named
    assert {e["index"] for e in batch.json()["errors"]} >= {0, 1, 4}
    assert {e["field"] for e in batch.json()["errors"] if e["index"] == 0} == {"email"}

    good, _ = sample_records(n_candidates=1, n_requisitions=0, seed=3)
    stored = api.call(
        "POST",
        "/v1/candidates:batch",
        "agency-a",
        content=json.dumps(good),
        headers={"Content-Type": "application/json", "Idempotency-Key": "k2"},
    )
    candidate_id = stored.json()["rows"][0]["id"]
    for body in ({"sex": DISTINCT}, {"race_ethnicity": DISTINCT}, {"country_of_training": "ZQ"}):
        answer = api.call(
            "PUT", f"/v1/candidates/{candidate_id}/demographics", "agency-a", json=body
        )
        _assert_not_echoed(answer)
        assert "zq" not in answer.text.lower()

    requisition = dict(requisitions[0], title=None, salary={"currency": DISTINCT})
    _assert_not_echoed(api.call("POST", "/v1/requisitions", "hospital-a", json=requisition))

    outcome = {
        "requisition_id": f"r-{DISTINCT}",
        "candidate_id": f"c-{DISTINCT}",
        "stage": "interviewed",
        "at": "2026-02-02",
    }
    missing = api.call("POST", "/v1/outcomes", "hospital-a", json=outcome)
    _assert_not_echoed(missing, status=404)
