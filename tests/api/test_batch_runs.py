"""Overnight results over HTTP: run status for admins, latest shortlists for hospitals."""

from __future__ import annotations

from sqlalchemy import text

from tests.api_support import Api
from tests.jobs.test_overnight import options, run, seed


def _requisition_with_results(api: Api, run_id: str) -> int:
    with api.engine.connect() as conn:
        return int(
            conn.execute(
                text("select min(requisition_id) from batch_result where run_id = :r"),
                {"r": run_id},
            ).scalar_one()
        )


def test_run_status_and_the_overnight_shortlist(api: Api) -> None:
    seed(api.engine)
    run(api.engine, options("night-1"))
    status = api.call("GET", "/v1/batch-runs/night-1", "admin")
    assert status.status_code == 200
    assert status.json()["status"] == "done"
    assert api.call("GET", "/v1/batch-runs/nope", "admin").status_code == 404
    assert api.call("GET", "/v1/batch-runs/night-1", "hospital-a").status_code == 403

    rid = _requisition_with_results(api, "night-1")
    url = f"/v1/requisitions/{rid}/overnight-shortlist"
    body = api.call("GET", url, "hospital-a").json()
    assert body["run_id"] == "night-1"
    ranks = [m["rank"] for m in body["matches"]]
    assert ranks == sorted(ranks)
    assert body["matches"]
    assert "full_name" not in str(body)
    assert api.call("GET", url, "hospital-b").status_code == 404

    # The hospital was shown these candidates: erasure will name it.
    first = body["matches"][0]["candidate_id"]
    erased = api.call("DELETE", f"/v1/candidates/{first}", "agency-a").json()
    assert erased["hospitals_notified"] == ["hospital-a"]
    after = api.call("GET", url, "hospital-a").json()
    assert first not in {m["candidate_id"] for m in after["matches"]}


def test_a_client_request_id_cannot_log_under_a_batch_run_id(api: Api) -> None:
    seed(api.engine)
    run(api.engine, options("nightly-run-1"))
    with api.engine.connect() as conn:
        by_batch = conn.execute(
            text("select count(*) from decision_log where run_id = 'nightly-run-1'")
        ).scalar_one()
        agency_candidate = conn.execute(
            text("select min(id) from candidate where agency = 'agency-a'")
        ).scalar_one()
    assert by_batch > 0
    rid = _requisition_with_results(api, "nightly-run-1")
    borrowed = {"X-Request-ID": "nightly-run-1"}

    shortlist = api.call("GET", f"/v1/requisitions/{rid}/shortlist", "hospital-a", headers=borrowed)
    matches = api.call(
        "GET", f"/v1/candidates/{agency_candidate}/matches", "agency-a", headers=borrowed
    )

    assert (shortlist.status_code, matches.status_code) == (200, 200)
    # The client's id is still echoed for its own correlation ...
    assert shortlist.headers["x-request-id"] == "nightly-run-1"
    with api.engine.connect() as conn:
        rows = conn.execute(
            text("select run_id, kind from decision_log where kind <> 'batch'")
        ).all()
        after = conn.execute(
            text("select count(*) from decision_log where run_id = 'nightly-run-1'")
        ).scalar_one()
    # ... but the decision log names the requests by ids of the server's own.
    assert {kind for _, kind in rows} == {"shortlist", "agency_view"}
    assert after == by_batch
    assert all(run_id.startswith("request:") for run_id, _ in rows)
    assert "nightly-run-1" not in {run_id.removeprefix("request:") for run_id, _ in rows}
