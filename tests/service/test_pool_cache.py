"""The serving pool cache is never stale after a commit, even when writers commit out of order."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from matcher.domain.records import CandidateRecord
from matcher.service.erasure import erase_candidate
from matcher.service.pool_cache import PoolCache
from matcher.settings import DEV_PSEUDONYM_KEY
from matcher.store.candidates import candidate_change_count, upsert_candidates
from matcher.store.db import read_session, write_session
from tests.factories import sample_records


def _records(n: int) -> list[CandidateRecord]:
    raw, _ = sample_records(n_candidates=n, n_requisitions=1, seed=29)
    return [CandidateRecord.model_validate(c) for c in raw]


def _cached_ids(cache: PoolCache, engine: Engine) -> set[int]:
    with read_session(engine) as session:
        pool, _ = cache.get(session=session, occupation=None)
    return {int(i) for i in pool.ids}


def test_a_write_that_commits_last_but_started_first_is_seen(engine: Engine) -> None:
    """Writer A inserts first and commits last; writer B inserts and commits in between, and a
    shortlist caches the pool in between too. On PostgreSQL B's commit used to leave max(id)
    and max(updated_at) unchanged by A's later commit, so A's candidate stayed invisible."""
    first, second, third = _records(3)
    cache = PoolCache()
    with write_session(engine) as session:
        upsert_candidates(session=session, agency="agency-a", records=[first])
    assert len(_cached_ids(cache, engine)) == 1

    writer_a = Session(engine.execution_options(sqlite_begin="IMMEDIATE"))
    (a_id,) = upsert_candidates(
        session=writer_a, agency="agency-a", records=[second]
    ).ids  # A's row has its id and timestamp; A has not committed
    b_ids: list[int] = []

    def writer_b() -> None:
        with write_session(engine) as session:
            b_ids.extend(upsert_candidates(session=session, agency="agency-b", records=[third]).ids)

    thread = threading.Thread(target=writer_b)
    thread.start()
    thread.join(timeout=1.0)  # B either committed (the old race) or waits for A's lock
    between = _cached_ids(cache, engine)  # a shortlist served in between
    assert a_id not in between
    writer_a.commit()
    writer_a.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    deadline = time.monotonic() + 5
    seen = _cached_ids(cache, engine)
    while b_ids[0] not in seen and time.monotonic() < deadline:  # B commits right after A
        seen = _cached_ids(cache, engine)
    assert {a_id, b_ids[0]} <= seen


def test_every_commit_moves_the_change_count(engine: Engine) -> None:
    records = _records(2)
    with read_session(engine) as session:
        start = candidate_change_count(session)
    with write_session(engine) as session:
        upsert_candidates(session=session, agency="agency-a", records=records)
    with write_session(engine) as session:  # unchanged rows: nothing written, nothing counted
        upsert_candidates(session=session, agency="agency-a", records=records)
    with read_session(engine) as session:
        assert candidate_change_count(session) == start + 1


def test_a_candidate_erased_during_a_refresh_leaves_pool_and_map_in_agreement(
    engine: Engine,
) -> None:
    """The refresh reads the versions, then the records of the changed ones. A candidate erased
    in between (committed by another session) used to stay in the versions without a record:
    on PostgreSQL, where each statement reads a new snapshot, a KeyError and a 500."""
    with write_session(engine) as session:
        ids = upsert_candidates(session=session, agency="agency-a", records=_records(3)).ids
    target = ids[1]
    cache = PoolCache()
    erased: list[int] = []

    def erase_before_records_are_read(state: ORMExecuteState) -> None:
        if not erased and "candidate.record" in str(state.statement):
            erase_candidate(
                engine=engine,
                agency="agency-a",
                candidate_id=target,
                pseudonym_key=DEV_PSEUDONYM_KEY,
            )
            erased.append(target)

    with read_session(engine) as session:
        event.listen(session, "do_orm_execute", erase_before_records_are_read)
        pool, by_id = cache.get(session=session, occupation=None)
    assert erased
    assert [int(i) for i in pool.ids] == list(by_id)
    assert set(by_id) <= set(ids)
    assert set(ids) - {target} <= set(by_id)
    assert _cached_ids(cache, engine) == set(ids) - {target}  # the next request sees the erasure
