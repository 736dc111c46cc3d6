"""Appending to a pool equals building it whole; the pool cache appends only when that is
safe, and is never stale after a write."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, update

from matcher.domain.records import CandidateRecord
from matcher.engine.pool import CandidatePool
from matcher.engine.pool_append import append_pools
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.service.ingest import ingest_candidates
from matcher.service.pool_cache import PoolCache
from matcher.settings import DEV_PSEUDONYM_KEY
from matcher.store.db import read_session, write_session
from matcher.store.tables import CandidateRow, utcnow
from tests.factories import raw_rows, sample_records


def _assert_same(expected: CandidatePool, actual: CandidatePool) -> None:
    for f in fields(expected):
        want, got = getattr(expected, f.name), getattr(actual, f.name)
        if isinstance(want, np.ndarray):
            assert want.shape == got.shape, f.name
            assert np.array_equal(want, got, equal_nan=want.dtype.kind == "f"), f.name
        else:
            assert want == got, f.name


def _records(n: int, seed: int) -> list[CandidateRecord]:
    candidates, _ = sample_records(n_candidates=n, n_requisitions=0, seed=seed)
    return with_derived_occupation([CandidateRecord.model_validate(c) for c in candidates])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("cut", [0, 1, 37, 119, 120])
def test_appending_equals_building_whole(seed: int, cut: int) -> None:
    records = _records(120, seed)
    ids, agencies = list(range(1, 121)), ["a" if i % 3 else "b" for i in range(120)]
    whole = CandidatePool.build(ids, agencies, records)
    head = CandidatePool.build(ids[:cut], agencies[:cut], records[:cut])
    tail = CandidatePool.build(ids[cut:], agencies[cut:], records[cut:])
    appended = append_pools(head, tail)
    assert appended is not None
    _assert_same(whole, appended)


def _store(engine: Engine, candidates: list[dict[str, Any]]) -> None:
    with write_session(engine) as session:
        ingest_candidates(
            session=session,
            agency="agency-a",
            rows=raw_rows(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )


def _fresh(engine: Engine) -> CandidatePool:
    with read_session(engine) as session:
        pool, _ = PoolCache().get(session=session, occupation=None)
    return pool


def test_the_cache_appends_new_rows_and_rebuilds_after_a_change(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidates, _ = sample_records(n_candidates=60, n_requisitions=0, seed=4)
    _store(engine, candidates[:40])
    cache = PoolCache()
    built: list[int] = []
    original = CandidatePool.build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[CandidatePool], ids: Any, *args: Any, **kwargs: Any) -> Any:
        built.append(len(ids))
        return original(cls, ids, *args, **kwargs)

    monkeypatch.setattr(CandidatePool, "build", classmethod(counting))

    def get() -> CandidatePool:
        with read_session(engine) as session:
            pool, by_id = cache.get(session=session, occupation=None)
        assert sorted(by_id) == pool.ids.tolist()
        return pool

    first = get()
    assert built == [40]
    _store(engine, candidates[40:45])  # new rows only: appended
    after_insert = get()
    assert built == [40, 5]
    assert len(after_insert) == 45
    assert after_insert.records[:40] == first.records[:40]
    _assert_same(_fresh(engine), after_insert)

    derived = with_derived_occupation([CandidateRecord.model_validate(c) for c in candidates])
    others = [
        c
        for c, r in zip(candidates[45:], derived[45:], strict=True)
        if r.occupation is not None and r.occupation.value != "radiographer"
    ]
    with read_session(engine) as session:
        block, _ = cache.get(session=session, occupation="radiographer")
    builds = len(built)
    assert others
    _store(engine, others[:1])  # a write outside the radiographers' block
    with read_session(engine) as session:
        same, _ = cache.get(session=session, occupation="radiographer")
    assert same is block
    assert len(built) == builds

    with write_session(engine) as session:  # a changed row: rebuilt whole
        session.execute(
            update(CandidateRow)
            .where(CandidateRow.id == int(first.ids[3]))  # type: ignore[arg-type]
            .values(updated_at=utcnow(), title="Senior MRI Technologist")
        )
    after_change = get()
    assert built[-1] == 46
    _assert_same(_fresh(engine), after_change)
