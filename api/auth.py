"""Bearer-key authentication and role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import EngineDep
from matcher.errors import ForbiddenError, UnauthenticatedError
from matcher.service.keys import Principal, Role, authenticate
from matcher.store.db import read_session

_bearer = HTTPBearer(auto_error=False, description="An API key from `matcher keys create`")


def current_principal(
    request: Request,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthenticatedError("send 'Authorization: Bearer <key>'")
    with read_session(engine) as session:
        principal = authenticate(session=session, token=credentials.credentials)
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that admits only `roles` (403 for a valid key of another role)."""

    # Async on purpose: it runs in the request's own task, so the context it binds reaches the
    # route and everything the route calls (sync routes run in threads that copy this
    # context). What a sync dependency binds stays in its worker thread.
    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        structlog.contextvars.bind_contextvars(tenant=principal.tenant, role=principal.role.value)
        if principal.role not in roles:
            raise ForbiddenError(f"this operation needs the role: {', '.join(roles)}")
        return principal

    return dependency


Agency = Annotated[Principal, Depends(require(Role.AGENCY))]
Hospital = Annotated[Principal, Depends(require(Role.HOSPITAL))]
Auditor = Annotated[Principal, Depends(require(Role.AUDITOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
