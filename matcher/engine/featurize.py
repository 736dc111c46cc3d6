"""Turn a requisition and a candidate pool into the allowlisted feature matrix.

The one place that reads domain records for ranking; the arithmetic lives in scoring.features.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import CEFR_ORDER
from matcher.domain.records import RequisitionRecord
from matcher.engine.pool import (
    CONTRACT_INDEX,
    SHIFT_INDEX,
    CandidatePool,
    day_number,
    fold_title,
    title_forms,
)
from matcher.engine.pool import modality_mask as _modality_mask
from matcher.rules.fx import FxTable, default_fx
from scoring import features

FEATURE_NAMES = features.FEATURE_NAMES


@dataclass(frozen=True)
class FeatureMatrix:
    """Column-major float32 features, one row per candidate position; NaN is the null level."""

    names: tuple[str, ...]
    values: npt.NDArray[np.float32]  # (n, len(names)), Fortran order
    positions: npt.NDArray[np.intp]  # rows of the pool these describe

    def column(self, name: str) -> npt.NDArray[np.float32]:
        return self.values[:, self.names.index(name)]


def offer_eur_per_year(requisition: RequisitionRecord, fx: FxTable) -> float:
    """The top of the offered range in euros per year (its minimum when no top is given)."""
    salary = requisition.salary
    if salary is None:
        return float("nan")
    top = salary.max if salary.max is not None else salary.min
    if top is None:
        return float("nan")
    converted = fx.to_eur_per_year(top, salary.currency, salary.period.value)
    return float("nan") if converted is None else converted


def featurize(
    requisition: RequisitionRecord,
    pool: CandidatePool,
    positions: npt.NDArray[np.intp] | None = None,
    *,
    today: date,
    lead_time_days: npt.NDArray[np.float64] | None = None,
    fx: FxTable | None = None,
) -> FeatureMatrix:
    """Every feature in FEATURE_NAMES for `requisition` against `pool` rows at `positions`.

    `lead_time_days` (aligned with `positions`) is the recognition pathway's lead time per
    candidate from the eligibility assessment; NaN or None means unknown (the null level).
    """
    fx = fx or default_fx()
    pos = np.arange(len(pool)) if positions is None else np.asarray(positions, dtype=np.intp)
    n = pos.shape[0]
    required = _modality_mask([m.value for m in requisition.required_modalities])
    preferred = _modality_mask([m.value for m in requisition.preferred_modalities])
    facility = requisition.facility
    start_day = day_number(requisition.start_date)

    columns: dict[str, npt.NDArray[np.float32]] = {}
    columns["title_similarity"] = features.title_similarity_coded(
        title_forms([requisition.title])[0], pool.title_vocab, pool.title_codes[pos]
    )
    has = pool.has_modality[pos]
    columns["required_modality_coverage"] = features.modality_coverage(required, has)
    columns["preferred_modality_coverage"] = features.modality_coverage(preferred, has)
    columns["modality_years_fit"] = features.modality_years_fit(
        required, pool.modality_years[pos], requisition.min_years_experience
    )
    columns["experience_fit"] = features.experience_fit(
        pool.years_experience[pos], requisition.min_years_experience
    )
    columns["equipment_similarity"] = features.equipment_similarity(
        sorted({fold_title(e) for e in requisition.equipment if e.strip()}),
        pool.equipment_vocab,
        pool.equipment_codes[pos],
    )
    shift = requisition.shift
    columns["shift_fit"] = features.preference_fit(
        None if shift is None else SHIFT_INDEX[shift.value], pool.prefers_shift[pos]
    )
    contract = requisition.contract_type
    columns["contract_fit"] = features.preference_fit(
        None if contract is None else CONTRACT_INDEX[contract.value], pool.prefers_contract[pos]
    )
    columns["salary_fit"] = features.salary_fit(
        offer_eur_per_year(requisition, fx), pool.min_salary_eur_year[pos]
    )
    if facility.lat is not None and facility.lon is not None:
        km = features.distance_km(pool.lat[pos], pool.lon[pos], facility.lat, facility.lon)
        columns["proximity"] = features.proximity(km)
    else:
        columns["proximity"] = np.full(n, np.nan, dtype=np.float32)
    columns["country_preference"] = features.preference_fit(
        pool.country_vocab.get(facility.country, -1), pool.prefers_country[pos]
    )
    columns["relocation_fit"] = features.relocation_fit(
        pool.countries[pos] == facility.country, pool.willing_to_relocate[pos]
    )
    columns["availability_fit"] = features.lateness_fit(pool.available_day[pos], start_day)
    columns["language_fit"] = _language_fit(requisition, pool, pos)
    if lead_time_days is None:
        columns["pathway_fit"] = np.full(n, np.nan, dtype=np.float32)
    else:
        ready = day_number(today) + np.asarray(lead_time_days, dtype=np.float64)
        columns["pathway_fit"] = features.lateness_fit(ready, start_day)

    values = np.empty((n, len(FEATURE_NAMES)), dtype=np.float32, order="F")
    for j, name in enumerate(FEATURE_NAMES):
        values[:, j] = columns[name]
    return FeatureMatrix(FEATURE_NAMES, values, pos)


def _language_fit(
    requisition: RequisitionRecord, pool: CandidatePool, pos: npt.NDArray[np.intp]
) -> npt.NDArray[np.float32]:
    need = requisition.language
    if need is None:
        return np.ones(pos.shape[0], dtype=np.float32)
    col = pool.language_vocab.get(need.language)
    levels = pool.language_levels[pos, col] if col is not None else np.zeros(pos.shape[0], np.int8)
    # A language named without a level still has to be spoken: A1 is the floor.
    min_level = CEFR_ORDER[need.min_cefr.value] if need.min_cefr else 1
    return features.language_fit(levels, min_level)
