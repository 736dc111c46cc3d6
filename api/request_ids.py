"""A request id on every request and response: the decision log and logs refer to it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def install_request_ids(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A client's own id is kept when it is plainly an id; anything else is replaced.
        offered = request.headers.get(HEADER, "")
        request.state.request_id = offered if _ACCEPTED.match(offered) else uuid.uuid4().hex
        response = await call_next(request)
        response.headers[HEADER] = request.state.request_id
        return response
