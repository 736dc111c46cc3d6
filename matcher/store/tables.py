"""SQLModel tables. Domain records are converted to and from these rows at the storage edge."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

# JSONB on PostgreSQL (indexable, compact), plain JSON text elsewhere.
JsonColumn = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class CandidateRow(SQLModel, table=True):
    __tablename__ = "candidate"
    __table_args__ = (
        UniqueConstraint("agency", "external_id", name="uq_candidate_agency_ext"),
        # SQLite: never reuse an erased candidate's id (matcher/store/sqlite_autoincrement.py).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    agency: str = Field(index=True, max_length=120)
    external_id: str = Field(max_length=120)
    occupation: str | None = Field(default=None, index=True, max_length=64)
    title: str = Field(max_length=200)
    country: str = Field(max_length=2)
    record: dict[str, Any] = Field(sa_column=Column(JsonColumn, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # Indexed: the serving pool cache reads max(updated_at) on every request.
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class CandidateChangeRow(SQLModel, table=True):
    """One row (id 1) whose counter every transaction that writes candidates increments.

    The increment locks the row until commit, so the committed counter moves on every committed
    candidate write, in commit order: the pool cache's fingerprint. max(id) and max(updated_at)
    alone can stay put when two writers commit out of order on PostgreSQL.
    """

    __tablename__ = "candidate_change"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    n: int = Field(sa_type=BigInteger)


class RequisitionRow(SQLModel, table=True):
    __tablename__ = "requisition"
    __table_args__ = (UniqueConstraint("owner", "external_id", name="uq_requisition_owner_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(index=True, max_length=120)
    external_id: str = Field(max_length=120)
    status: str = Field(default="open", index=True, max_length=16)
    occupation: str | None = Field(default=None, index=True, max_length=64)
    title: str = Field(max_length=200)
    country: str = Field(max_length=2)
    record: dict[str, Any] = Field(sa_column=Column(JsonColumn, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OutcomeRow(SQLModel, table=True):
    __tablename__ = "outcome"
    __table_args__ = (
        UniqueConstraint("requisition_id", "candidate_id", "stage", name="uq_outcome_pair_stage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requisition_id: int = Field(foreign_key="requisition.id", index=True, ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    stage: str = Field(max_length=16)
    at: date
    created_at: datetime = Field(default_factory=utcnow)
