from __future__ import annotations

from fastapi import APIRouter

from api.deps import EngineDep
from api.schemas import Health
from matcher.store.db import ping

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(engine: EngineDep) -> Health:
    """Liveness and database reachability; needs no key."""
    return Health(status="ok", database=ping(engine))
