"""Request dependencies: the engine, settings and pool cache live on app.state.

Routes hand the engine to one service call, which opens its own transaction, so the commit
happens before the response is sent (a yield dependency would commit after it).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matcher.service.shortlists import Serving
from matcher.settings import Settings
from matcher.store.db import Engine


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_serving(request: Request) -> Serving:
    serving: Serving = request.app.state.serving
    return serving


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ServingDep = Annotated[Serving, Depends(get_serving)]
