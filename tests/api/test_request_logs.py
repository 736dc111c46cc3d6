"""Every API log line carries its request id (and tenant once authenticated); one access line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.auth import Agency
from api.request_ids import HEADER
from matcher.settings import Settings
from tests.api_support import Api
from tests.logs_support import json_lines, restore_logging  # noqa: F401  (fixture)


def _add_probes(app: FastAPI) -> None:
    """Routes that log from inside a request, as engine code called by a route would."""

    def logs(principal: Agency) -> dict[str, str]:
        structlog.get_logger("tests.probe").info("probe.structlog", email="ana@example.org")
        logging.getLogger("tests.probe").warning("probe.stdlib")
        return {"tenant": principal.tenant}

    async def logs_async(principal: Agency) -> dict[str, str]:
        structlog.get_logger("tests.probe").info("probe.async")
        return {"tenant": principal.tenant}

    def fails() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/probe/{thing}", logs)
    app.add_api_route("/probe-async", logs_async)
    app.add_api_route("/probe-fails", fails)


def _app(api: Api) -> FastAPI:
    app = api.client.app
    assert isinstance(app, FastAPI)
    return app


def _events(err: str, event: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(err) if line["event"] == event]


def test_lines_carry_the_request_id_and_the_tenant(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_probes(_app(api))
    capsys.readouterr()
    sent = api.call(
        "GET", "/probe/7?email=ana@example.org", "agency-a", headers={HEADER: "req-0001"}
    )
    assert sent.status_code == 200
    err = capsys.readouterr().err

    (inside,) = _events(err, "probe.structlog")
    assert (inside["request_id"], inside["tenant"], inside["role"]) == (
        "req-0001",
        "agency-a",
        "agency",
    )
    assert "email" not in inside
    (library,) = _events(err, "probe.stdlib")
    assert (library["request_id"], library["tenant"]) == ("req-0001", "agency-a")
    (access,) = _events(err, "http.request")
    assert access["request_id"] == "req-0001"
    assert (access["tenant"], access["role"]) == ("agency-a", "agency")
    assert (access["method"], access["path"], access["status"]) == ("GET", "/probe/{thing}", 200)
    assert access["duration_ms"] >= 0
    # Neither the query string nor the logged field (the test's own HTTP client logs its URL).
    server_lines = [line for line in json_lines(err) if not line["logger"].startswith("httpx")]
    assert "ana@example.org" not in str(server_lines)

    api.call("GET", "/probe-async", "agency-b", headers={HEADER: "req-0002"})
    (inside,) = _events(capsys.readouterr().err, "probe.async")
    assert (inside["request_id"], inside["tenant"]) == ("req-0002", "agency-b")


def test_real_routes_log_their_template_and_unauthenticated_ones_no_tenant(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    missing = api.call("GET", "/v1/candidates/999999", "agency-a")
    anonymous = api.call("GET", "/v1/candidates/999999", None)
    health = api.call("GET", "/healthz", None)
    first, second, third = _events(capsys.readouterr().err, "http.request")

    assert (first["path"], first["status"], first["tenant"]) == (
        "/v1/candidates/{candidate_id}",
        404,
        "agency-a",
    )
    assert first["request_id"] == missing.headers[HEADER]
    assert second["status"] == 401
    assert "tenant" not in second  # nothing bound by an earlier request leaks into this one
    assert second["request_id"] == anonymous.headers[HEADER] != first["request_id"]
    assert (third["path"], third["status"], third["request_id"]) == (
        "/healthz",
        200,
        health.headers[HEADER],
    )
    assert "request_id" not in structlog.contextvars.get_contextvars()


def test_an_unhandled_error_is_logged_with_its_request_id(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    app = _app(api)
    _add_probes(app)
    client = TestClient(app, raise_server_exceptions=False)
    capsys.readouterr()
    failed = client.get("/probe-fails", headers={HEADER: "req-0500"})
    assert failed.status_code == 500
    err = capsys.readouterr().err
    (error,) = _events(err, "unhandled error")
    assert error["request_id"] == "req-0500"
    assert "RuntimeError: a bug" in error["exception"]
    (access,) = _events(err, "http.request")
    assert (access["status"], access["request_id"]) == (500, "req-0500")


def test_matcher_log_level_is_honoured(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MATCHER_LOG_LEVEL", "WARNING")
    app = create_app(Settings(), engine=sqlite_engine)
    _add_probes(app)
    capsys.readouterr()
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
    assert capsys.readouterr().err == ""  # no info line, the access line included

    monkeypatch.setenv("MATCHER_LOG_LEVEL", "loud")
    with pytest.raises(ValueError, match="unknown log level 'loud'"):
        create_app(Settings(), engine=sqlite_engine)
