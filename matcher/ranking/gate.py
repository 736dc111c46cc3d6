"""Eligibility as ranking sees it: a per-candidate status (the hard gate) and lead time.

`matcher.eligibility.assess_many` decides; this turns its verdicts into what `rank` needs:
which positions to show and the pathway lead time (NaN where unknown, the null level of
the pathway_fit feature).
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
from matcher.eligibility import Eligibility, assess_many
from matcher.pool import CandidatePool

# Statuses shown by default; ineligible and unknown are hidden unless asked for.
SHOWN_BY_DEFAULT = frozenset({"eligible_now", "eligible_by_start", "eligible_after_start"})


@dataclass(frozen=True)
class GateResult:
    statuses: tuple[str | None, ...]  # None = not assessed
    lead_time_days: npt.NDArray[np.float64]  # NaN = unknown
    assessments: tuple[Eligibility, ...]  # the verdicts behind the statuses, for reasons

    def shown(self, include_ineligible: bool) -> npt.NDArray[np.bool_]:
        if include_ineligible:
            return np.ones(len(self.statuses), dtype=np.bool_)
        return np.array([s is None or s in SHOWN_BY_DEFAULT for s in self.statuses], dtype=np.bool_)


class GateCache:
    """Verdicts kept between requests, per requisition content and day, per candidate record.

    A serving process asks for the same requisitions again and again while candidates change
    one at a time, so only new or changed records (new objects) are assessed again. Records
    are matched by identity, and each entry holds its record, so an id is never reused while
    cached.
    """

    def __init__(self, max_requisitions: int = 64) -> None:
        self._entries: OrderedDict[tuple[str, date], dict[int, tuple[Any, Eligibility]]] = (
            OrderedDict()
        )
        # The whole result of the last call, while the pool object is unchanged: a warm
        # shortlist then skips even the per-candidate look-ups.
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

    def entry(
        self, requisition: RequisitionRecord, today: date, pool_size: int
    ) -> dict[int, tuple[Any, Eligibility]]:
        key = (requisition.model_dump_json(), today)
        with self._lock:
            found = self._entries.get(key)
            if found is None or len(found) > 2 * pool_size + 1000:  # drop replaced records
                found = self._entries[key] = {}
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
            return found


def _verdicts(
    records: list[Any], requisition: RequisitionRecord, today: date, cache: GateCache | None
) -> list[Eligibility]:
    if cache is None:
        return assess_many(records, requisition, today=today)
    entry = cache.entry(requisition, today, len(records))
    results: list[Eligibility | None] = []
    missing: list[int] = []
    for j, record in enumerate(records):
        hit = entry.get(id(record))
        if hit is not None and hit[0] is record:
            results.append(hit[1])
        else:
            results.append(None)
            missing.append(j)
    if missing:
        fresh = assess_many([records[j] for j in missing], requisition, today=today)
        for j, verdict in zip(missing, fresh, strict=True):
            results[j] = verdict
            entry[id(records[j])] = (records[j], verdict)
    return [r for r in results if r is not None]


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
    results = _verdicts([pool.records[i] for i in positions], requisition, today, cache)
    lead = np.array(
        [np.nan if r.lead_time_days is None else float(r.lead_time_days) for r in results],
        dtype=np.float64,
    )
    result = GateResult(tuple(r.status for r in results), lead, tuple(results))
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
