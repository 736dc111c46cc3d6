"""Candidate pools held in memory between requests, never stale after a write.

Each request reads a cheap fingerprint of the candidate table (the change count every candidate
write moves, highest id, latest update, number of erasures). When it moved, only the rows added
or changed since are fetched, through the store's one pool loader, and validated again.
When the only change is new rows after the last id (a batch of new candidates), their columns
are built alone and appended (matcher/engine/pool_append.py); otherwise the pool is rebuilt from the
cached records. Unchanged records stay the same objects, which the gate cache relies on.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from matcher.engine.pool import CandidatePool
from matcher.engine.pool_append import append_pools
from matcher.store.candidates import (
    Fingerprint,
    StoredCandidate,
    pool_candidates,
    pool_fingerprint,
    pool_versions,
)
from matcher.store.db import Session


@dataclass
class _Entry:
    fingerprint: Fingerprint
    pool: CandidatePool
    by_id: dict[int, StoredCandidate]
    versions: dict[int, datetime] = field(default_factory=dict)


def build_pool(candidates: Sequence[StoredCandidate]) -> CandidatePool:
    """A pool of `candidates`, in their order: the serving cache's and the overnight batch's."""
    return CandidatePool.build(
        [c.id for c in candidates], [c.agency for c in candidates], [c.record for c in candidates]
    )


class PoolCache:
    """Per occupation block (None = every candidate). Thread-safe; FastAPI runs sync routes
    in a thread pool. The records hold what matching reads: no contact details."""

    def __init__(self) -> None:
        self._entries: dict[str | None, _Entry] = {}
        self._lock = threading.Lock()

    def get(
        self, *, session: Session, occupation: str | None
    ) -> tuple[CandidatePool, dict[int, StoredCandidate]]:
        current = pool_fingerprint(session=session)
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
        versions = pool_versions(session=session, occupation=occupation)
        previous = old.versions if old else {}
        by_id = {
            cid: old.by_id[cid] for cid in versions if old and previous.get(cid) == versions[cid]
        }
        stale = [cid for cid in versions if cid not in by_id]
        by_id.update((c.id, c) for c in pool_candidates(session=session, ids=stale))
        # On PostgreSQL each statement reads its own snapshot: a candidate erased between the
        # two reads is in `versions` but was not loaded. Leave it out of the versions as well,
        # so the pool, its by_id map and the versions hold the same candidates.
        versions = {cid: at for cid, at in versions.items() if cid in by_id}
        stale = [cid for cid in stale if cid in by_id]
        ordered = [by_id[cid] for cid in versions]
        pool = _appended(old, versions, [by_id[cid] for cid in stale]) if old else None
        if pool is None:
            pool = build_pool(ordered)
        return _Entry(current, pool, {c.id: c for c in ordered}, versions)


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
    return append_pools(old.pool, build_pool(fresh))
