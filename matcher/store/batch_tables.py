"""Tables for overnight batch runs: the run, its checkpointed chunks and its shortlists.

A chunk's results and its `done` status commit in one transaction, so a run killed at any
point resumes exactly where it stopped. Results reference candidates and requisitions with
ON DELETE CASCADE, and erasure also deletes them explicitly (matcher/service/erasure.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from matcher.store.tables import JsonColumn, utcnow

RUN_PENDING, RUN_RUNNING, RUN_DONE, RUN_FAILED = "pending", "running", "done", "failed"
RUN_PAUSED = "paused"  # the stop switch was on at a checkpoint; the same run id resumes it
CHUNK_PENDING, CHUNK_DONE = "pending", "done"


class BatchRunRow(SQLModel, table=True):
    """One batch run: its parameters, snapshot bound, counts, timings and status."""

    __tablename__ = "batch_run"

    run_id: str = Field(primary_key=True, max_length=64)
    status: str = Field(default=RUN_PENDING, max_length=16)
    params: dict[str, Any] = Field(sa_column=Column(JsonColumn, nullable=False))
    model_version: str = Field(max_length=200)
    candidate_id_max: int  # candidates added after the run started wait for the next run
    requisitions: int = 0
    candidates: int = 0
    pairs_total: int = 0  # requisitions x candidates
    pairs_blocked: int = 0  # pairs left after blocking: the ones scored
    chunks_total: int = 0
    chunks_done: int = 0
    pairs_done: int = 0
    results: int = 0
    content_hash: str | None = Field(default=None, max_length=64)
    scoring_seconds: float = 0.0  # summed over chunks, across resumptions
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    error: str | None = Field(default=None, max_length=500)


class BatchChunkRow(SQLModel, table=True):
    """A checkpoint: a fixed slice of the run's requisitions, done or not."""

    __tablename__ = "batch_chunk"
    __table_args__ = (UniqueConstraint("run_id", "chunk_no", name="uq_batch_chunk_run_no"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(
        foreign_key="batch_run.run_id", index=True, ondelete="CASCADE", max_length=64
    )
    chunk_no: int
    requisition_ids: list[int] = Field(sa_column=Column(JsonColumn, nullable=False))
    pairs: int
    status: str = Field(default=CHUNK_PENDING, max_length=16)
    results: int = 0
    seconds: float = 0.0
    done_at: datetime | None = None


class BatchResultRow(SQLModel, table=True):
    """One shortlisted pair of a run: the requisition's top-k, ranked; per-candidate rank too."""

    __tablename__ = "batch_result"
    __table_args__ = (
        UniqueConstraint(
            "run_id", "requisition_id", "candidate_id", name="uq_batch_result_run_pair"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(
        foreign_key="batch_run.run_id", index=True, ondelete="CASCADE", max_length=64
    )
    chunk_no: int
    requisition_id: int = Field(foreign_key="requisition.id", index=True, ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    rank: int  # 1 = best for the requisition
    score: float
    eligibility: str | None = Field(default=None, max_length=32)
    candidate_rank: int | None = None  # 1 = this candidate's best requisition in the run
