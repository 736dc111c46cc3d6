"""Values computed from a candidate pool, remembered while that pool object is alive.

A pool is immutable: a changed candidate set is a new pool object. So what is derived from a
pool (the blocks of each occupation, the eligibility index of a day) can be kept per pool
object and reused by every requisition ranked against it. Pools are held weakly: the memo
never keeps a replaced pool (the API's pool cache replaces them on writes) alive.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from matcher.engine.pool import CandidatePool

T = TypeVar("T")


class PoolMemo(Generic[T]):
    """Up to `keep` values per memo, keyed by (pool object, key)."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._values: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[CandidatePool], T]] = (
            OrderedDict()
        )
        # Re-entrant: a pool can die (and `_forget` run) during a garbage collection that
        # starts while this thread holds the lock.
        self._lock = threading.RLock()

    def get(self, pool: CandidatePool, key: Hashable, compute: Callable[[], T]) -> T:
        slot = (id(pool), key)
        with self._lock:
            found = self._values.get(slot)
            if found is not None and found[0]() is pool:
                self._values.move_to_end(slot)
                return found[1]
        value = compute()  # outside the lock: it may take a while; a race computes it twice
        with self._lock:
            self._values[slot] = (weakref.ref(pool, self._forget), value)
            self._values.move_to_end(slot)
            while len(self._values) > self._keep:
                self._values.popitem(last=False)
        return value

    def _forget(self, dead: weakref.ref[CandidatePool]) -> None:
        with self._lock:
            for slot in [s for s, (ref, _) in self._values.items() if ref is dead]:
                del self._values[slot]
