"""Collect reference cycles less often while a batch scores.

A batch keeps hundreds of thousands of long-lived objects (the pool's records, the
eligibility caches) and allocates millions of short-lived ones. CPython's default thresholds
(700, 10, 10) then start collections so often that walking the long-lived objects took 7 s of
a 15.5 s run (20,000 x 2,000, bench/batch.py). Fewer, larger young collections keep cycles
collected and cost almost nothing.

Thresholds are process-wide, so they are set for a whole run and restored after it: in this
process by `fewer_collections`, in Dask workers by `pace`/`unpace` at the start and end of a
run (setting them per task cost a full collection after every task, ~0.1 s each).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BATCH_THRESHOLDS = (100_000, 50, 1_000)
_saved: list[tuple[int, int, int]] = []


def pace() -> None:
    """Raise the thresholds for a run (nested calls are counted)."""
    _saved.append(gc.get_threshold())
    gc.set_threshold(*BATCH_THRESHOLDS)


def unpace() -> None:
    """Restore the thresholds `pace` replaced."""
    if _saved:
        gc.set_threshold(*_saved.pop())


@contextmanager
def fewer_collections() -> Iterator[None]:
    pace()
    try:
        yield
    finally:
        unpace()
