"""Request dependencies: the engine and sessions live on app.state, built at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from matcher.storage.db import read_session


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_read_session(engine: EngineDep) -> Iterator[Session]:
    with read_session(engine) as session:
        yield session


ReadSession = Annotated[Session, Depends(get_read_session)]
