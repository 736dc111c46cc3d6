"""Every module-level cache of eligibility, and `clear_all()` to forget them (a worker releasing
memory after a batch).

Clearing is always safe, also while other threads assess: each cache only remembers what it
can compute again, and signature ids are never reused. Not listed: the index's numbered
outcome sets (`matcher.eligibility.index`), whose numbers live indexes hold and which stay
few. An `EligibilityIndex` lives as long as its owner keeps it (the engine keeps one per pool
object, weakly).
"""

from __future__ import annotations

from collections.abc import Sized
from typing import Protocol

from matcher.eligibility.index import INPUT_OUTCOMES
from matcher.eligibility.language_step import LANGUAGE_STEPS
from matcher.eligibility.matching import RULE_MATCHES
from matcher.eligibility.routes import ROUTES
from matcher.eligibility.statics import STATICS


class _Cache(Sized, Protocol):
    def clear(self) -> None: ...


CACHES: dict[str, _Cache] = {
    "statics": STATICS,  # date-free facts per candidate record, with their signature ids
    "rule matches": RULE_MATCHES,
    "language steps": LANGUAGE_STEPS,
    "routes": ROUTES,
    "input outcomes": INPUT_OUTCOMES,  # the index's route outcomes per input and destination
}


def sizes() -> dict[str, int]:
    """How many entries each cache holds."""
    return {name: len(cache) for name, cache in CACHES.items()}


def clear_all() -> None:
    """Forget every remembered verdict part; results after it are the same, computed again."""
    for cache in CACHES.values():
        cache.clear()
