"""Eligibility: can this person legally work there by the start date, and how?

`assess` (in `assessment`) gives the verdict (`verdict.Eligibility`) for one (candidate,
requisition) pair, from the candidate's `profile`, the requisition's `context` and the `routes`
of the rules that apply (`matching`, `language_step`); `index` gives statuses and lead times for
a whole pool at once (vectorised over start dates, grouped by `statics`); `gate` is what ranking
asks; `caches.clear_all()` forgets every cache.
"""

from matcher.eligibility.assessment import assess, assess_many
from matcher.eligibility.caches import clear_all
from matcher.eligibility.verdict import STATUS_NAMES, STATUS_ORDER, Eligibility, EligibilityStatus

__all__ = [
    "STATUS_NAMES",
    "STATUS_ORDER",
    "Eligibility",
    "EligibilityStatus",
    "assess",
    "assess_many",
    "clear_all",
]
