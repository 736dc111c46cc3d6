"""Read side for the CLI and the API: a run's progress, its results, and a requisition's
latest shortlist (GET /v1/batch-runs/{id}, the hospitals' "latest overnight shortlist", the
Parquet export).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.errors import NotFoundError
from matcher.store.batch_tables import RUN_DONE, BatchResultRow, BatchRunRow


@dataclass(frozen=True)
class BatchRunStatus:
    run_id: str
    status: str
    model_version: str
    params: dict[str, Any]
    requisitions: int
    candidates: int
    pairs_total: int
    pairs_blocked: int
    pairs_pruned: int
    pairs_done: int
    chunks_done: int
    chunks_total: int
    results: int
    content_hash: str | None
    scoring_seconds: float
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    error: str | None

    @property
    def fraction_done(self) -> float:
        return self.pairs_done / self.pairs_blocked if self.pairs_blocked else 1.0

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("created_at", "updated_at", "finished_at"):
            out[name] = out[name].isoformat() if out[name] is not None else None
        out["fraction_done"] = self.fraction_done
        return out


@dataclass(frozen=True)
class BatchShortlistEntry:
    run_id: str
    requisition_id: int
    candidate_id: int
    rank: int
    score: float
    eligibility: str | None
    finished_at: datetime | None


def run_status(session: Session, run_id: str) -> BatchRunStatus:
    """Progress and counts of one run; NotFoundError if there is no such run."""
    run = session.get(BatchRunRow, run_id)
    if run is None:
        raise NotFoundError(f"batch run {run_id!r} not found")
    return BatchRunStatus(
        run_id=run.run_id,
        status=run.status,
        model_version=run.model_version,
        params=dict(run.params),
        requisitions=run.requisitions,
        candidates=run.candidates,
        pairs_total=run.pairs_total,
        pairs_blocked=run.pairs_blocked,
        pairs_pruned=run.pairs_total - run.pairs_blocked,
        pairs_done=run.pairs_done,
        chunks_done=run.chunks_done,
        chunks_total=run.chunks_total,
        results=run.results,
        content_hash=run.content_hash,
        scoring_seconds=run.scoring_seconds,
        created_at=run.created_at,
        updated_at=run.updated_at,
        finished_at=run.finished_at,
        error=run.error,
    )


def latest_results_for_requisition(
    session: Session, requisition_id: int, limit: int
) -> list[BatchShortlistEntry]:
    """The requisition's shortlist from the latest finished run, best first.

    Empty when the latest finished run has none for it (for example it opened after that
    run): an older run's list would be stale, so it is never shown instead. Callers check
    the requisition belongs to the hospital asking.
    """
    latest = session.scalars(
        select(BatchRunRow)
        .where(col(BatchRunRow.status) == RUN_DONE)
        .order_by(col(BatchRunRow.finished_at).desc(), col(BatchRunRow.run_id).desc())
        .limit(1)
    ).first()
    if latest is None:
        return []
    rows = session.scalars(
        select(BatchResultRow)
        .where(
            col(BatchResultRow.run_id) == latest.run_id,
            col(BatchResultRow.requisition_id) == requisition_id,
        )
        .order_by(col(BatchResultRow.rank))
        .limit(limit)
    ).all()
    return [
        BatchShortlistEntry(
            run_id=r.run_id,
            requisition_id=r.requisition_id,
            candidate_id=r.candidate_id,
            rank=r.rank,
            score=r.score,
            eligibility=r.eligibility,
            finished_at=latest.finished_at,
        )
        for r in rows
    ]


RESULT_COLUMNS = (
    "requisition_id",
    "candidate_id",
    "rank",
    "score",
    "eligibility",
    "candidate_rank",
)


def run_results(session: Session, run_id: str) -> dict[str, list[Any]]:
    """A run's results as columns (RESULT_COLUMNS), ordered by (requisition, rank)."""
    rows = session.execute(
        select(*(getattr(BatchResultRow, name) for name in RESULT_COLUMNS))
        .where(col(BatchResultRow.run_id) == run_id)
        .order_by(col(BatchResultRow.requisition_id), col(BatchResultRow.rank))
    ).all()
    return {name: [row[i] for row in rows] for i, name in enumerate(RESULT_COLUMNS)}
