"""Accountability tables: demographics, the hash-chained decision log, overrides, the stop switch.

Demographics live in their own table so that nothing on the ranking path can join them by
accident; only the audit reads them (through matcher.store.demographics). Decision-log rows
carry no foreign keys: erasing a candidate or closing a requisition must never rewrite or
cascade into the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from matcher.domain.decisions import GENESIS_HASH
from matcher.store.tables import JsonColumn, utcnow


class DemographicsRow(SQLModel, table=True):
    """Optional self-reported EEO-1 sex and race/ethnicity, and country of training."""

    __tablename__ = "demographics"

    candidate_id: int = Field(primary_key=True, foreign_key="candidate.id", ondelete="CASCADE")
    sex: str | None = Field(default=None, max_length=16)
    race_ethnicity: str | None = Field(default=None, max_length=64)
    country_of_training: str | None = Field(default=None, max_length=2)
    self_reported_at: datetime = Field(default_factory=utcnow)


class DecisionLogRow(SQLModel, table=True):
    """One ranking decision for one requisition; `hash` chains it to the record before it."""

    __tablename__ = "decision_log"
    __table_args__ = (UniqueConstraint("hash", name="uq_decision_log_hash"),)

    # Assigned under the head lock, not by the database, so a gap means a removed record.
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    run_id: str = Field(index=True, max_length=120)
    kind: str = Field(max_length=16)
    recorded_at: datetime = Field(index=True)
    tenant: str = Field(index=True, max_length=120)
    requisition_id: str = Field(max_length=120)
    model_version: str = Field(max_length=120)
    model_hash: str = Field(max_length=128)
    candidates: list[dict[str, Any]] = Field(sa_column=Column(JsonColumn, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class DecisionLogHeadRow(SQLModel, table=True):
    """The one-row head of the chain: appends lock it; the anchor is where pruning stopped."""

    __tablename__ = "decision_log_head"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0
    last_hash: str = Field(default=GENESIS_HASH, max_length=64)
    anchor_seq: int = 0
    anchor_hash: str = Field(default=GENESIS_HASH, max_length=64)


class OverrideRow(SQLModel, table=True):
    """A recruiter's change to a ranking, with who made it and why."""

    __tablename__ = "overrides"

    id: int | None = Field(default=None, primary_key=True)
    requisition_id: int = Field(foreign_key="requisition.id", index=True, ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    actor: str = Field(max_length=120)
    reason: str = Field(max_length=2000)
    action: str = Field(max_length=16)
    new_rank: int | None = None
    at: datetime = Field(default_factory=utcnow)


class RankingControlRow(SQLModel, table=True):
    """The admin stop switch: one row; no row means ranking runs."""

    __tablename__ = "ranking_control"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    stopped: bool = False
    reason: str | None = Field(default=None, max_length=2000)
    changed_by: str = Field(max_length=120)
    changed_at: datetime = Field(default_factory=utcnow)
