"""Candidate pools held in memory between requests, never stale after a write.

Each request reads a cheap fingerprint of the candidate table (row count, highest id, latest
update). When it moved, only the rows added or changed since are fetched and validated again;
the pool's columns are then rebuilt from the cached records.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord
from matcher.pool import CandidatePool
from matcher.storage.repository import StoredCandidate
from matcher.storage.tables import CandidateRow

Fingerprint = tuple[int, int | None, datetime | None]


@dataclass
class _Entry:
    fingerprint: Fingerprint
    pool: CandidatePool
    by_id: dict[int, StoredCandidate]
    versions: dict[int, datetime] = field(default_factory=dict)


def fingerprint(session: Session) -> Fingerprint:
    count, max_id, latest = session.execute(
        select(func.count(), func.max(CandidateRow.id), func.max(CandidateRow.updated_at))
    ).one()
    return int(count), max_id, latest


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
        pool = CandidatePool.build(
            [c.id for c in ordered], [c.agency for c in ordered], [c.record for c in ordered]
        )
        return _Entry(current, pool, {c.id: c for c in ordered}, versions)
