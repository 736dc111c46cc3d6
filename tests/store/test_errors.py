"""Database failures leave the store translated: nothing above it catches a SQL library's error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from matcher.errors import InvalidInputError, ServiceUnavailableError
from matcher.store import db
from matcher.store.db import read_session, write_session
from matcher.store.errors import ConstraintViolationError, DatabaseBusyError, UnstorableValueError
from matcher.store.keys import insert_key
from matcher.store.requisitions import requisition_ids_by_external


def _key(engine: Engine) -> None:
    with write_session(engine) as session:
        insert_key(
            session=session,
            key_id="k1",
            secret_hash="0" * 64,
            tenant="t",
            role="agency",
            label=None,
        )


def test_a_duplicate_is_a_constraint_violation_and_nothing_is_kept(engine: Engine) -> None:
    _key(engine)
    with pytest.raises(ConstraintViolationError):
        _key(engine)
    assert not issubclass(ConstraintViolationError, InvalidInputError)  # unexpected ones: 500


def test_a_nul_character_is_invalid_input_where_it_cannot_be_stored(engine: Engine) -> None:
    def look_up() -> dict[str, int]:
        with read_session(engine) as session:
            return requisition_ids_by_external(session=session, owner="h", external_ids=["\x00"])

    if engine.dialect.name == "postgresql":
        with pytest.raises(UnstorableValueError) as caught:
            look_up()
        assert isinstance(caught.value, InvalidInputError)
        assert "\x00" not in caught.value.detail
    else:
        assert look_up() == {}


def test_a_write_lock_not_granted_in_time_is_busy_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    engine = db.make_engine(f"sqlite:///{tmp_path}/busy.db")
    db.upgrade(engine)
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock throughout
    try:
        with pytest.raises(DatabaseBusyError) as caught:
            _key(engine)
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()
    assert isinstance(caught.value, ServiceUnavailableError)
    assert caught.value.retry_after_s == 1


def test_ping_names_the_database(engine: Engine) -> None:
    assert db.ping(engine) == engine.dialect.name
