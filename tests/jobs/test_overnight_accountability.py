"""Batch runs log every shortlist to the decision log and pause at the stop switch."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import col
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from matcher.errors import ServiceUnavailableError
from matcher.jobs.overnight import run_status
from matcher.store.audit_tables import DecisionLogRow
from matcher.store.batch_tables import (
    RUN_DONE,
    RUN_PAUSED,
    BatchChunkRow,
    BatchResultRow,
    BatchRunRow,
)
from matcher.store.db import read_session, write_session
from matcher.store.decision_log import verify_log
from matcher.store.oversight import set_stop
from tests.jobs.test_overnight import options, run, seed


def test_every_requisition_shortlisted_by_a_run_is_logged(engine: Engine) -> None:
    seed(engine)
    status = run(engine, options("logged"))
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


def _stop(engine: Engine, *, stopped: bool) -> None:
    with write_session(engine) as session:
        set_stop(session, stopped=stopped, reason="bias review", actor="admin")


def test_a_switch_thrown_mid_run_pauses_it_and_resuming_finishes_it_identically(
    engine: Engine,
) -> None:
    seed(engine)
    reference = run(engine, options("reference"))

    def stop_after_the_first_chunk(stage: str, chunk_no: int) -> None:
        if (stage, chunk_no) == ("committed", 0):
            _stop(engine, stopped=True)

    paused = run(engine, options("paused"), hook=stop_after_the_first_chunk)
    assert paused.status == RUN_PAUSED
    assert paused.chunks_done == 1
    with pytest.raises(ServiceUnavailableError):  # still stopped: the run stays paused
        run(engine, options("paused"))
    with read_session(engine) as session:
        assert run_status(session, "paused").status == RUN_PAUSED
    _stop(engine, stopped=False)
    resumed = run(engine, options("paused"))
    assert resumed.status == RUN_DONE
    assert resumed.content_hash == reference.content_hash
    with read_session(engine) as session:
        assert run_status(session, "paused").results == reference.results


def test_a_run_does_not_start_while_ranking_is_stopped(engine: Engine) -> None:
    seed(engine)
    _stop(engine, stopped=True)
    with pytest.raises(ServiceUnavailableError, match="stopped"):
        run(engine, options("refused"))
    with read_session(engine) as session:
        assert session.get(BatchRunRow, "refused") is None
        assert session.scalar(select(func.count()).select_from(BatchChunkRow)) == 0
        assert session.scalar(select(func.count()).select_from(DecisionLogRow)) == 0


def test_every_log_line_of_a_run_carries_its_run_id(engine: Engine) -> None:
    seed(engine, n_candidates=40, n_requisitions=6)
    with capture_logs(processors=[merge_contextvars]) as logged:
        run(engine, options("traced"))
    events = [e for e in logged if e["event"].startswith("batch.")]
    assert {"batch.planned", "batch.started", "batch.chunk_done", "batch.finished"} <= {
        e["event"] for e in events
    }
    assert {e.get("run_id") for e in events} == {"traced"}
