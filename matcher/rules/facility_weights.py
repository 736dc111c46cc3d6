"""Per-facility weight overrides, kept as data in fixtures/ranking/facility_weights.toml.

The API and batch jobs call `weights_for(facility_external_id)` and pass the result to
`matcher.engine.pipeline.rank(..., weights=...)`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from matcher.errors import DataFileError
from matcher.rules import FIXTURES_DIR
from scoring.features import FEATURE_NAMES
from scoring.weighted import DEFAULT_WEIGHTS

DEFAULT_PATH = FIXTURES_DIR / "ranking" / "facility_weights.toml"


@dataclass(frozen=True)
class FacilityWeights:
    overrides: dict[str, dict[str, float]] = field(default_factory=dict)

    def weights_for(self, facility_id: str | None) -> dict[str, float]:
        """The defaults with this facility's overrides on top (defaults alone if it has none)."""
        return {**DEFAULT_WEIGHTS, **self.overrides.get(facility_id or "", {})}


def _facility_problems(facility_id: str, entry: Any) -> list[str]:
    where = f"facility.{facility_id}"
    if not isinstance(entry, dict):
        return [f"{where}: must be a table"]
    problems = []
    if not isinstance(entry.get("as_of"), date):
        problems.append(f"{where}.as_of: must be a date (YYYY-MM-DD)")
    if not str(entry.get("source", "")).strip():
        problems.append(f"{where}.source: must say who asked for these weights")
    weights = entry.get("weights")
    if not isinstance(weights, dict) or not weights:
        return [*problems, f"{where}.weights: must name at least one feature"]
    for name, value in weights.items():
        if name not in FEATURE_NAMES:
            problems.append(f"{where}.weights.{name}: not a feature ({', '.join(FEATURE_NAMES)})")
        elif not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            problems.append(f"{where}.weights.{name}: must be a number >= 0")
    merged = {**DEFAULT_WEIGHTS, **{k: v for k, v in weights.items() if isinstance(v, int | float)}}
    if sum(max(v, 0.0) for v in merged.values()) <= 0:
        problems.append(f"{where}.weights: at least one weight must stay positive")
    return problems


def load_facility_weights(path: Path | str = DEFAULT_PATH) -> FacilityWeights:
    """Load and validate the overrides file, reporting every problem at once."""
    with Path(path).open("rb") as fh:
        raw = tomllib.load(fh)
    facilities = raw.get("facility", {})
    problems = [] if isinstance(facilities, dict) else ["facility: must be a table"]
    if not problems:
        for facility_id, entry in facilities.items():
            problems.extend(_facility_problems(facility_id, entry))
    if problems:
        raise DataFileError(str(path), problems)
    return FacilityWeights(
        {fid: {k: float(v) for k, v in e["weights"].items()} for fid, e in facilities.items()}
    )


@lru_cache(maxsize=1)
def default_facility_weights() -> FacilityWeights:
    return load_facility_weights(DEFAULT_PATH)
