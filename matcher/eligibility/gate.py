"""Eligibility as ranking sees it: a per-candidate status (the hard gate) and lead time.

Statuses and lead times come from an `EligibilityIndex` over the pool's records, which the
caller supplies and keeps (the engine keeps one per pool object and day); they equal
`matcher.eligibility.assess` pair by pair. The full verdict with its pathway, steps and
warnings is computed by `assess` only for the candidates a ranking shows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility.assessment import assess as assess_pair
from matcher.eligibility.index import SHOWN_MAX_CODE, EligibilityIndex
from matcher.eligibility.verdict import STATUS_NAMES, Eligibility
from matcher.rules.credentials import CredentialData

# Statuses shown by default; ineligible and unknown are hidden unless asked for.
SHOWN_BY_DEFAULT = frozenset(STATUS_NAMES[: SHOWN_MAX_CODE + 1])


@dataclass(frozen=True)
class GateResult:
    codes: npt.NDArray[np.int8]  # status per position, as STATUS_ORDER codes
    lead_time_days: npt.NDArray[np.float64]  # NaN = unknown
    records: Sequence[CandidateRecord]  # the pool's candidates, as the index holds them
    positions: npt.NDArray[np.intp]  # into `records`: the candidates, for reasons
    requisition: RequisitionRecord
    today: date
    data: CredentialData

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
        record = self.records[int(self.positions[row])]
        return assess_pair(record, self.requisition, today=self.today, data=self.data)

    @property
    def assessments(self) -> tuple[Eligibility, ...]:
        return tuple(self.assessment(row) for row in range(len(self.codes)))


class GateCache:
    """Whole gate results kept between requests, per requisition content and day.

    A serving process asks for the same requisitions again and again; while the records
    (compared by identity: a changed pool has new records), the credential data and the
    positions are unchanged, the last result is returned as it is.
    """

    def __init__(self, max_requisitions: int = 64) -> None:
        self._results: OrderedDict[tuple[str, date], GateResult] = OrderedDict()
        self._max = max_requisitions
        self._lock = threading.Lock()

    def whole(
        self,
        requisition: RequisitionRecord,
        index: EligibilityIndex,
        positions: npt.NDArray[np.intp],
    ) -> GateResult | None:
        """The last result for this requisition when the records and positions are the same."""
        with self._lock:
            found = self._results.get((requisition.model_dump_json(), index.today))
        if (
            found is not None
            and found.records is index.records
            and found.data is index.data
            and np.array_equal(found.positions, positions)
        ):
            return found
        return None

    def keep_whole(self, result: GateResult) -> None:
        key = (result.requisition.model_dump_json(), result.today)
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > self._max:
                self._results.popitem(last=False)


def assess(
    index: EligibilityIndex,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    cache: GateCache | None = None,
) -> GateResult:
    """The gate for the candidates at `positions` of the index's records, on the index's day."""
    if cache is not None:
        whole = cache.whole(requisition, index, positions)
        if whole is not None:
            return whole
    codes, lead = index.statuses(positions, requisition)
    result = GateResult(
        codes, lead, index.records, positions.copy(), requisition, index.today, index.data
    )
    if cache is not None:
        cache.keep_whole(result)
    return result


def lead_times(
    index: EligibilityIndex, positions: npt.NDArray[np.intp], requisition: RequisitionRecord
) -> npt.NDArray[np.float64]:
    return assess(index, positions, requisition).lead_time_days
