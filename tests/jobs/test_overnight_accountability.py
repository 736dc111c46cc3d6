"""Batch runs log every shortlist to the decision log and pause at the stop switch."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import col

from matcher.jobs.overnight import run_batch, run_status
from matcher.store.audit_tables import DecisionLogRow
from matcher.store.batch_tables import RUN_DONE, RUN_PAUSED, BatchResultRow
from matcher.store.db import read_session, write_session
from matcher.store.decision_log import verify_log
from matcher.store.oversight import set_stop
from tests.jobs.test_overnight import options, seed


def test_every_requisition_shortlisted_by_a_run_is_logged(engine: Engine) -> None:
    seed(engine)
    status = run_batch(engine, options("logged"))
    with read_session(engine) as session:
        shortlisted = session.scalar(
            select(func.count(func.distinct(BatchResultRow.requisition_id))).where(
                col(BatchResultRow.run_id) == "logged"
            )
        )
        logged = session.scalars(
            select(DecisionLogRow).where(col(DecisionLogRow.run_id) == "logged")
        ).all()
        assert verify_log(session).ok
    assert status.status == RUN_DONE
    assert shortlisted
    assert len(logged) == shortlisted
    assert {row.kind for row in logged} == {"batch"}
    assert {row.tenant for row in logged} == {"hospital-a"}
    assert sum(len(row.candidates) for row in logged) == status.results


def test_a_stopped_switch_pauses_the_run_and_resuming_finishes_it_identically(
    engine: Engine,
) -> None:
    seed(engine)
    reference = run_batch(engine, options("reference"))
    with write_session(engine) as session:
        set_stop(session, stopped=True, reason="bias review", actor="admin")
    paused = run_batch(engine, options("paused"))
    assert paused.status == RUN_PAUSED
    assert paused.chunks_done == 0
    with write_session(engine) as session:
        set_stop(session, stopped=False, reason="review done", actor="admin")
    resumed = run_batch(engine, options("paused"))
    assert resumed.status == RUN_DONE
    assert resumed.content_hash == reference.content_hash
    with read_session(engine) as session:
        assert run_status(session, "paused").results == reference.results
