"""Feature columns for one requisition against many candidates. Vectorised; no per-pair loops.

Convention: every feature is a similarity in [0, 1], higher is better.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


def title_similarity(query: str, titles: npt.NDArray[np.str_] | list[str]) -> FloatArray:
    """token_sort_ratio of `query` against each title, computed once per distinct title.

    Titles must already be normalised (case- and accent-folded) by the caller.
    """
    titles_arr = np.asarray(titles, dtype=np.str_)
    if titles_arr.size == 0:
        return np.zeros(0, dtype=np.float32)
    distinct, inverse = np.unique(titles_arr, return_inverse=True)
    scores = process.cdist(
        [query], distinct.tolist(), scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=1
    )[0]
    similarity: FloatArray = (scores[inverse] / np.float32(100.0)).astype(np.float32)
    return similarity


def modality_coverage(required: BoolArray, has: BoolArray) -> FloatArray:
    """Share of the required modalities each candidate has; 1.0 when nothing is required."""
    n_required = int(required.sum())
    if n_required == 0:
        return np.ones(has.shape[0], dtype=np.float32)
    covered = has[:, required].sum(axis=1, dtype=np.float32)
    coverage: FloatArray = (covered / np.float32(n_required)).astype(np.float32)
    return coverage


def experience_fit(years: FloatArray, min_years: float) -> FloatArray:
    """1.0 at or above the minimum, falling linearly to 0 at no experience."""
    floor = max(float(min_years), 1.0)
    fit: FloatArray = np.clip(years / np.float32(floor), 0.0, 1.0).astype(np.float32)
    return fit
