"""Shared fixtures. One test body runs on SQLite and PostgreSQL through the `engine` fixture.

PostgreSQL: MATCHER_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
Each test session works in its own schema, dropped at the end, so runs never collide.
When the server is down the PostgreSQL cases are skipped locally, and fail when
MATCHER_REQUIRE_POSTGRES=1 (as .ci/run sets), so CI can never pass on SQLite alone.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

# Imported so that every table is registered, and so emptied between tests.
import matcher.store.api_tables
import matcher.store.audit_tables
import matcher.store.batch_tables
import matcher.store.service_tables  # noqa: F401
from matcher.store.db import make_engine, upgrade

POSTGRES_URL = os.environ.get(
    "MATCHER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("MATCHER_REQUIRE_POSTGRES") == "1"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _postgres_available() -> str | None:
    try:
        probe = make_engine(POSTGRES_URL)
        with probe.connect() as conn:
            conn.execute(text("select 1"))
        probe.dispose()
    except Exception as exc:  # any failure to connect means "not available"
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    problem = _postgres_available()
    if problem is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unavailable: {problem}")
        pytest.skip(f"PostgreSQL unavailable: {problem}")
    schema = f"t_{secrets.token_hex(6)}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("db") / "matcher.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
            # AUTOINCREMENT counters, as RESTART IDENTITY resets PostgreSQL's sequences.
            if conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
            ).scalar():
                conn.exec_driver_sql("DELETE FROM sqlite_sequence")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated, empty database: SQLite and PostgreSQL in turn."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    _empty_tables(engine)
    return engine


from tests.api_support import api  # noqa: E402, F401  (shared fixture: an authenticated client)
