"""Feature columns for one requisition against many candidates. Vectorised; no per-pair loops.

Convention: every feature is a similarity in [0, 1], higher is better, and NaN is the explicit
null level ("unknown"), never silently a zero. A requirement the requisition does not state
is met by everyone (1.0). Callers pass plain arrays and scalars; nothing here knows records.

`FEATURE_NAMES` is the allowlist: the only columns any scorer or learner may see. Protected
attributes (sex, ethnicity, age or date of birth, nationality, names, photos) are not on it,
and tests/engine/test_protected.py fails if one is added.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

FEATURE_NAMES: tuple[str, ...] = (
    "title_similarity",
    "required_modality_coverage",
    "preferred_modality_coverage",
    "modality_years_fit",
    "experience_fit",
    "equipment_similarity",
    "shift_fit",
    "contract_fit",
    "salary_fit",
    "proximity",
    "country_preference",
    "relocation_fit",
    "availability_fit",
    "language_fit",
    "pathway_fit",
)

EARTH_RADIUS_KM = 6371.0
PROXIMITY_HALF_KM = 500.0  # distance at which proximity falls to one half
LATE_DAYS_TO_ZERO = 180.0  # days late (availability or pathway) at which the fit reaches 0
SALARY_SHORTFALL_TO_ZERO = 0.5  # an offer this fraction below the ask scores 0
CEFR_LEVELS_TO_ZERO = 3  # CEFR levels short of the requirement at which the fit reaches 0


def _nan(n: int) -> FloatArray:
    return np.full(n, np.nan, dtype=np.float32)


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


def title_similarity_coded(
    query: str, vocabulary: npt.NDArray[np.str_], codes: npt.NDArray[np.int32]
) -> FloatArray:
    """`title_similarity` for titles given as codes into a vocabulary of distinct titles.

    The pool keeps the vocabulary, so a request scores each distinct title once and gathers.
    """
    if codes.size == 0:
        return np.zeros(0, dtype=np.float32)
    scores = process.cdist(
        [query], vocabulary.tolist(), scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=1
    )[0]
    similarity: FloatArray = scores[codes] / np.float32(100.0)
    return similarity


def modality_coverage(required: BoolArray, has: BoolArray) -> FloatArray:
    """Share of the required modalities each candidate has; 1.0 when nothing is required."""
    n_required = int(required.sum())
    if n_required == 0:
        return np.ones(has.shape[0], dtype=np.float32)
    covered = has[:, required].sum(axis=1, dtype=np.float32)
    coverage: FloatArray = (covered / np.float32(n_required)).astype(np.float32)
    return coverage


def modality_years_fit(required: BoolArray, years: FloatArray, min_years: float) -> FloatArray:
    """Mean over the required modalities of years in it against the minimum (floor one year).

    Null when no modality is required: there is nothing to measure years in.
    """
    if not required.any():
        return _nan(years.shape[0])
    floor = np.float32(max(float(min_years), 1.0))
    fit: FloatArray = np.clip(years[:, required] / floor, 0.0, 1.0).mean(axis=1)
    return fit.astype(np.float32)


def experience_fit(years: FloatArray, min_years: float) -> FloatArray:
    """Total experience: 1.0 at or above the minimum, falling linearly to 0 at no experience."""
    floor = max(float(min_years), 1.0)
    fit: FloatArray = np.clip(years / np.float32(floor), 0.0, 1.0).astype(np.float32)
    return fit


def equipment_similarity(
    wanted: list[str], vocabulary: tuple[str, ...] | list[str], codes: npt.NDArray[np.int32]
) -> FloatArray:
    """For each wanted item, the best fuzzy match among the candidate's; mean over wanted items.

    Strings must be folded by the caller. token_set_ratio gives partial credit for the same
    vendor or model family ("siemens somatom force" vs "siemens somatom go"); it runs on the
    distinct vocabulary only, then is gathered per candidate. Null when the candidate lists
    no equipment; 1.0 when the requisition names none.
    """
    n = codes.shape[0]
    if not wanted:
        return np.ones(n, dtype=np.float32)
    if codes.shape[1] == 0 or not vocabulary:
        return _nan(n)
    sims = process.cdist(
        wanted, list(vocabulary), scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1
    ) / np.float32(100.0)
    padded = np.concatenate([sims, np.zeros((len(wanted), 1), dtype=np.float32)], axis=1)
    gathered = padded[:, codes]  # (wanted, n, items); padding (-1) reads the zero column
    best: FloatArray = gathered.max(axis=2).mean(axis=0).astype(np.float32)
    best[(codes < 0).all(axis=1)] = np.nan
    return best


def preference_fit(wanted_column: int | None, prefers: BoolArray) -> FloatArray:
    """1.0 when the candidate's preferences include the offered value, 0.0 when they exclude it.

    `wanted_column` is the offered value's column in `prefers` (None when the requisition does
    not state one: everyone fits; -1 when no candidate names it). Null when a candidate states
    no preference at all.
    """
    n = prefers.shape[0]
    if wanted_column is None:
        return np.ones(n, dtype=np.float32)
    fit = (
        prefers[:, wanted_column].astype(np.float32)
        if wanted_column >= 0
        else np.zeros(n, dtype=np.float32)
    )
    fit[~prefers.any(axis=1)] = np.nan
    return fit


def salary_fit(offer_max: float, asks: npt.NDArray[np.float64]) -> FloatArray:
    """1.0 when the offer's top meets the candidate's minimum, falling linearly to 0 at a
    shortfall of SALARY_SHORTFALL_TO_ZERO. Both in the same currency and period (caller
    converts). Null where either is unknown."""
    if not np.isfinite(offer_max):
        return _nan(asks.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        shortfall = np.maximum(asks - offer_max, 0.0) / np.where(asks > 0, asks, 1.0)
    fit = np.clip(1.0 - shortfall / SALARY_SHORTFALL_TO_ZERO, 0.0, 1.0).astype(np.float32)
    fit[~np.isfinite(asks)] = np.nan
    return fit


def distance_km(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], to_lat: float, to_lon: float
) -> npt.NDArray[np.float64]:
    """Great-circle (haversine) distance; NaN where a point is unknown."""
    p1, p2 = np.radians(lat), np.radians(to_lat)
    dphi, dlmb = p2 - p1, np.radians(to_lon - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    km: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return km


def proximity(km: npt.NDArray[np.float64]) -> FloatArray:
    """1 / (1 + km / PROXIMITY_HALF_KM): 1.0 on site, 0.5 at 500 km; null where unknown."""
    result: FloatArray = (1.0 / (1.0 + km / PROXIMITY_HALF_KM)).astype(np.float32)
    return result


def relocation_fit(same_country: BoolArray, willing: BoolArray) -> FloatArray:
    """1.0 when the candidate lives in the destination country or is willing to relocate."""
    return (same_country | willing).astype(np.float32)


def lateness_fit(ready_day: npt.NDArray[np.float64], start_day: float) -> FloatArray:
    """1.0 when ready by the start day, falling linearly to 0 at LATE_DAYS_TO_ZERO days late.

    Null where the ready day or the start day is unknown.
    """
    if not np.isfinite(start_day):
        return _nan(ready_day.shape[0])
    late = np.maximum(ready_day - start_day, 0.0)
    result: FloatArray = np.clip(1.0 - late / LATE_DAYS_TO_ZERO, 0.0, 1.0).astype(np.float32)
    return result


def language_fit(levels: npt.NDArray[np.int8], min_level: int | None) -> FloatArray:
    """CEFR level in the required language against the minimum.

    `levels` is the candidate's level (1..6 for A1..C2, 0 not spoken, negative listed without
    a level). 1.0 at or above the minimum or when
    nothing is required, 0.0 when not spoken, falling by 1/CEFR_LEVELS_TO_ZERO per level short;
    null when the language is listed without a level.
    """
    n = levels.shape[0]
    if min_level is None:
        return np.ones(n, dtype=np.float32)
    short = np.maximum(min_level - levels.astype(np.float32), 0.0)
    fit = np.clip(1.0 - short / CEFR_LEVELS_TO_ZERO, 0.0, 1.0).astype(np.float32)
    fit[levels == 0] = 0.0
    fit[levels < 0] = np.nan
    return fit
