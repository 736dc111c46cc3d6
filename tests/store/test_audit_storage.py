"""Demographics, overrides and the stop switch on SQLite and PostgreSQL; the audit migration."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, delete
from sqlmodel import Session, SQLModel

from matcher.domain.demographics import RaceEthnicity, Sex
from matcher.domain.oversight import OverrideAction
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.errors import ForbiddenError, InvalidInputError, NotFoundError
from matcher.store.audit_tables import DemographicsRow
from matcher.store.candidates import upsert_candidates
from matcher.store.db import read_session, write_session
from matcher.store.demographics import read_for_audit, store_demographics, withdraw_demographics
from matcher.store.oversight import (
    is_stopped,
    list_overrides,
    ranking_status,
    record_override,
    set_stop,
)
from matcher.store.requisitions import upsert_requisitions
from matcher.store.tables import CandidateRow
from tests.factories import sample_records

AUDIT_TABLES = {"demographics", "decision_log", "decision_log_head", "overrides", "ranking_control"}


def _seed(session: Session) -> tuple[list[int], list[int]]:
    candidates, requisitions = sample_records(n_candidates=3, n_requisitions=1)
    cids = upsert_candidates(
        session=session,
        agency="agency-a",
        records=[CandidateRecord.model_validate(c) for c in candidates],
    ).ids
    rids = upsert_requisitions(
        session=session,
        owner="hospital-a",
        records=[RequisitionRecord.model_validate(r) for r in requisitions],
    ).ids
    return cids, rids


def test_the_migration_matches_the_audit_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [d for d in diffs if any(table in repr(d) for table in AUDIT_TABLES)] == []


def test_demographics_are_stored_and_read_by_auditors_only(engine: Engine) -> None:
    with write_session(engine) as session:
        (a, b, c), _ = _seed(session)
        store_demographics(session=session, candidate_id=a, sex="F", race_ethnicity="black")
        store_demographics(session=session, candidate_id=b, country_of_training="ph")
        store_demographics(session=session, candidate_id=b, country_of_training="IN")
    with read_session(engine) as session:
        with pytest.raises(ForbiddenError):
            read_for_audit(session=session, role="recruiter")
        found = read_for_audit(session=session, role="auditor")
    assert set(found) == {a, b}
    assert (found[a].sex, found[a].race_ethnicity) == (Sex.FEMALE, RaceEthnicity.BLACK)
    assert found[b].country_of_training == "IN"  # a new self-report replaces the old one
    assert found[b].sex is None
    with write_session(engine) as session:
        assert withdraw_demographics(session=session, candidate_id=a)
        assert not withdraw_demographics(session=session, candidate_id=c)


def test_bad_demographics_are_all_reported(engine: Engine) -> None:
    with write_session(engine) as session:
        (a, *_), _ = _seed(session)
        with pytest.raises(InvalidInputError) as caught:
            store_demographics(
                session=session,
                candidate_id=a,
                sex="x",
                race_ethnicity="y",
                country_of_training="ZZ",
            )
        assert all(
            f in caught.value.detail for f in ("sex", "race_ethnicity", "country_of_training")
        )
        with pytest.raises(NotFoundError):
            store_demographics(session=session, candidate_id=10_000, sex="M")


def test_deleting_a_candidate_deletes_their_demographics_but_not_the_log(engine: Engine) -> None:
    with write_session(engine) as session:
        (a, *_), _ = _seed(session)
        store_demographics(session=session, candidate_id=a, sex="M")
    with write_session(engine) as session:
        session.execute(delete(CandidateRow).where(CandidateRow.id == a))  # type: ignore[arg-type]
    with read_session(engine) as session:
        assert session.get(DemographicsRow, a) is None
        assert read_for_audit(session=session, role="auditor") == {}
    log_keys = SQLModel.metadata.tables["decision_log"].foreign_keys
    assert log_keys == set()  # erasure never cascades into the log


def test_overrides_are_recorded_with_actor_and_reason(engine: Engine) -> None:
    with write_session(engine) as session:
        (a, b, _), (r,) = _seed(session)
        record_override(
            session=session,
            requisition_id=r,
            candidate_id=a,
            actor="recruiter-1",
            reason="Holds the state licence the profile omits",
            action="set_rank",
            new_rank=1,
        )
        record_override(
            session=session,
            requisition_id=r,
            candidate_id=b,
            actor="recruiter-1",
            reason="Withdrew by phone",
            action=OverrideAction.REMOVE,
        )
    with read_session(engine) as session:
        found = list_overrides(session=session, requisition_id=r)
    assert [(o.candidate_id, o.action, o.new_rank) for o in found] == [
        (a, OverrideAction.SET_RANK, 1),
        (b, OverrideAction.REMOVE, None),
    ]
    assert found[0].actor == "recruiter-1"


def test_bad_overrides_list_every_problem(engine: Engine) -> None:
    with write_session(engine) as session:
        (a, *_), (r,) = _seed(session)
        with pytest.raises(InvalidInputError) as caught:
            record_override(
                session=session,
                requisition_id=r,
                candidate_id=a,
                actor=" ",
                reason="",
                action="set_rank",
            )
        detail = caught.value.detail
        assert "actor is required" in detail
        assert "reason is required" in detail
        assert "new_rank" in detail
        with pytest.raises(NotFoundError, match="candidate 9999"):
            record_override(
                session=session,
                requisition_id=r,
                candidate_id=9999,
                actor="x",
                reason="y",
                action="shortlist",
            )


def test_the_stop_switch_stops_and_resumes_with_who_and_why(engine: Engine) -> None:
    with read_session(engine) as session:
        assert not is_stopped(session)
    with write_session(engine) as session:
        status = set_stop(
            session, stopped=True, reason="Audit found a flagged ratio", actor="admin-1"
        )
    assert (status.stopped, status.changed_by) == (True, "admin-1")
    with read_session(engine) as session:
        assert is_stopped(session)
    with write_session(engine) as session:
        set_stop(session, stopped=False, reason="Model retrained", actor="admin-2")
    with read_session(engine) as session:
        status = ranking_status(session)
    assert (status.stopped, status.reason, status.changed_by) == (
        False,
        "Model retrained",
        "admin-2",
    )
    with write_session(engine) as session, pytest.raises(InvalidInputError, match="reason"):
        set_stop(session, stopped=True, reason="", actor="admin-1")
