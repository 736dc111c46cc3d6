"""Eligibility: can this person legally work there by the start date, and how?

`verdict` assesses one (candidate, requisition) pair; `index` does the same for a whole pool
at once (statuses and lead times, vectorised over start dates); `gate` is what ranking asks.
"""

from matcher.eligibility.verdict import (
    STATUS_NAMES,
    STATUS_ORDER,
    Eligibility,
    EligibilityStatus,
    assess,
    assess_many,
    clear_caches,
)

__all__ = [
    "STATUS_NAMES",
    "STATUS_ORDER",
    "Eligibility",
    "EligibilityStatus",
    "assess",
    "assess_many",
    "clear_caches",
]
