"""The serving gate cache gives exactly the uncached verdicts, and follows changed records."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.gate import GateCache, GateResult, assess
from matcher.eligibility.index import EligibilityIndex
from matcher.engine.pipeline import eligibility_index, rank
from matcher.engine.pool import CandidatePool
from tests.factories import sample_records

TODAY = date(2026, 1, 5)


def _pool(records: list[CandidateRecord]) -> CandidatePool:
    return CandidatePool.build(list(range(1, len(records) + 1)), ["a"] * len(records), records)


def _cached(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    cache: GateCache,
) -> GateResult:
    """As the pipeline asks: through the engine's index of the pool."""
    return assess(eligibility_index(pool, TODAY), positions, requisition, cache=cache)


def _fresh(
    pool: CandidatePool, positions: npt.NDArray[np.intp], requisition: RequisitionRecord
) -> GateResult:
    return assess(EligibilityIndex(pool.records, TODAY), positions, requisition)


def test_cached_verdicts_equal_fresh_ones_and_follow_changes() -> None:
    raw_candidates, raw_requisitions = sample_records(n_candidates=300, n_requisitions=4)
    records = [CandidateRecord.model_validate(c) for c in raw_candidates]
    requisitions = [RequisitionRecord.model_validate(r) for r in raw_requisitions]
    cache = GateCache(max_requisitions=2)
    pool = _pool(records)
    positions = np.arange(len(pool))
    for _ in range(2):  # the second round is served from the cache
        for requisition in requisitions:
            cached = _cached(pool, positions, requisition, cache)
            fresh = _fresh(pool, positions, requisition)
            assert cached.assessments == fresh.assessments

    # An English candidate loses her licence: a new record object, so a new verdict.
    changed = records[0].model_copy(update={"credentials": [], "education": []})
    pool2 = _pool([changed, *records[1:]])
    moved = 0
    for requisition in requisitions:
        before = _fresh(pool, positions, requisition).assessments[0]
        cached = _cached(pool2, positions, requisition, cache)
        fresh = _fresh(pool2, positions, requisition)
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
    first = _cached(pool, positions, requisition, cache)
    assert _cached(pool, positions, requisition, cache) is first
    # The cache compares the records by identity, not the index: a new index over the same
    # records (the engine's memo may have let the old one go) gets the same result.
    again_index = EligibilityIndex(pool.records, TODAY)
    assert assess(again_index, positions, requisition, cache=cache) is first
    rebuilt = _pool(records)  # same records, new pool object: recomputed
    again = _cached(rebuilt, positions, requisition, cache)
    assert again is not first
    assert again.assessments == first.assessments
    fewer = _cached(pool, positions[:-1], requisition, cache)
    assert len(fewer.assessments) == len(first.assessments) - 1
    other_day = assess(eligibility_index(pool, date(2026, 6, 1)), positions, requisition,
                       cache=cache)  # fmt: skip
    assert other_day is not first
    assert other_day.today == date(2026, 6, 1)
