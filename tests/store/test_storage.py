from __future__ import annotations

from sqlalchemy import Engine, inspect

from matcher.store.db import read_session, upgrade
from matcher.store.rows import count_rows


def test_migrations_create_every_table_and_are_idempotent(engine: Engine) -> None:
    upgrade(engine)  # a second upgrade is a no-op, not an error
    names = set(inspect(engine).get_table_names())
    assert {"candidate", "requisition", "outcome", "alembic_version"} <= names
    with read_session(engine) as session:
        assert count_rows(session=session) == {
            "candidate": 0,
            "requisition": 0,
            "outcome": 0,
        }
