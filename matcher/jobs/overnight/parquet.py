"""A finished run's shortlists as one Parquet file, for analysts and downstream loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from matcher.store.batch_status import run_results
from matcher.store.db import Session

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
    columns: dict[str, list[Any]] = run_results(session, run_id)
    ranks = columns["candidate_rank"]
    table = pa.table(
        {
            "run_id": [run_id] * len(ranks),
            **columns,
            "in_candidate_top_m": [r is not None and r <= per_candidate for r in ranks],
        },
        schema=SCHEMA,
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{run_id}.parquet"
    pq.write_table(table, path)
    return path
