"""Tables behind the multi-tenant API: keys, idempotent batches, erasure and disclosures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from matcher.store.tables import JsonColumn, utcnow


class ApiKeyRow(SQLModel, table=True):
    """A bearer key. Only a SHA-256 of its secret is stored; the secret is shown once."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    key_id: str = Field(unique=True, max_length=32)
    secret_hash: str = Field(max_length=64)
    tenant: str = Field(index=True, max_length=120)
    role: str = Field(max_length=16)
    label: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class IdempotencyRow(SQLModel, table=True):
    """The first response to a batch, replayed for retries with the same key and payload."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("tenant", "key", name="uq_idempotency_tenant_key"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant: str = Field(max_length=120)
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = Field(sa_column=Column(JsonColumn, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ErasureLedgerRow(SQLModel, table=True):
    """Keyed hash of (agency, external_id) of an erased person, so replays cannot restore them."""

    __tablename__ = "erasure_ledger"

    id: int | None = Field(default=None, primary_key=True)
    subject_hash: str = Field(unique=True, max_length=64)
    erased_at: datetime = Field(default_factory=utcnow)


class CandidateTombstoneRow(SQLModel, table=True):
    """What stays of an erased candidate: a pseudonym, the agency and when."""

    __tablename__ = "candidate_tombstone"

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(unique=True, max_length=64)
    agency: str = Field(max_length=120)
    erased_at: datetime = Field(default_factory=utcnow)


class DisclosureRow(SQLModel, table=True):
    """A hospital was shown a candidate for a requisition (for erasure notices and feedback)."""

    __tablename__ = "disclosure"
    __table_args__ = (
        UniqueConstraint("requisition_id", "candidate_id", name="uq_disclosure_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requisition_id: int = Field(foreign_key="requisition.id", index=True, ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    hospital: str = Field(max_length=120)
    first_at: datetime = Field(default_factory=utcnow)
