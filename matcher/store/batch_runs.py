"""The run's rows: create or resume a run, commit a chunk atomically, finalise.

A chunk's results, its `done` status and the run's counters commit in one transaction: a
run killed anywhere either has the chunk entirely or not at all, so a resumed run finishes
with exactly the rows an uninterrupted one would have. Candidates erased and requisitions
closed since the run started are filtered out inside that same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select, text, update
from sqlmodel import Session, col

from matcher.domain.decisions import Decision
from matcher.domain.overnight import PlannedChunk
from matcher.domain.overnight import ShortlistedPair as Shortlisted
from matcher.errors import ConflictError, InvalidInputError, ServiceUnavailableError
from matcher.store.batch_tables import (
    CHUNK_DONE,
    CHUNK_PENDING,
    RUN_DONE,
    RUN_FAILED,
    RUN_PAUSED,
    RUN_RUNNING,
    BatchChunkRow,
    BatchResultRow,
    BatchRunRow,
)
from matcher.store.db import write_session
from matcher.store.decision_log import append_decisions
from matcher.store.errors import ConstraintViolationError
from matcher.store.oversight import is_stopped
from matcher.store.tables import CandidateRow, RequisitionRow, utcnow

# Called with (stage, chunk_no): "written" inside the chunk's transaction before it commits,
# "committed" after. Tests raise from it to kill a run at a chosen checkpoint.
CheckpointHook = Callable[[str, int], None]
_IN_CHUNK = 500


def get_run(session: Session, run_id: str) -> BatchRunRow | None:
    return session.get(BatchRunRow, run_id)


def check_same_params(run: BatchRunRow, params: dict[str, Any], model_version: str) -> None:
    """A resumed run must be the same run: every differing parameter is reported at once."""
    wanted = {**params, "model_version": model_version}
    stored = {**run.params, "model_version": run.model_version}
    problems = [
        f"{key}: run has {stored.get(key)!r}, asked for {wanted.get(key)!r}"
        for key in sorted(set(wanted) | set(stored))
        if stored.get(key) != wanted.get(key)
    ]
    if problems:
        raise InvalidInputError(
            f"run {run.run_id!r} exists with other parameters; use a new run id or the same "
            "parameters: " + "; ".join(problems)
        )


def create_run(
    session: Session,
    *,
    run_id: str,
    params: dict[str, Any],
    model_version: str,
    candidate_id_max: int,
    candidates: int,
    requisition_pairs: dict[int, int],
    chunks: Sequence[PlannedChunk],
) -> BatchRunRow:
    run = BatchRunRow(
        run_id=run_id,
        status=RUN_RUNNING,
        params=params,
        model_version=model_version,
        candidate_id_max=candidate_id_max,
        requisitions=len(requisition_pairs),
        candidates=candidates,
        pairs_total=len(requisition_pairs) * candidates,
        pairs_blocked=sum(requisition_pairs.values()),
        chunks_total=len(chunks),
    )
    session.add(run)
    session.flush()
    session.add_all(
        BatchChunkRow(
            run_id=run_id,
            chunk_no=c.chunk_no,
            requisition_ids=list(c.requisition_ids),
            pairs=c.pairs,
        )
        for c in chunks
    )
    session.flush()
    return run


def pending_chunks(session: Session, run_id: str) -> list[PlannedChunk]:
    rows = session.scalars(
        select(BatchChunkRow)
        .where(col(BatchChunkRow.run_id) == run_id, col(BatchChunkRow.status) == CHUNK_PENDING)
        .order_by(col(BatchChunkRow.chunk_no))
    ).all()
    return [PlannedChunk(r.chunk_no, tuple(r.requisition_ids), r.pairs) for r in rows]


def _existing(session: Session, table: Any, ids: Sequence[int], *extra: Any) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), _IN_CHUNK):
        part = list(ids[start : start + _IN_CHUNK])
        found.update(session.scalars(select(table.id).where(table.id.in_(part), *extra)).all())
    return found


@dataclass(frozen=True)
class Accountability:
    """What each checkpoint needs to log its decisions and honour the stop switch."""

    pseudonym_key: str
    # Per requisition id: the scorer label and artefact hash its ranking policy chose.
    cited: Mapping[int, tuple[str, str]]


class RankingStoppedError(ServiceUnavailableError):
    """An administrator stopped ranking; the run pauses at this checkpoint and can resume."""


def _write_chunk(
    session: Session,
    run_id: str,
    chunk: PlannedChunk,
    rows: Sequence[Shortlisted],
    seconds: float,
    hook: CheckpointHook | None,
    accountability: Accountability,
) -> int | None:
    state = session.scalars(
        select(BatchChunkRow)
        .where(col(BatchChunkRow.run_id) == run_id, col(BatchChunkRow.chunk_no) == chunk.chunk_no)
        .with_for_update()
    ).one()
    if state.status == CHUNK_DONE:  # another process resuming the same run got here first
        return None
    if is_stopped(session):
        raise RankingStoppedError("ranking is stopped by an administrator; resume the run later")
    run = session.get(BatchRunRow, run_id)
    if run is None:
        raise ConflictError(f"run {run_id!r} vanished while running")
    # Still there, and the same person: SQLite reuses an erased highest id for the next insert,
    # so a row created after the run started under a scored id is someone else.
    live_candidates = _existing(
        session,
        CandidateRow,
        sorted({r.candidate_id for r in rows}),
        col(CandidateRow.id) <= run.candidate_id_max,
        col(CandidateRow.created_at) <= run.created_at,
    )
    open_requisitions = _existing(
        session,
        RequisitionRow,
        sorted({r.requisition_id for r in rows}),
        col(RequisitionRow.status) == "open",
    )
    kept = [
        r
        for r in rows
        if r.candidate_id in live_candidates and r.requisition_id in open_requisitions
    ]
    if kept:
        session.execute(
            insert(BatchResultRow),
            [
                {
                    "run_id": run_id,
                    "chunk_no": chunk.chunk_no,
                    "requisition_id": r.requisition_id,
                    "candidate_id": r.candidate_id,
                    "rank": r.rank,
                    "score": r.score,
                    "eligibility": r.eligibility,
                }
                for r in kept
            ],
        )
    _log_decisions(session, run_id, kept, accountability)
    state.status, state.results, state.seconds, state.done_at = (
        CHUNK_DONE,
        len(kept),
        seconds,
        utcnow(),
    )
    session.execute(
        update(BatchRunRow)
        .where(col(BatchRunRow.run_id) == run_id)
        .values(
            chunks_done=BatchRunRow.chunks_done + 1,
            pairs_done=BatchRunRow.pairs_done + chunk.pairs,
            results=BatchRunRow.results + len(kept),
            scoring_seconds=BatchRunRow.scoring_seconds + seconds,
            updated_at=utcnow(),
        )
    )
    session.flush()
    if hook is not None:
        hook("written", chunk.chunk_no)
    return len(kept)


def _log_decisions(
    session: Session, run_id: str, kept: Sequence[Shortlisted], accountability: Accountability
) -> None:
    """One hash-chained decision record per requisition of the chunk, in its transaction."""
    by_requisition: dict[int, list[Shortlisted]] = {}
    for row in kept:
        by_requisition.setdefault(row.requisition_id, []).append(row)
    if not by_requisition:
        return
    owners = dict(
        session.execute(
            select(col(RequisitionRow.id), col(RequisitionRow.owner)).where(
                col(RequisitionRow.id).in_(sorted(by_requisition))
            )
        ).all()
    )
    append_decisions(
        session,
        [
            Decision(
                run_id=run_id,
                kind="batch",
                tenant=owners[requisition_id],
                requisition_id=str(requisition_id),
                model_version=accountability.cited[requisition_id][0],
                model_hash=accountability.cited[requisition_id][1],
                ranked=sorted(rows, key=lambda r: r.rank),
            )
            for requisition_id, rows in sorted(by_requisition.items())
        ],
        pseudonym_key=accountability.pseudonym_key,
    )


def commit_chunk(
    engine: Engine,
    run_id: str,
    chunk: PlannedChunk,
    rows: Sequence[Shortlisted],
    *,
    seconds: float,
    accountability: Accountability,
    hook: CheckpointHook | None = None,
) -> int | None:
    """Store a chunk's results and mark it done, atomically; None if it was already done.

    One retry covers an erasure that committed between the filter and the insert (a
    foreign-key violation): the second attempt filters again.
    """
    for attempt in (1, 2):
        try:
            with write_session(engine) as session:
                written = _write_chunk(session, run_id, chunk, rows, seconds, hook, accountability)
            break
        except ConstraintViolationError:
            if attempt == 2:
                raise
    if hook is not None:
        hook("committed", chunk.chunk_no)
    return written


def content_hash(session: Session, run_id: str) -> str:
    """SHA-256 of the run's results in a canonical order, independent of the run id."""
    digest = hashlib.sha256()
    rows = session.execute(
        select(
            col(BatchResultRow.requisition_id),
            col(BatchResultRow.rank),
            col(BatchResultRow.candidate_id),
            col(BatchResultRow.score),
            col(BatchResultRow.eligibility),
            col(BatchResultRow.candidate_rank),
        )
        .where(col(BatchResultRow.run_id) == run_id)
        .order_by(col(BatchResultRow.requisition_id), col(BatchResultRow.rank))
    ).all()
    for row in rows:
        digest.update((",".join(repr(v) for v in row) + "\n").encode())
    return digest.hexdigest()


_CANDIDATE_RANKS = text(
    """
    UPDATE batch_result SET candidate_rank = ranked.place
    FROM (
        SELECT id, ROW_NUMBER() OVER (
            PARTITION BY candidate_id ORDER BY score DESC, requisition_id
        ) AS place
        FROM batch_result WHERE run_id = :run_id
    ) AS ranked
    WHERE batch_result.id = ranked.id
    """
)


def finalise(engine: Engine, run_id: str) -> BatchRunRow:
    """Rank each candidate's shortlisted requisitions, hash the content, mark the run done.

    Idempotent: a run killed during finalisation finalises again from the same rows.
    """
    with write_session(engine) as session:
        session.execute(_CANDIDATE_RANKS, {"run_id": run_id})
        run = session.get(BatchRunRow, run_id)
        if run is None:
            raise ConflictError(f"run {run_id!r} vanished while finishing")
        pending = pending_chunks(session, run_id)
        if pending:
            raise ConflictError(f"run {run_id!r} still has {len(pending)} chunk(s) to do")
        run.content_hash = content_hash(session, run_id)
        # Recounted: erasures since a chunk committed removed some of its rows.
        run.results = session.execute(
            select(func.count()).where(col(BatchResultRow.run_id) == run_id)
        ).scalar_one()
        run.status = RUN_DONE
        run.finished_at = run.updated_at = utcnow()
        session.flush()
        return run


def mark_paused(engine: Engine, run_id: str, reason: str) -> None:
    with write_session(engine) as session:
        run = session.get(BatchRunRow, run_id)
        if run is not None and run.status != RUN_DONE:
            run.status = RUN_PAUSED
            run.error = reason[:500]
            run.updated_at = utcnow()


def mark_failed(engine: Engine, run_id: str, error: str) -> None:
    with write_session(engine) as session:
        run = session.get(BatchRunRow, run_id)
        if run is not None and run.status != RUN_DONE:
            run.status = RUN_FAILED
            run.error = error[:500]
            run.updated_at = utcnow()
