"""Overnight batch runs as admins follow them: a run's progress, counts and content hash."""

from __future__ import annotations

from matcher.store.batch_status import BatchRunStatus, run_status
from matcher.store.db import Engine, read_session


def batch_run_status(*, engine: Engine, run_id: str) -> BatchRunStatus:
    """NotFoundError if there is no such run."""
    with read_session(engine) as session:
        return run_status(session, run_id)
