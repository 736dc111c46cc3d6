"""Bias audit by the NYC Local Law 144 method: selection or scoring rates and impact ratios.

Method (6 RCNY § 5-301, https://rules.cityofnewyork.us/rule/automated-employment-decision-tools-updated/):
- selection rate of a category = selected / individuals in the category;
- scoring rate = share of the category scoring strictly above the median score of the full
  sample (everyone scored, unknown demographics included);
- impact ratio = a category's rate / the highest rate among the categories in the ratios;
- individuals with an unknown category are counted and reported, never put in a category;
- a category under 2% of the known data may be left out of the ratios (the default here);
  it is still reported with its count and rate;
- a ratio under 0.8 is flagged (the EEOC four-fifths rule of thumb, 29 CFR § 1607.4(D)).
Dimensions: sex, race/ethnicity, sex x race/ethnicity, and country of training.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from matcher.domain.demographics import RaceEthnicity, Sex
from matcher.errors import FieldError, InvalidInputError, RowError

SMALL_SHARE = 0.02
FOUR_FIFTHS = 0.8


class Metric(StrEnum):
    SELECTION = "selection"
    SCORING = "scoring"


class Dimension(StrEnum):
    SEX = "sex"
    RACE_ETHNICITY = "race_ethnicity"
    INTERSECTIONAL = "intersectional"
    COUNTRY_OF_TRAINING = "country_of_training"


DIMENSION_FIELDS: dict[Dimension, tuple[str, ...]] = {
    Dimension.SEX: ("sex",),
    Dimension.RACE_ETHNICITY: ("race_ethnicity",),
    Dimension.INTERSECTIONAL: ("sex", "race_ethnicity"),
    Dimension.COUNTRY_OF_TRAINING: ("country_of_training",),
}

# Report categories in the vocabulary's own order; countries alphabetically after it.
_ORDER: dict[str, int] = {
    value: index for index, value in enumerate([*map(str, Sex), *map(str, RaceEthnicity)])
}


@dataclass(frozen=True)
class AuditSubject:
    """One individual in an audit: the outcome and the self-reported categories (None = unknown)."""

    selected: bool | None = None
    score: float | None = None
    sex: Sex | None = None
    race_ethnicity: RaceEthnicity | None = None
    country_of_training: str | None = None


@dataclass(frozen=True)
class CategoryResult:
    category: tuple[str, ...]
    count: int
    positives: int  # selected, or scored above the median
    rate: float
    share: float  # of the individuals whose category in this dimension is known
    small: bool  # under the small-category share
    impact_ratio: float | None  # None when the category is left out of the ratios
    below_four_fifths: bool

    def to_dict(self, fields: tuple[str, ...]) -> dict[str, Any]:
        return {
            "category": " / ".join(self.category),
            "values": dict(zip(fields, self.category, strict=True)),
            "count": self.count,
            "positives": self.positives,
            "rate": self.rate,
            "share": self.share,
            "small": self.small,
            "in_ratios": self.impact_ratio is not None,
            "impact_ratio": self.impact_ratio,
            "below_four_fifths": self.below_four_fifths,
        }


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    total: int
    unknown: int
    unknown_positives: int
    reference: tuple[str, ...] | None  # the highest-rate category in the ratios
    categories: tuple[CategoryResult, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return DIMENSION_FIELDS[self.dimension]

    def category(self, *labels: str) -> CategoryResult:
        for result in self.categories:
            if result.category == labels:
                return result
        raise KeyError(labels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension.value,
            "fields": list(self.fields),
            "total": self.total,
            "known": self.total - self.unknown,
            "unknown": self.unknown,
            "unknown_positives": self.unknown_positives,
            "reference": " / ".join(self.reference) if self.reference else None,
            "flagged": [" / ".join(c.category) for c in self.categories if c.below_four_fifths],
            "categories": [c.to_dict(self.fields) for c in self.categories],
        }


@dataclass(frozen=True)
class ImpactReport:
    metric: Metric
    include_small: bool
    small_share: float
    total: int
    median_score: float | None  # the scoring metric's threshold; None for selection
    dimensions: tuple[DimensionResult, ...]

    def dimension(self, dimension: Dimension | str) -> DimensionResult:
        for result in self.dimensions:
            if result.dimension == dimension:
                return result
        raise KeyError(dimension)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "NYC Local Law 144 (6 RCNY 5-301)",
            "metric": self.metric.value,
            "include_small": self.include_small,
            "small_share": self.small_share,
            "four_fifths": FOUR_FIFTHS,
            "total": self.total,
            "median_score": self.median_score,
            "dimensions": [d.to_dict() for d in self.dimensions],
        }


def impact_by_category(
    categories: Sequence[tuple[str, ...] | None],
    positives: Sequence[bool] | np.ndarray,
    *,
    dimension: Dimension,
    include_small: bool = False,
    small_share: float = SMALL_SHARE,
) -> DimensionResult:
    """Rates and impact ratios of one dimension; `None` in `categories` means unknown."""
    outcome = np.asarray(positives, dtype=bool)
    if len(categories) != len(outcome):
        raise ValueError("categories and positives must have the same length")
    counts: dict[tuple[str, ...], list[int]] = {}
    unknown = unknown_positives = 0
    for category, positive in zip(categories, outcome.tolist(), strict=True):
        if category is None:
            unknown += 1
            unknown_positives += int(positive)
            continue
        tally = counts.setdefault(category, [0, 0])
        tally[0] += 1
        tally[1] += int(positive)
    known = len(outcome) - unknown
    rates = {category: hits / count for category, (count, hits) in counts.items()}
    small = {category: count / known < small_share for category, (count, _) in counts.items()}
    in_ratios = [c for c in counts if include_small or not small[c]]
    reference = max(in_ratios, key=lambda c: rates[c], default=None)
    top = rates[reference] if reference is not None else 0.0
    results = []
    for category in sorted(counts, key=_sort_key):
        count, hits = counts[category]
        # With every rate zero there is no highest group to compare with: no ratio, no flag.
        ratio = rates[category] / top if category in in_ratios and top > 0 else None
        results.append(
            CategoryResult(
                category=category,
                count=count,
                positives=hits,
                rate=rates[category],
                share=count / known,
                small=small[category],
                impact_ratio=ratio,
                below_four_fifths=ratio is not None and ratio < FOUR_FIFTHS,
            )
        )
    return DimensionResult(
        dimension=dimension,
        total=len(outcome),
        unknown=unknown,
        unknown_positives=unknown_positives,
        reference=reference if top > 0 else None,
        categories=tuple(results),
    )


def _sort_key(category: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((_ORDER.get(label, len(_ORDER)), label) for label in category)


def above_median(scores: Sequence[float] | np.ndarray) -> tuple[float, np.ndarray]:
    """The full-sample median and who scored strictly above it (equal to it is not above)."""
    values = np.asarray(scores, dtype=np.float64)
    if values.size == 0:
        raise InvalidInputError("a scoring-rate audit needs at least one score")
    median = float(np.median(values))
    return median, values > median


def _categories_of(
    subjects: Sequence[AuditSubject], dimension: Dimension
) -> list[tuple[str, ...] | None]:
    fields = DIMENSION_FIELDS[dimension]
    out: list[tuple[str, ...] | None] = []
    for subject in subjects:
        values = [getattr(subject, name) for name in fields]
        out.append(None if any(v is None for v in values) else tuple(str(v) for v in values))
    return out


def _check_outcomes(subjects: Sequence[AuditSubject], metric: Metric) -> None:
    rows: list[RowError] = []
    for index, subject in enumerate(subjects):
        if metric is Metric.SELECTION and subject.selected is None:
            problem = FieldError("selected", "required for a selection-rate audit")
        elif metric is Metric.SCORING and (
            subject.score is None or not math.isfinite(subject.score)
        ):
            problem = FieldError("score", "a finite number is required for a scoring-rate audit")
        else:
            continue
        # `line` counts subjects from 1: callers reading files check outcomes with line numbers.
        rows.append(RowError(index=index, line=index + 1, errors=(problem,)))
    if rows:
        raise InvalidInputError(f"{len(rows)} subject(s) lack a {metric.value} outcome", rows=rows)


def audit_impact(
    subjects: Sequence[AuditSubject],
    *,
    metric: Metric | str,
    dimensions: Iterable[Dimension | str] = tuple(Dimension),
    include_small: bool = False,
    small_share: float = SMALL_SHARE,
) -> ImpactReport:
    """Run the LL144 bias audit over `subjects` for each of `dimensions`."""
    metric = Metric(metric)
    chosen = [Dimension(d) for d in dimensions]
    _check_outcomes(subjects, metric)
    median: float | None = None
    if metric is Metric.SELECTION:
        positives = np.array([bool(s.selected) for s in subjects], dtype=bool)
    else:
        median, positives = above_median([float(s.score or 0.0) for s in subjects])
    return ImpactReport(
        metric=metric,
        include_small=include_small,
        small_share=small_share,
        total=len(subjects),
        median_score=median,
        dimensions=tuple(
            impact_by_category(
                _categories_of(subjects, dimension),
                positives,
                dimension=dimension,
                include_small=include_small,
                small_share=small_share,
            )
            for dimension in chosen
        ),
    )
