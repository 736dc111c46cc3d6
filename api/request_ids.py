"""A request id on every request, response and log line, and one access line per request."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable

import structlog
from fastapi import FastAPI, Request, Response

from matcher.service.keys import Principal

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

log = structlog.get_logger("api.access")


def _route_path(request: Request) -> str:
    # The template (`/v1/candidates/{candidate_id}`) groups requests and holds no ids; the raw
    # path is the fallback when no route matched (a 404).
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else request.url.path


def install_request_ids(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A client's own id is kept when it is plainly an id; anything else is replaced.
        offered = request.headers.get(HEADER, "")
        request.state.request_id = offered if _ACCEPTED.match(offered) else uuid.uuid4().hex
        bound = structlog.contextvars.bind_contextvars(request_id=request.state.request_id)
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception:
            # Left bound: the unhandled-error handler outside this middleware logs next, and
            # its line should carry the id too. The request's task, and its context, end there.
            _log_access(request, status=500, started=started)
            raise
        response.headers[HEADER] = request.state.request_id
        _log_access(request, status=response.status_code, started=started)
        structlog.contextvars.reset_contextvars(**bound)
        return response


def _log_access(request: Request, *, status: int, started: float) -> None:
    # Method, route and outcome only: query strings and bodies may hold personal data.
    # The tenant is bound inside the route's own task (api/auth.py), which this line is not
    # part of, so it is read from the request's state instead.
    principal: Principal | None = getattr(request.state, "principal", None)
    who = {"tenant": principal.tenant, "role": principal.role.value} if principal else {}
    log.info(
        "http.request",
        method=request.method,
        path=_route_path(request),
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        **who,
    )
