"""Candidate pools held in memory between requests, never stale after a write.

Each request reads a cheap fingerprint of the candidate table (the change count every write
moves, highest id, latest update, number of erasures). When only the change count moved, the
rows written since the count the block last saw are read through the `change_no` index (a
write of one candidate costs one small query, not a scan of the block's versions); after an
erasure, or a change the count does not explain, the block's (id, updated_at) versions are
read and only the rows added or changed are fetched and validated again.
When the only change is new rows after the last id (a batch of new candidates), their columns
are built alone and appended (matcher/pool_append.py); otherwise the pool is rebuilt from the
cached records. Unchanged records stay the same objects, which the gate cache relies on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord
from matcher.pool import CandidatePool
from matcher.pool_append import append_pools
from matcher.storage.api_tables import CandidateTombstoneRow
from matcher.storage.repository import StoredCandidate, candidate_change_count
from matcher.storage.tables import CandidateRow

Fingerprint = tuple[int, int | None, datetime | None, int]


@dataclass
class _Entry:
    fingerprint: Fingerprint
    pool: CandidatePool
    by_id: dict[int, StoredCandidate]
    versions: dict[int, datetime] = field(default_factory=dict)
    # Every write with a change count up to this one is in the entry: counts are taken under a
    # row lock held to commit, so a committed row stamped m means every count <= m committed.
    change_mark: int = 0


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
        if old is not None and current[3] == old.fingerprint[3]:  # no erasure since
            return _incremental(session, occupation, current, old)
        return _full(session, occupation, current, old)


def _in_block(occupation: str | None, row_occupation: str | None) -> bool:
    return occupation is None or row_occupation is None or row_occupation == occupation


def _incremental(
    session: Session, occupation: str | None, current: Fingerprint, old: _Entry
) -> _Entry:
    """The old entry plus the rows written since: those stamped above its change mark, and
    (for writes that bypass the repository and its counter) those updated after the latest
    update it saw or above its highest id. Not ">=": a batch's rows share one timestamp, and
    re-reading them on every refresh would cost seconds. A re-read row whose content did not
    change keeps its object."""
    rows = session.execute(
        select(
            col(CandidateRow.id),
            col(CandidateRow.agency),
            col(CandidateRow.occupation),
            col(CandidateRow.record),
            col(CandidateRow.updated_at),
            col(CandidateRow.change_no),
        )
        .where(
            (col(CandidateRow.change_no) > old.change_mark)
            | (col(CandidateRow.updated_at) > old.fingerprint[2])
            | (col(CandidateRow.id) > (old.fingerprint[1] or 0))
        )
        .order_by(col(CandidateRow.id))
    ).all()
    by_id, versions = dict(old.by_id), dict(old.versions)
    added: list[StoredCandidate] = []
    replaced_or_removed = False
    mark = current[0]
    for cid, agency, row_occupation, record, updated_at, change_no in rows:
        mark = max(mark, int(change_no or 0))
        if _in_block(occupation, row_occupation):
            fresh = StoredCandidate(cid, agency, CandidateRecord.model_validate(record))
            known = by_id.get(cid)
            versions[cid] = updated_at
            if known is not None and known.agency == agency and known.record == fresh.record:
                continue  # re-read but unchanged
            replaced_or_removed |= known is not None
            if known is None:
                added.append(fresh)
            by_id[cid] = fresh
        elif cid in by_id:  # moved to another occupation's block
            del by_id[cid], versions[cid]
            replaced_or_removed = True
    pool = old.pool
    if replaced_or_removed or added:
        last = max(old.by_id, default=0)
        appended = None
        if not replaced_or_removed and all(c.id > last for c in added):
            appended = append_pools(old.pool, _build(added))  # the usual write: new candidates
        if appended is None:
            by_id = {cid: by_id[cid] for cid in sorted(by_id)}
            appended = _build(list(by_id.values()))
        pool = appended
    return _Entry(current, pool, by_id, versions, mark)


def _full(
    session: Session, occupation: str | None, current: Fingerprint, old: _Entry | None
) -> _Entry:
    stmt = select(
        col(CandidateRow.id), col(CandidateRow.updated_at), col(CandidateRow.change_no)
    ).order_by(col(CandidateRow.id))
    if occupation is not None:
        stmt = stmt.where(
            (col(CandidateRow.occupation) == occupation) | col(CandidateRow.occupation).is_(None)
        )
    found = session.execute(stmt).all()
    versions: dict[int, datetime] = {cid: at for cid, at, _ in found}
    mark = max([current[0], *(int(n) for _, _, n in found if n is not None)])
    previous = old.versions if old else {}
    by_id = {cid: old.by_id[cid] for cid in versions if old and previous.get(cid) == versions[cid]}
    stale = [cid for cid in versions if cid not in by_id]
    for start in range(0, len(stale), 500):
        chunk = stale[start : start + 500]
        rows = session.execute(
            select(col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record)).where(
                col(CandidateRow.id).in_(chunk)
            )
        ).all()
        for cid, agency, record in rows:
            by_id[cid] = StoredCandidate(cid, agency, CandidateRecord.model_validate(record))
    ordered = [by_id[cid] for cid in versions]
    pool = _appended(old, versions, [by_id[cid] for cid in stale]) if old else None
    if pool is None:
        pool = _build(ordered)
    return _Entry(current, pool, {c.id: c for c in ordered}, versions, mark)


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
