"""A SQLite database migrated before candidate ids were AUTOINCREMENT is rebuilt without loss."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, func, select, text
from sqlmodel import col

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.store.audit_tables import DemographicsRow
from matcher.store.candidates import upsert_candidates
from matcher.store.db import alembic_config, make_engine, upgrade, write_session
from matcher.store.requisitions import upsert_requisitions
from matcher.store.sqlite_autoincrement import ensure_candidate_autoincrement, has_autoincrement
from matcher.store.tables import CandidateRow, OutcomeRow
from tests.factories import sample_records


def _migrated_without_the_rebuild(path: Path) -> Engine:
    """The schema as the Alembic migrations alone leave it (what older databases have)."""
    engine = make_engine(f"sqlite:///{path}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    return engine


def _seed(engine: Engine) -> list[int]:
    raw_candidates, raw_requisitions = sample_records(n_candidates=6, n_requisitions=1)
    with write_session(engine) as session:
        stored = upsert_candidates(
            session=session,
            agency="agency-a",
            records=[CandidateRecord.model_validate(c) for c in raw_candidates],
        )
        requisitions = upsert_requisitions(
            session=session,
            owner="hospital-a",
            records=[RequisitionRecord.model_validate(r) for r in raw_requisitions],
        )
        ids = list(stored.ids)
        for candidate_id in ids:
            session.add(DemographicsRow(candidate_id=candidate_id, sex="female"))
            session.add(OutcomeRow(requisition_id=requisitions.ids[0], candidate_id=candidate_id,
                                   stage="shortlisted", at=date(2026, 1, 5)))  # fmt: skip
    return ids


def _snapshot(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        return {
            "candidates": connection.execute(
                select(
                    col(CandidateRow.id), col(CandidateRow.external_id), col(CandidateRow.record)
                ).order_by(col(CandidateRow.id))
            ).all(),
            "outcomes": connection.execute(select(func.count()).select_from(OutcomeRow)).scalar(),
            "demographics": connection.execute(
                select(func.count()).select_from(DemographicsRow)
            ).scalar(),
            "indexes": sorted(
                connection.execute(
                    text(
                        "SELECT name FROM sqlite_master"
                        " WHERE type = 'index' AND tbl_name = 'candidate'"
                    )
                ).scalars()
            ),
        }


def test_an_old_database_is_rebuilt_with_every_row_and_index_kept(tmp_path: Path) -> None:
    engine = _migrated_without_the_rebuild(tmp_path / "old.db")
    assert has_autoincrement(engine) is False
    ids = _seed(engine)
    before = _snapshot(engine)
    assert before["outcomes"] == before["demographics"] == len(ids)

    assert ensure_candidate_autoincrement(engine) is True
    assert has_autoincrement(engine) is True
    assert _snapshot(engine) == before  # rows, children (no cascade fired) and indexes
    assert ensure_candidate_autoincrement(engine) is False  # idempotent
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []

    # The highest id, erased, is never handed out again; cascades still work.
    highest = max(ids)
    with write_session(engine) as session:
        session.execute(text("DELETE FROM candidate WHERE id = :id"), {"id": highest})
    after = _snapshot(engine)
    assert after["outcomes"] == after["demographics"] == len(ids) - 1
    raw, _ = sample_records(n_candidates=7, n_requisitions=1)
    with write_session(engine) as session:
        newcomer = upsert_candidates(
            session=session, agency="agency-a", records=[CandidateRecord.model_validate(raw[6])]
        )
    assert newcomer.ids[0] > highest


def test_upgrade_builds_new_sqlite_databases_with_autoincrement(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade(engine)
    assert has_autoincrement(engine) is True
    upgrade(engine)  # again: nothing to do
    assert has_autoincrement(engine) is True


def test_postgresql_is_left_alone(postgresql_engine: Engine) -> None:
    """Its sequences never go back, so there is nothing to rebuild."""
    assert ensure_candidate_autoincrement(postgresql_engine) is False
