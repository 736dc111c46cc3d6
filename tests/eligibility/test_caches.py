"""`clear_all` empties every eligibility cache, and verdicts computed again are the same."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import numpy as np

import matcher.eligibility
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import assess, assess_many, clear_all
from matcher.eligibility.caches import CACHES, sizes
from matcher.eligibility.data_cache import DataCache
from matcher.eligibility.index import EligibilityIndex
from matcher.eligibility.statics import StaticCache
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.synthetic.generator import generate

TODAY = date(2026, 2, 1)


def _everything(
    candidates: list[CandidateRecord], requisitions: list[RequisitionRecord]
) -> list[object]:
    """Every verdict, grouped verdict and index status of the market, as plain values."""
    index = EligibilityIndex(candidates, TODAY)
    every = np.arange(len(candidates))
    out: list[object] = []
    for requisition in requisitions:
        out.append([assess(c, requisition, today=TODAY).to_dict() for c in candidates])
        out.append([v.to_dict() for v in assess_many(candidates, requisition, today=TODAY)])
        codes, lead = index.statuses(every, requisition)
        out.append((codes.tolist(), np.nan_to_num(lead, nan=-1.0).tolist()))
    return out


def test_clear_all_empties_every_cache_and_changes_no_result() -> None:
    raw_candidates, raw_requisitions = generate(200, 8, seed=5)
    candidates = with_derived_occupation(
        [CandidateRecord.model_validate(c) for c in raw_candidates]
    )
    requisitions = with_derived_occupation(
        [RequisitionRecord.model_validate(r) for r in raw_requisitions]
    )
    before = _everything(candidates, requisitions)
    assert all(size > 0 for size in sizes().values()), sizes()

    clear_all()

    assert all(size == 0 for size in sizes().values()), sizes()
    assert _everything(candidates, requisitions) == before
    assert all(size > 0 for size in sizes().values()), sizes()


def test_every_module_level_cache_of_the_package_is_listed() -> None:
    listed = {id(cache) for cache in CACHES.values()}
    found = []
    for module_info in pkgutil.iter_modules(matcher.eligibility.__path__):
        module = importlib.import_module(f"matcher.eligibility.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, DataCache | StaticCache) and id(value) not in listed:
                found.append(f"{module.__name__}.{name}")
    assert found == []
    assert len(listed) == len(CACHES)
