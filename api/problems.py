"""RFC 9457 problem responses: one mapping from engine errors to HTTP, no stack traces out."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    MatcherError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceUnavailableError,
    UnauthenticatedError,
    rule_message,
)
from matcher.store.errors import DatabaseBusyError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("api")

STATUS_BY_ERROR: tuple[tuple[type[MatcherError], int], ...] = (
    (BadRequestError, 400),
    (NotFoundError, 404),
    (ConflictError, 409),
    (ForbiddenError, 403),
    (UnauthenticatedError, 401),
    (PayloadTooLargeError, 413),
    (InvalidInputError, 422),
    (ServiceUnavailableError, 503),
)


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _status_for(exc: MatcherError) -> int:
    return next((code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind)), 400)


async def _matcher_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MatcherError)  # noqa: S101  (registered for MatcherError only)
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInputError) and exc.rows:
        extra["errors"] = [
            {"index": r.index, "field": e.field, "message": e.message}
            for r in exc.rows
            for e in r.errors
        ]
    response = problem(_status_for(exc), exc.title, exc.detail, **extra)
    if isinstance(exc, DatabaseBusyError):
        # SQLite gave up waiting for the write lock: load, not a bug; retry soon.
        response.headers["Retry-After"] = str(exc.retry_after_s)
    elif isinstance(exc, ServiceUnavailableError):
        response.headers["Retry-After"] = "60"
    return response


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    # Location and message only: submitted values are never echoed back.
    errors = [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "message": rule_message(err)}
        for err in exc.errors()
    ]
    return problem(422, "Invalid request", "the request did not validate", errors=errors)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    detail = exc.detail if isinstance(exc.detail, str) else None
    response = problem(exc.status_code, title, detail)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "Internal server error", "the error was logged; nothing was changed")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MatcherError, _matcher_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
