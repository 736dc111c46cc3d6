"""Overnight batch matching: every open requisition against every candidate, resumable.

plan (blocking counts, chunks sized to a memory budget) -> score (the one pipeline, per
candidate partition) -> merge (top-k per requisition) -> checkpoint (a chunk's results and its
status in one transaction) -> finalise (top-m per candidate, content hash, optional Parquet).
"""

from matcher.jobs.overnight.runner import BatchOptions, run_batch
from matcher.store.batch_status import BatchRunStatus, latest_results_for_requisition, run_status

__all__ = [
    "BatchOptions",
    "BatchRunStatus",
    "latest_results_for_requisition",
    "run_batch",
    "run_status",
]
