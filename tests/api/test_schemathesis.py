"""The API against its own OpenAPI document, by a generated client (schemathesis).

Every operation gets positive and negative generated data; a stateful run follows the OpenAPI
links (create a requisition -> read/replace/close/shortlist it; store a batch -> read, match and
erase its candidate). Each request carries a real key of the role the operation needs, so the
generated data reach the handlers rather than stopping at 403. Both databases run.

schemathesis' own pytest loader (`from_fixture`) reads pytest internals that pytest 9 dropped,
so the operations are parametrised here and each is driven by Hypothesis through
`APIOperation.as_strategy`, which is the same generator.
"""

from __future__ import annotations

import json
import sqlite3
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import stateful as stateful_openapi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)
from sqlalchemy import Engine

from api.app import create_app
from api.openapi_links import LINKS
from matcher.service.keys import Role, create_key
from matcher.settings import Settings
from matcher.store import db
from matcher.store.db import write_session
from tests.api_support import Api
from tests.conftest import _empty_tables
from tests.factories import sample_records

# Generated cases and stateful sequences: the bulk of the suite's time; `make test-fast` skips them.
pytestmark = pytest.mark.slow

# What every response must satisfy: no 5xx; documented status, content type, headers and body.
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 8
BATCH, BATCH_METHOD = "/v1/candidates:batch", "POST"
STATEFUL_EXAMPLES = 25
STATEFUL_STEPS = 8
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# JSON Lines bodies are text on the wire.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")

# An app on an in-memory database is enough to read the document; it is never called.
DOCUMENT = create_app(Settings(database_url="sqlite://")).openapi()
OPERATIONS = [(method.upper(), path) for path, ops in DOCUMENT["paths"].items() for method in ops]


def _negatable(operation: dict[str, Any]) -> bool:
    """Negative data needs something to negate: a body, or a parameter that is more than any
    string (a bare string path parameter has no invalid values on the wire)."""
    return "requestBody" in operation or any(
        {k: v for k, v in p.get("schema", {}).items() if k not in ("title", "description")}
        != {"type": "string"}
        for p in operation.get("parameters", [])
    )


NEGATABLE = [
    (method, path)
    for method, path in OPERATIONS
    if _negatable(DOCUMENT["paths"][path][method.lower()])
]
ROLE_BY_PREFIX = {
    "/v1/candidates": Role.AGENCY,
    "/v1/requisitions": Role.HOSPITAL,
    "/v1/outcomes": Role.HOSPITAL,
    "/v1/audit": Role.AUDITOR,
    "/v1/admin": Role.ADMIN,
    "/v1/models": Role.ADMIN,
    "/v1/batch-runs": Role.ADMIN,
}


def _role_for(path: str) -> Role:
    return next(
        (role for prefix, role in ROLE_BY_PREFIX.items() if path.startswith(prefix)), Role.AGENCY
    )


# Unknown query parameters are ignored by design, and the key is ours to send: neither is
# "negative data" for this API.
CONFIG = {"generation": {"allow-extra-parameters": False, "with-security-parameters": False}}


def load_schema(app: FastAPI) -> Any:
    """The document, parsed afresh for `app` (schemathesis keeps state on a schema object)."""
    assert app.openapi() == DOCUMENT
    schema = schemathesis.openapi.from_dict(
        deepcopy(DOCUMENT), config=SchemathesisConfig.from_dict(CONFIG)
    )
    schema.app = app
    return schema


class Keys:
    """One real key per role, in the database under test."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.tokens: dict[Role, str] = {}
        self.issue()

    def issue(self) -> None:
        with write_session(self.engine) as session:
            self.tokens = {
                role: create_key(session=session, tenant=f"st-{role.value}", role=role).token
                for role in Role
            }

    def headers(self, path: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[_role_for(path)]}"}


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    return create_app(Settings(), engine=engine)


@pytest.fixture
def keys(engine: Engine) -> Keys:
    return Keys(engine)


CASES = [
    *(pytest.param(m, p, GenerationMode.POSITIVE, id=f"{m} {p} positive") for m, p in OPERATIONS),
    *(pytest.param(m, p, GenerationMode.NEGATIVE, id=f"{m} {p} negative") for m, p in NEGATABLE),
]


def test_every_operation_is_generated_and_has_a_role() -> None:
    assert ("GET", "/v1/requisitions/{requisition_id}/shortlist") in OPERATIONS
    assert ("GET", "/v1/candidates/{candidate_id}") in NEGATABLE
    assert (BATCH_METHOD, BATCH) in NEGATABLE
    for _, path in OPERATIONS:
        assert path == "/healthz" or any(path.startswith(p) for p in ROLE_BY_PREFIX), path


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_operation_conforms(
    app: FastAPI, keys: Keys, method: str, path: str, mode: GenerationMode
) -> None:
    operation = load_schema(app)[path][method]
    checks = list(CONFORMANCE)
    # A partial batch answers 200 with per-row errors by design, so a schema-violating row is
    # "accepted"; every other operation must refuse negative data outright.
    if mode is GenerationMode.NEGATIVE and path != BATCH:
        checks.append(negative_data_rejection)
    calls = 0

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        case.call_and_validate(headers=keys.headers(path), checks=checks)

    run()
    assert calls > 0
    print(f"schemathesis cases: {calls}")  # shown with -s: how much was generated


def _valid(kind: str, step: int) -> dict[str, Any]:
    candidates, requisitions = sample_records(n_candidates=1, n_requisitions=1, seed=step)
    record = candidates[0] if kind == "candidate" else requisitions[0]
    record["external_id"] = f"{kind}-{step}"
    return record


class _Scenario:
    """The stateful run's record: (method, path template, status) of every step."""

    steps: list[tuple[str, str, int]]


def _state_machine(app: FastAPI, keys: Keys) -> tuple[Any, _Scenario]:
    record = _Scenario()
    record.steps = []
    # "Created, so found" holds for our links' targets; elsewhere a 404 can name another
    # resource (an override for a candidate that was never shortlisted).
    # "Deleted stays deleted" holds on both databases (SQLite's candidate ids are
    # AUTOINCREMENT, so an erased id is never given to another candidate).
    stateful_checks = [ensure_resource_availability, use_after_free]
    # Built at runtime by schemathesis from the document's links.
    base = load_schema(app).as_state_machine()

    class Machine(base):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            # Every scenario starts from an empty database, so replaying one to shrink it
            # sees the same responses (Hypothesis insists on that) and ids stay small.
            _empty_tables(keys.engine)
            keys.issue()
            self.steps = 0

        def before_call(self, case: Any) -> None:
            step = self.steps
            self.steps += 1
            if case.path == BATCH:  # a fresh key, so every generated batch really runs
                case.headers = {**(case.headers or {}), "Idempotency-Key": f"k{step}"}
            # Generated records rarely pass the domain rules; every other root request sends
            # a valid one so that the linked operations see real resources too.
            if step % 2 == 0 and case.method.upper() == "POST":
                if case.path == BATCH:
                    case.body, case.media_type = [_valid("candidate", step)], "application/json"
                elif case.path == "/v1/requisitions":
                    case.body, case.media_type = _valid("requisition", step), "application/json"

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": keys.headers(case.path)}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            record.steps.append((case.method.upper(), case.path, response.status_code))

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            linked = (case.method.upper(), case.path) in LINK_TARGETS
            case.validate_response(
                response,
                checks=[*CONFORMANCE, *(stateful_checks if linked else [])],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    return Machine, record


LINK_TARGETS = {
    (target_method.upper(), target)
    for links in LINKS.values()
    for target, target_method, _, _ in links.values()
}


def test_links_reach_the_operations_they_name() -> None:
    created = DOCUMENT["paths"]["/v1/requisitions"]["post"]["responses"]["201"]["links"]
    stored = DOCUMENT["paths"][BATCH]["post"]["responses"]["200"]["links"]
    ids = {op["operationId"] for ops in DOCUMENT["paths"].values() for op in ops.values()}
    for link in [*created.values(), *stored.values()]:
        assert link["operationId"] in ids
    assert len(created) == 5
    assert len(stored) == 3


def _likely_root(operation: Any, node: Any, produced_anywhere: set[str]) -> bool:
    # schemathesis' heuristic reads `external_id` as a foreign key to an "External" resource
    # nothing produces, and so never starts a scenario by creating a requisition. Creating
    # things (POST) and listing them are the roots here.
    del node, produced_anywhere
    return bool(operation.method == "post" or not operation.path_parameters)


def test_stateful_sequences_follow_the_links(
    app: FastAPI, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stateful_openapi, "is_likely_root_transition", _likely_root)
    machine, record = _state_machine(app, keys)
    machine.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    print(f"stateful steps: {len(record.steps)}")
    for step in sorted(set(record.steps)):
        print(step, record.steps.count(step))
    reached = {(method, path) for method, path, status in record.steps if status < 300}
    # Each link was followed to a real resource at least once.
    # Links were followed to real resources on both sides (which targets a bounded run
    # reaches depends on the draw; the report above lists them).
    followed = reached & LINK_TARGETS
    assert len(followed) >= 4, followed
    assert any("requisition_id" in path for _, path in followed), followed
    assert ("DELETE", "/v1/candidates/{candidate_id}") in followed


# Regressions for what the generated client found.


def test_ids_outside_the_storage_range_are_not_found(api: Api) -> None:
    for method, url, tenant in [
        ("GET", f"/v1/candidates/{2**63}", "agency-a"),
        ("DELETE", f"/v1/candidates/{2**31}", "agency-a"),
        ("GET", f"/v1/candidates/{2**31}/matches", "agency-a"),
        ("GET", f"/v1/requisitions/{2**63}", "hospital-a"),
        ("GET", f"/v1/requisitions/{2**31}/shortlist", "hospital-a"),
        ("POST", f"/v1/requisitions/{-(2**40)}:close", "hospital-a"),
    ]:
        response = api.call(method, url, tenant)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"] == "application/problem+json"


def test_a_body_that_is_not_utf8_is_a_documented_400(api: Api) -> None:
    response = api.call(
        "POST",
        "/v1/requisitions",
        "hospital-a",
        content=b"\xff\xfe{",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "400" in DOCUMENT["paths"]["/v1/requisitions"]["post"]["responses"]


def test_a_reused_idempotency_key_is_a_documented_problem(api: Api) -> None:
    first, second = (json.dumps([_valid("candidate", n)]) for n in (1, 2))
    headers = {"Idempotency-Key": "same", "Content-Type": "application/json"}
    assert api.call("POST", BATCH, "agency-a", content=first, headers=headers).status_code == 200
    response = api.call("POST", BATCH, "agency-a", content=second, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    documented = DOCUMENT["paths"][BATCH]["post"]["responses"]["422"]["content"]
    assert set(documented) == {"application/json", "application/problem+json"}


def _store_one(api: Api, n: int) -> int:
    body = json.dumps([_valid("candidate", n)])
    headers = {"Idempotency-Key": f"one-{n}", "Content-Type": "application/json"}
    response = api.call("POST", BATCH, "agency-a", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["rows"][0]["id"])


def test_erasing_a_candidate_whose_id_was_used_before_is_not_a_server_error(api: Api) -> None:
    for n in range(3):
        candidate_id = _store_one(api, n)
        response = api.call("DELETE", f"/v1/candidates/{candidate_id}", "agency-a")
        assert response.status_code == 200, response.text


def test_an_erased_candidates_id_is_never_given_to_another(api: Api) -> None:
    first = _store_one(api, 1)
    assert api.call("DELETE", f"/v1/candidates/{first}", "agency-a").status_code == 200
    assert _store_one(api, 2) != first


def test_a_nul_character_is_refused_as_input_not_a_server_error(api: Api) -> None:
    body = {"requisition_id": "\x00", "candidate_id": "0", "stage": "placed", "at": "2026-01-01"}
    response = api.call("POST", "/v1/outcomes", "hospital-a", json=body)
    # PostgreSQL cannot store NUL, so it is invalid input on both databases alike.
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.requisition_id"]
    assert response.headers["content-type"] == "application/problem+json"
    assert "\x00" not in response.text
    assert "SELECT" not in response.text


def test_a_database_busy_past_its_timeout_is_503_not_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite under load: a write that cannot get the lock in time may be retried."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    engine = db.make_engine(f"sqlite:///{tmp_path}/busy.db")
    db.upgrade(engine)
    tokens = Keys(engine).tokens
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock throughout
    try:
        with TestClient(create_app(Settings(), engine=engine)) as client:
            response = client.post(
                "/v1/requisitions",
                json=_valid("requisition", 1),
                headers={"Authorization": f"Bearer {tokens[Role.HOSPITAL]}"},
            )
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
