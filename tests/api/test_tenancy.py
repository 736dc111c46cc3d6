"""Keys, roles and tenant isolation across every operation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from matcher.service.keys import Role, revoke_key
from matcher.store.db import write_session
from tests.api.test_matches import seed
from tests.api_support import TENANTS, Api
from tests.factories import sample_records

# (method, path template, role that may call it, body builder)
OPERATIONS: list[tuple[str, str, Role]] = [
    ("GET", "/v1/candidates/{cid}", Role.AGENCY),
    ("GET", "/v1/candidates/{cid}/matches", Role.AGENCY),
    ("DELETE", "/v1/candidates/{cid}", Role.AGENCY),
    ("POST", "/v1/candidates:batch", Role.AGENCY),
    ("POST", "/v1/requisitions", Role.HOSPITAL),
    ("GET", "/v1/requisitions/{rid}", Role.HOSPITAL),
    ("PUT", "/v1/requisitions/{rid}", Role.HOSPITAL),
    ("POST", "/v1/requisitions/{rid}:close", Role.HOSPITAL),
    ("GET", "/v1/requisitions/{rid}/shortlist", Role.HOSPITAL),
    ("GET", "/v1/requisitions/{rid}/matches", Role.HOSPITAL),
    ("POST", "/v1/outcomes", Role.HOSPITAL),
    ("PUT", "/v1/candidates/{cid}/demographics", Role.AGENCY),
    ("POST", "/v1/requisitions/{rid}/overrides", Role.HOSPITAL),
    ("GET", "/v1/audit/impact", Role.AUDITOR),
    ("GET", "/v1/audit/decision-log:verify", Role.AUDITOR),
    ("GET", "/v1/models", Role.ADMIN),
    ("POST", "/v1/models:deactivate", Role.ADMIN),
    ("GET", "/v1/admin/ranking", Role.ADMIN),
    ("POST", "/v1/admin/ranking:resume", Role.ADMIN),
    ("GET", "/v1/batch-runs/nightly", Role.ADMIN),
    ("GET", "/v1/requisitions/{rid}/overnight-shortlist", Role.HOSPITAL),
]
ID_TAKING = [op for op in OPERATIONS if "{" in op[1]]


def _request(api: Api, method: str, path: str, tenant: str | None) -> Any:
    (rid, *_), candidates = seed(api.engine, n_candidates=12)
    cid = 1 if api.engine.dialect.name == "sqlite" else _first_candidate_id(api)
    url = path.format(cid=cid, rid=rid)
    kwargs: dict[str, Any] = {}
    if path == "/v1/candidates:batch":
        kwargs = {
            "content": json.dumps(candidates[:1]),
            "headers": {"Idempotency-Key": "k", "Content-Type": "application/json"},
        }
    elif method in ("POST", "PUT") and path in ("/v1/requisitions", "/v1/requisitions/{rid}"):
        _, requisitions = sample_records(n_candidates=0, n_requisitions=4)
        kwargs = {"json": requisitions[0] if method == "PUT" else requisitions[3]}
    elif path.endswith("/demographics"):
        kwargs = {"json": {"sex": "female"}}
    elif path.endswith("/overrides"):
        shown = api.call(
            "GET",
            f"/v1/requisitions/{rid}/shortlist",
            "hospital-a",
            params={"include_ineligible": True},
        ).json()["matches"]
        body = {"candidate_id": shown[0]["candidate_id"], "action": "shortlist", "reason": "met"}
        kwargs = {"json": body}
    elif path.startswith("/v1/admin/"):
        kwargs = {"json": {"reason": "routine"}}
    elif path == "/v1/outcomes":
        kwargs = {"json": {"requisition_id": "R00001", "candidate_id": "C000001",
                           "stage": "interviewed", "at": "2026-03-01"}}  # fmt: skip
    return api.call(method, url, tenant, **kwargs)


def _first_candidate_id(api: Api) -> int:
    from sqlalchemy import text

    with api.engine.connect() as conn:
        return int(conn.execute(text("select min(id) from candidate")).scalar_one())


@pytest.mark.parametrize(("method", "path", "role"), OPERATIONS)
@pytest.mark.parametrize("tenant", list(TENANTS))
def test_role_matrix(api: Api, method: str, path: str, role: Role, tenant: str) -> None:
    response = _request(api, method, path, tenant)
    if TENANTS[tenant] is role:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "path", "role"), OPERATIONS)
def test_no_key_or_a_bad_key_is_401(api: Api, method: str, path: str, role: Role) -> None:
    del role
    assert _request(api, method, path, None).status_code == 401
    bad = api.client.request(method, path, headers={"Authorization": "Bearer mk_00_nope"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "role"), ID_TAKING)
def test_foreign_tenants_ids_are_not_found(api: Api, method: str, path: str, role: Role) -> None:
    """Data belongs to agency-a and hospital-a; agency-b and hospital-b get 404 everywhere."""
    foreign = "agency-b" if role is Role.AGENCY else "hospital-b"
    response = _request(api, method, path, foreign)
    assert response.status_code == 404
    owner = "agency-a" if role is Role.AGENCY else "hospital-a"
    # The same request by the owner succeeds, so the 404 is about ownership alone.
    assert _request(api, method, path, owner).status_code < 400


def test_revoked_key_is_refused_at_once(api: Api) -> None:
    assert api.call("GET", "/v1/requisitions/1", "hospital-a").status_code in (200, 404)
    key_id = api.tokens["hospital-a"].split("_")[1]
    with write_session(api.engine) as session:
        revoke_key(session=session, key_id=key_id)
    assert api.call("GET", "/v1/requisitions/1", "hospital-a").status_code == 401
