"""An in-process API client with keys for several tenants of every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from matcher.service.keys import Role, create_key
from matcher.settings import Settings
from matcher.store.db import write_session

TENANTS: dict[str, Role] = {
    "agency-a": Role.AGENCY,
    "agency-b": Role.AGENCY,
    "hospital-a": Role.HOSPITAL,
    "hospital-b": Role.HOSPITAL,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMIN,
}


@dataclass
class Api:
    client: TestClient
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, tenant: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[tenant]}", **extra}

    def call(self, method: str, url: str, tenant: str | None, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if tenant is not None:
            headers = {**self.headers(tenant), **headers}
        return self.client.request(method, url, headers=headers, **kwargs)


def make_api(engine: Engine, settings: Settings | None = None) -> Iterator[Api]:
    with write_session(engine) as session:
        tokens = {
            tenant: create_key(session=session, tenant=tenant, role=role).token
            for tenant, role in TENANTS.items()
        }
    with TestClient(create_app(settings or Settings(), engine=engine)) as client:
        yield Api(client, engine, tokens)


@pytest.fixture
def api(engine: Engine) -> Iterator[Api]:
    yield from make_api(engine)
