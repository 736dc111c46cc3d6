"""Eligibility as ranking sees it: a per-candidate status (the hard gate) and lead time.

Wraps `matcher.eligibility.assess_many` when that module is present. Until it lands every
status is None ("not assessed": nobody is hidden) and every lead time is NaN (the null level
of pathway_fit), so ranking works with or without it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.domain.records import RequisitionRecord
from matcher.pool import CandidatePool

# Statuses shown by default; ineligible and unknown are hidden unless asked for.
SHOWN_BY_DEFAULT = frozenset({"eligible_now", "eligible_by_start", "eligible_after_start"})


@dataclass(frozen=True)
class GateResult:
    statuses: tuple[str | None, ...]  # None = not assessed
    lead_time_days: npt.NDArray[np.float64]  # NaN = unknown
    assessments: tuple[Any, ...]  # the eligibility objects, for reasons; empty if not assessed

    def shown(self, include_ineligible: bool) -> npt.NDArray[np.bool_]:
        if include_ineligible:
            return np.ones(len(self.statuses), dtype=np.bool_)
        return np.array([s is None or s in SHOWN_BY_DEFAULT for s in self.statuses], dtype=np.bool_)


def _assess_many() -> Any | None:
    try:
        module = importlib.import_module("matcher.eligibility")
    except ModuleNotFoundError:
        return None
    return getattr(module, "assess_many", None)


def assess(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    today: date,
) -> GateResult:
    assess_many = _assess_many()
    n = positions.shape[0]
    if assess_many is None:
        return GateResult((None,) * n, np.full(n, np.nan), ())
    results = assess_many([pool.records[i] for i in positions], requisition, today=today)
    statuses = tuple(str(getattr(r.status, "value", r.status)) for r in results)
    lead = np.array(
        [np.nan if r.lead_time_days is None else float(r.lead_time_days) for r in results],
        dtype=np.float64,
    )
    return GateResult(statuses, lead, tuple(results))


def lead_times(
    pool: CandidatePool,
    positions: npt.NDArray[np.intp],
    requisition: RequisitionRecord,
    *,
    today: date,
) -> npt.NDArray[np.float64]:
    return assess(pool, positions, requisition, today=today).lead_time_days
