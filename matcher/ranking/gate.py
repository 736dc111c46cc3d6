"""Eligibility as ranking sees it: a per-candidate status (the hard gate) and lead time.

`matcher.eligibility.assess_many` decides; this turns its verdicts into what `rank` needs:
which positions to show and the pathway lead time (NaN where unknown, the null level of
the pathway_fit feature).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def assess(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    today: date,
) -> GateResult:
    results = assess_many([pool.records[i] for i in positions], requisition, today=today)
    lead = np.array(
        [np.nan if r.lead_time_days is None else float(r.lead_time_days) for r in results],
        dtype=np.float64,
    )
    return GateResult(tuple(r.status for r in results), lead, tuple(results))


def lead_times(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    today: date,
) -> npt.NDArray[np.float64]:
    return assess(pool, positions, requisition, today=today).lead_time_days
