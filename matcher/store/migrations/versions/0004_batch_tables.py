"""batch tables

Revision ID: 0004_batch
Revises: 0001
Create Date: 2026-11-27 02:55:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_batch"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "batch_run",
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("params", _JSON, nullable=False),
        sa.Column("model_version", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("candidate_id_max", sa.Integer(), nullable=False),
        sa.Column("requisitions", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("pairs_total", sa.Integer(), nullable=False),
        sa.Column("pairs_blocked", sa.Integer(), nullable=False),
        sa.Column("chunks_total", sa.Integer(), nullable=False),
        sa.Column("chunks_done", sa.Integer(), nullable=False),
        sa.Column("pairs_done", sa.Integer(), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("scoring_seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.PrimaryKeyConstraint("run_id"),
    )
    op.create_table(
        "batch_chunk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("requisition_ids", _JSON, nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["batch_run.run_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "chunk_no", name="uq_batch_chunk_run_no"),
    )
    with op.batch_alter_table("batch_chunk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_chunk_run_id"), ["run_id"], unique=False)

    op.create_table(
        "batch_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("eligibility", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("candidate_rank", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requisition_id"], ["requisition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["batch_run.run_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "run_id", "requisition_id", "candidate_id", name="uq_batch_result_run_pair"
        ),
    )
    with op.batch_alter_table("batch_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_batch_result_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_batch_result_requisition_id"), ["requisition_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_batch_result_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("batch_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_result_run_id"))
        batch_op.drop_index(batch_op.f("ix_batch_result_requisition_id"))
        batch_op.drop_index(batch_op.f("ix_batch_result_candidate_id"))
    op.drop_table("batch_result")
    with op.batch_alter_table("batch_chunk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_chunk_run_id"))
    op.drop_table("batch_chunk")
    op.drop_table("batch_run")
