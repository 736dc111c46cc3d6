"""A finished run's shortlists as one Parquet file, for analysts and downstream loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlmodel import Session, col

from matcher.store.batch_tables import BatchResultRow

SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("requisition_id", pa.int64()),
        ("candidate_id", pa.int64()),
        ("rank", pa.int32()),
        ("score", pa.float64()),
        ("eligibility", pa.string()),
        ("candidate_rank", pa.int32()),
        ("in_candidate_top_m", pa.bool_()),
    ]
)


def export_parquet(session: Session, run_id: str, directory: Path, *, per_candidate: int) -> Path:
    """Write DIR/<run_id>.parquet ordered by (requisition, rank); returns the path."""
    rows = session.execute(
        select(
            col(BatchResultRow.requisition_id),
            col(BatchResultRow.candidate_id),
            col(BatchResultRow.rank),
            col(BatchResultRow.score),
            col(BatchResultRow.eligibility),
            col(BatchResultRow.candidate_rank),
        )
        .where(col(BatchResultRow.run_id) == run_id)
        .order_by(col(BatchResultRow.requisition_id), col(BatchResultRow.rank))
    ).all()
    columns: list[list[Any]] = [[row[i] for row in rows] for i in range(6)]
    ranks = columns[5]
    table = pa.table(
        {
            "run_id": [run_id] * len(rows),
            "requisition_id": columns[0],
            "candidate_id": columns[1],
            "rank": columns[2],
            "score": columns[3],
            "eligibility": columns[4],
            "candidate_rank": ranks,
            "in_candidate_top_m": [r is not None and r <= per_candidate for r in ranks],
        },
        schema=SCHEMA,
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{run_id}.parquet"
    pq.write_table(table, path)
    return path
