"""Candidate pools held in memory between requests, never stale after a write.

Each request reads a cheap fingerprint of the candidate table (the change count every candidate
write moves, highest id, latest update, number of erasures). When it moved, only the rows added
or changed since are fetched and validated again.
When the only change is new rows after the last id (a batch of new candidates), their columns
are built alone and appended (matcher/engine/pool_append.py); otherwise the pool is rebuilt from the
cached records. Unchanged records stay the same objects, which the gate cache relies on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord
from matcher.engine.pool import CandidatePool
from matcher.engine.pool_append import append_pools
from matcher.store.api_tables import CandidateTombstoneRow
from matcher.store.repository import StoredCandidate, candidate_change_count
from matcher.store.tables import CandidateRow

Fingerprint = tuple[int, int | None, datetime | None, int]


@dataclass
class _Entry:
    fingerprint: Fingerprint
    pool: CandidatePool
    by_id: dict[int, StoredCandidate]
    versions: dict[int, datetime] = field(default_factory=dict)


def fingerprint(session: Session) -> Fingerprint:
    """Moves on every committed candidate write, and is cheap: a few index look-ups.

    Every write transaction increments the change counter (a row lock held until commit, so
    the committed count moves with each commit, in commit order). max(id), max(updated_at) and
    the tombstone count stay in as well, for rows written by anything that bypasses the
    repository. Without the counter, two writers committing out of order on PostgreSQL could
    leave max(id) and max(updated_at) where they were, and the cache stale until the next write.
    """
    max_id, latest = session.execute(
        select(func.max(CandidateRow.id), func.max(CandidateRow.updated_at))
    ).one()
    erased = session.execute(select(func.count()).select_from(CandidateTombstoneRow)).scalar_one()
    return candidate_change_count(session), max_id, latest, int(erased)


class PoolCache:
    """Per occupation block (None = every candidate). Thread-safe; FastAPI runs sync routes
    in a thread pool."""

    def __init__(self) -> None:
        self._entries: dict[str | None, _Entry] = {}
        self._lock = threading.Lock()

    def get(
        self, *, session: Session, occupation: str | None
    ) -> tuple[CandidatePool, dict[int, StoredCandidate]]:
        current = fingerprint(session)
        with self._lock:
            entry = self._entries.get(occupation)
            if entry is None or entry.fingerprint != current:
                entry = self._refresh(session, occupation, current, entry)
                self._entries[occupation] = entry
            return entry.pool, entry.by_id

    @staticmethod
    def _refresh(
        session: Session, occupation: str | None, current: Fingerprint, old: _Entry | None
    ) -> _Entry:
        stmt = select(col(CandidateRow.id), col(CandidateRow.updated_at)).order_by(
            col(CandidateRow.id)
        )
        if occupation is not None:
            stmt = stmt.where(
                (col(CandidateRow.occupation) == occupation)
                | col(CandidateRow.occupation).is_(None)
            )
        versions: dict[int, datetime] = {cid: at for cid, at in session.execute(stmt).all()}
        previous = old.versions if old else {}
        by_id = {
            cid: old.by_id[cid] for cid in versions if old and previous.get(cid) == versions[cid]
        }
        stale = [cid for cid in versions if cid not in by_id]
        for start in range(0, len(stale), 500):
            chunk = stale[start : start + 500]
            rows = session.execute(
                select(
                    col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record)
                ).where(col(CandidateRow.id).in_(chunk))
            ).all()
            for cid, agency, record in rows:
                by_id[cid] = StoredCandidate(cid, agency, CandidateRecord.model_validate(record))
        ordered = [by_id[cid] for cid in versions]
        pool = _appended(old, versions, [by_id[cid] for cid in stale]) if old else None
        if pool is None:
            pool = _build(ordered)
        return _Entry(current, pool, {c.id: c for c in ordered}, versions)


def _build(candidates: list[StoredCandidate]) -> CandidatePool:
    return CandidatePool.build(
        [c.id for c in candidates], [c.agency for c in candidates], [c.record for c in candidates]
    )


def _appended(
    old: _Entry, versions: dict[int, datetime], fresh: list[StoredCandidate]
) -> CandidatePool | None:
    """The old pool plus `fresh` when they are only additions after its last id (the usual
    write: a batch of new candidates); None when anything was changed or removed."""
    kept = len(versions) - len(fresh)
    if kept != len(old.versions):
        return None  # a row left or changed
    if not fresh:
        return old.pool  # the write was in another occupation's block
    last = max(old.versions, default=0)
    if any(c.id <= last for c in fresh):
        return None  # a changed row, or an id below the last: order would differ
    return append_pools(old.pool, _build(fresh))
