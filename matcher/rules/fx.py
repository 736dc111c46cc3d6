"""A dated FX table (fixtures/fx_rates.toml) for comparing salaries across currencies and periods.

Every amount is converted to euros per year: the ECB quotes rates against the euro, and a
year is the period most requisitions state.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.domain.codes import PayPeriod
from matcher.errors import DataFileError
from matcher.rules import FIXTURES_DIR

DEFAULT_FX_PATH = FIXTURES_DIR / "fx_rates.toml"


@dataclass(frozen=True)
class FxTable:
    as_of: date
    source: str
    per_euro: dict[str, float]  # units of each currency one euro buys
    periods_per_year: dict[str, float]

    def to_eur_per_year(self, amount: float, currency: str, period: str) -> float | None:
        """`amount` in euros per year, or None when the currency is not in the table."""
        rate = self.per_euro.get(currency)
        if rate is None:
            return None
        return amount * self.periods_per_year[period] / rate

    def to_eur_per_year_many(
        self,
        amounts: npt.NDArray[np.float64],
        currencies: npt.NDArray[np.str_],
        periods: npt.NDArray[np.str_],
    ) -> npt.NDArray[np.float64]:
        """Vectorised `to_eur_per_year`; NaN where the amount or currency is unknown."""
        out = np.full(amounts.shape, np.nan, dtype=np.float64)
        for code in np.unique(currencies):
            rate = self.per_euro.get(str(code))
            if rate is None:
                continue
            rows = currencies == code
            factor = np.array([self.periods_per_year.get(str(p), np.nan) for p in periods[rows]])
            out[rows] = amounts[rows] * factor / rate
        return out


def _validated(raw: dict[str, Any], path: str) -> FxTable:
    problems: list[str] = []
    meta = raw.get("meta", {})
    if not isinstance(meta.get("as_of"), date):
        problems.append("meta.as_of: must be a date (YYYY-MM-DD)")
    if not str(meta.get("source", "")).strip():
        problems.append("meta.source: must name where the rates come from")
    if meta.get("base") != "EUR":
        problems.append("meta.base: must be 'EUR'")
    rates = raw.get("rates", {})
    for code, value in rates.items():
        if len(code) != 3 or not code.isupper():
            problems.append(f"rates.{code}: not an ISO 4217 code")
        if not isinstance(value, int | float) or value <= 0:
            problems.append(f"rates.{code}: must be a positive number")
    if rates.get("EUR") != 1.0:
        problems.append("rates.EUR: must be 1.0")
    periods = raw.get("periods_per_year", {})
    for period in PayPeriod:
        value = periods.get(period.value)
        if not isinstance(value, int | float) or value <= 0:
            problems.append(f"periods_per_year.{period.value}: must be a positive number")
    if problems:
        raise DataFileError(path, problems)
    return FxTable(
        as_of=meta["as_of"],
        source=str(meta["source"]),
        per_euro={str(k): float(v) for k, v in rates.items()},
        periods_per_year={str(k): float(v) for k, v in periods.items()},
    )


def load_fx(path: Path | str = DEFAULT_FX_PATH) -> FxTable:
    """Load and validate an FX table, reporting every problem at once."""
    with Path(path).open("rb") as fh:
        return _validated(tomllib.load(fh), str(path))


@lru_cache(maxsize=1)
def default_fx() -> FxTable:
    return load_fx(DEFAULT_FX_PATH)
