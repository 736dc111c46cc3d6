"""The serving gate cache gives exactly the uncached verdicts, and follows changed records."""

from __future__ import annotations

from datetime import date

import numpy as np

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.gate import GateCache, assess
from matcher.engine.pipeline import rank
from matcher.engine.pool import CandidatePool
from tests.factories import sample_records

TODAY = date(2026, 1, 5)


def _pool(records: list[CandidateRecord]) -> CandidatePool:
    return CandidatePool.build(list(range(1, len(records) + 1)), ["a"] * len(records), records)


def test_cached_verdicts_equal_fresh_ones_and_follow_changes() -> None:
    raw_candidates, raw_requisitions = sample_records(n_candidates=300, n_requisitions=4)
    records = [CandidateRecord.model_validate(c) for c in raw_candidates]
    requisitions = [RequisitionRecord.model_validate(r) for r in raw_requisitions]
    cache = GateCache(max_requisitions=2)
    pool = _pool(records)
    positions = np.arange(len(pool))
    for _ in range(2):  # the second round is served from the cache
        for requisition in requisitions:
            cached = assess(pool, positions, requisition, today=TODAY, cache=cache)
            fresh = assess(pool, positions, requisition, today=TODAY)
            assert cached.assessments == fresh.assessments

    # An English candidate loses her licence: a new record object, so a new verdict.
    changed = records[0].model_copy(update={"credentials": [], "education": []})
    pool2 = _pool([changed, *records[1:]])
    moved = 0
    for requisition in requisitions:
        before = assess(pool, positions, requisition, today=TODAY).assessments[0]
        cached = assess(pool2, positions, requisition, today=TODAY, cache=cache)
        fresh = assess(pool2, positions, requisition, today=TODAY)
        assert cached.assessments == fresh.assessments
        moved += cached.assessments[0] != before
    assert moved  # the change mattered somewhere, so a stale verdict would have been caught


def test_rank_with_and_without_the_cache_agree() -> None:
    raw_candidates, raw_requisitions = sample_records(n_candidates=200, n_requisitions=3)
    pool = _pool([CandidateRecord.model_validate(c) for c in raw_candidates])
    cache = GateCache()
    for raw in raw_requisitions:
        requisition = RequisitionRecord.model_validate(raw)
        for _ in range(2):
            with_cache = rank(requisition, pool, today=TODAY, include_ineligible=True,
                              gate_cache=cache)  # fmt: skip
            without = rank(requisition, pool, today=TODAY, include_ineligible=True)
            assert with_cache == without


def test_the_whole_result_is_reused_only_for_the_same_pool_object() -> None:
    raw_candidates, raw_requisitions = sample_records(n_candidates=50, n_requisitions=1)
    records = [CandidateRecord.model_validate(c) for c in raw_candidates]
    requisition = RequisitionRecord.model_validate(raw_requisitions[0])
    cache = GateCache()
    pool = _pool(records)
    positions = np.arange(len(pool))
    first = assess(pool, positions, requisition, today=TODAY, cache=cache)
    assert assess(pool, positions, requisition, today=TODAY, cache=cache) is first
    rebuilt = _pool(records)  # same records, new pool object: recomputed
    again = assess(rebuilt, positions, requisition, today=TODAY, cache=cache)
    assert again is not first
    assert again.assessments == first.assessments
    fewer = assess(pool, positions[:-1], requisition, today=TODAY, cache=cache)
    assert len(fewer.assessments) == len(first.assessments) - 1
