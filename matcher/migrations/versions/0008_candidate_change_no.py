"""candidate.change_no: the change count of the transaction that last wrote the row

Revision ID: 0008_candidate_change_no
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_candidate_change_no"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # add_column, not a batch: on SQLite a batch would recreate the table (and its rowids'
    # AUTOINCREMENT, which matcher/storage/sqlite_autoincrement.py restores after migrations).
    op.add_column("candidate", sa.Column("change_no", sa.BigInteger(), nullable=True))
    op.create_index("ix_candidate_change_no", "candidate", ["change_no"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_candidate_change_no", table_name="candidate")
    op.drop_column("candidate", "change_no")
