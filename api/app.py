"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.openapi_links import install_links
from api.problems import install_problem_handlers
from api.request_ids import install_request_ids
from api.routes import admin, audit, candidates, health, requisitions
from matcher import __version__
from matcher.eligibility.gate import GateCache
from matcher.logs import configure_logging
from matcher.service.models import ModelCache
from matcher.service.pool_cache import PoolCache
from matcher.service.shortlists import Serving
from matcher.settings import Settings, get_settings
from matcher.store.db import Engine, make_engine


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the app; tests pass an `engine` of their own, the server builds one from settings."""
    settings = settings or get_settings()
    configure_logging(level=settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if engine is None:  # an engine handed in belongs to the caller
            app.state.engine.dispose()

    app = FastAPI(
        title="Imaging staffing matcher",
        version=__version__,
        summary="Ranked, eligibility-aware matches of imaging professionals to requisitions.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine if engine is not None else make_engine(settings.database_url)
    app.state.serving = Serving(
        pools=PoolCache(),
        models=ModelCache(),
        gates=GateCache(),
        models_dir=settings.models_dir,
        pseudonym_key=settings.pseudonym_key,
    )
    install_request_ids(app)
    install_problem_handlers(app)
    install_links(app)
    app.include_router(health.router)
    app.include_router(candidates.router)
    app.include_router(requisitions.router)
    app.include_router(audit.router)
    app.include_router(admin.router)
    return app
