"""Deterministic top-k selection."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def top_k(
    scores: npt.NDArray[np.floating], ids: npt.NDArray[np.integer], k: int
) -> npt.NDArray[np.intp]:
    """Positions of the k best scores, best first; ties broken by the smaller id."""
    n = scores.shape[0]
    if n == 0 or k <= 0:
        return np.zeros(0, dtype=np.intp)
    if k < n:
        # argpartition finds a superset cheaply; ties at the cut are resolved by the full sort.
        kth = np.partition(scores, n - k)[n - k]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(n)
    order = np.lexsort((ids[candidates], -scores[candidates]))
    return candidates[order][:k].astype(np.intp)
