from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import ReadSession
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(session: ReadSession) -> Health:
    """Liveness and database reachability; needs no key."""
    session.execute(text("select 1"))
    return Health(status="ok", database=session.get_bind().dialect.name)
