"""Eligibility as ranking sees it: a per-candidate status (the hard gate) and lead time.

Statuses and lead times come from the pool's `EligibilityIndex` (vectorised, equal to
`matcher.eligibility.assess` pair by pair); the full verdict with its pathway, steps and
warnings is computed by `assess` only for the candidates a ranking shows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.domain.records import RequisitionRecord
from matcher.eligibility.assessment import assess as assess_pair
from matcher.eligibility.index import SHOWN_MAX_CODE, EligibilityIndex
from matcher.eligibility.verdict import STATUS_NAMES, Eligibility
from matcher.engine.pool import CandidatePool
from matcher.engine.pool_memo import PoolMemo

# Statuses shown by default; ineligible and unknown are hidden unless asked for.
SHOWN_BY_DEFAULT = frozenset(STATUS_NAMES[: SHOWN_MAX_CODE + 1])


@dataclass(frozen=True)
class GateResult:
    codes: npt.NDArray[np.int8]  # status per position, as STATUS_ORDER codes
    lead_time_days: npt.NDArray[np.float64]  # NaN = unknown
    pool: CandidatePool
    positions: npt.NDArray[np.intp]  # into the pool: the candidates, for reasons
    requisition: RequisitionRecord
    today: date

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(STATUS_NAMES[c] for c in self.codes.tolist())

    def status(self, row: int) -> str:
        return STATUS_NAMES[int(self.codes[row])]

    def shown(self, include_ineligible: bool) -> npt.NDArray[np.bool_]:
        if include_ineligible:
            return np.ones(len(self.codes), dtype=np.bool_)
        return self.codes <= SHOWN_MAX_CODE

    def hidden(self, include_ineligible: bool) -> dict[str, int]:
        """How many candidates the gate hides, by status."""
        codes, counts = np.unique(self.codes[~self.shown(include_ineligible)], return_counts=True)
        return {STATUS_NAMES[c]: n for c, n in zip(codes.tolist(), counts.tolist(), strict=True)}

    def assessment(self, row: int) -> Eligibility:
        """The full verdict behind `codes[row]`: pathway, steps, earliest start, warnings."""
        record = self.pool.records[int(self.positions[row])]
        return assess_pair(record, self.requisition, today=self.today)

    @property
    def assessments(self) -> tuple[Eligibility, ...]:
        return tuple(self.assessment(row) for row in range(len(self.codes)))


# The eligibility index of the pools in use, per day (a batch worker has one pool, the API
# the latest pool of each occupation's block).
_INDEXES: PoolMemo[EligibilityIndex] = PoolMemo(keep=16)


class GateCache:
    """Whole gate results kept between requests, per requisition content and day.

    A serving process asks for the same requisitions again and again; while the pool object
    and the positions are unchanged the last result is returned as it is.
    """

    def __init__(self, max_requisitions: int = 64) -> None:
        self._results: OrderedDict[tuple[str, date], tuple[Any, Any, GateResult]] = OrderedDict()
        self._max = max_requisitions
        self._lock = threading.Lock()

    def whole(
        self, requisition: RequisitionRecord, today: date, pool: CandidatePool, positions: Any
    ) -> GateResult | None:
        """The last result for this requisition when the pool and positions are the same."""
        with self._lock:
            found = self._results.get((requisition.model_dump_json(), today))
        if found is None:
            return None
        last_pool, last_positions, result = found
        if last_pool is pool and np.array_equal(last_positions, positions):
            return result
        return None

    def keep_whole(
        self,
        requisition: RequisitionRecord,
        today: date,
        pool: CandidatePool,
        positions: Any,
        result: GateResult,
    ) -> None:
        key = (requisition.model_dump_json(), today)
        with self._lock:
            self._results[key] = (pool, positions.copy(), result)
            self._results.move_to_end(key)
            while len(self._results) > self._max:
                self._results.popitem(last=False)


def assess(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    today: date,
    cache: GateCache | None = None,
) -> GateResult:
    if cache is not None:
        whole = cache.whole(requisition, today, pool, positions)
        if whole is not None:
            return whole
    index = _INDEXES.get(pool, today, lambda: EligibilityIndex(pool.records, today))
    codes, lead = index.statuses(positions, requisition)
    result = GateResult(codes, lead, pool, positions.copy(), requisition, today)
    if cache is not None:
        cache.keep_whole(requisition, today, pool, positions, result)
    return result


def lead_times(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    today: date,
) -> npt.NDArray[np.float64]:
    return assess(pool, positions, requisition, today=today).lead_time_days
