"""Per-pool memo: reused for the same pool object, never for another, never keeps a pool alive."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.blocking import blocked_positions
from matcher.engine.pool import CandidatePool
from matcher.engine.pool_memo import PoolMemo
from matcher.rules.titles.occupations import with_derived_occupation
from tests.factories import sample_records


def _pool(n: int = 30) -> CandidatePool:
    raw, _ = sample_records(n_candidates=n, n_requisitions=1)
    records = [CandidateRecord.model_validate(c) for c in raw]
    return CandidatePool.build(list(range(n)), ["a"] * n, records)


def test_a_value_is_computed_once_per_pool_object_and_key() -> None:
    memo: PoolMemo[int] = PoolMemo(keep=8)
    calls: list[str] = []
    pool, other = _pool(), _pool()

    def compute(tag: str) -> int:
        calls.append(tag)
        return len(calls)

    assert memo.get(pool, "x", lambda: compute("x")) == 1
    assert memo.get(pool, "x", lambda: compute("again")) == 1
    assert memo.get(pool, "y", lambda: compute("y")) == 2
    assert memo.get(other, "x", lambda: compute("other")) == 3  # equal content, other object
    assert calls == ["x", "y", "other"]


def test_the_memo_never_keeps_a_pool_alive_and_forgets_it_when_it_dies() -> None:
    memo: PoolMemo[str] = PoolMemo(keep=8)
    pool = _pool()
    memo.get(pool, "k", lambda: "value")
    alive = weakref.ref(pool)
    del pool
    gc.collect()
    assert alive() is None
    assert len(memo._values) == 0


def test_only_the_most_recent_values_are_kept() -> None:
    memo: PoolMemo[int] = PoolMemo(keep=2)
    pool = _pool()
    for key in range(3):
        memo.get(pool, key, lambda key=key: key)  # type: ignore[misc]
    assert memo.get(pool, 0, lambda: 99) == 99  # evicted, so computed again
    assert memo.get(pool, 2, lambda: 99) == 2


def test_shared_blocks_are_read_only() -> None:
    pool = _pool()
    _, raw_requisitions = sample_records(n_candidates=1, n_requisitions=1)
    [requisition] = with_derived_occupation([RequisitionRecord.model_validate(raw_requisitions[0])])
    assert requisition.occupation is not None
    block = blocked_positions(requisition, pool)
    assert blocked_positions(requisition, pool) is block
    with pytest.raises(ValueError, match="read-only"):
        block[0] = 5
    wanted = requisition.occupation.value
    expected = np.flatnonzero((pool.occupations == wanted) | (pool.occupations == ""))
    assert np.array_equal(block, expected)
