"""Impact ratios for a model card: the LL144 audit of a model's scores on its evaluation set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matcher.audit.impact import AuditSubject, Dimension, Metric, audit_impact
from matcher.domain.demographics import (
    parse_country_of_training,
    parse_race_ethnicity,
    parse_sex,
)


def impact_for_model_card(
    scores: Sequence[float],
    selected: Sequence[bool] | None = None,
    *,
    sex: Sequence[str | None] | None = None,
    race_ethnicity: Sequence[str | None] | None = None,
    country_of_training: Sequence[str | None] | None = None,
    include_small: bool = False,
) -> dict[str, Any]:
    """JSON-ready impact ratios, scoring rates always and selection rates when `selected` is given.

    Demographic sequences align with `scores`; a dimension is audited only when its data is
    given (the intersectional one needs both sex and race/ethnicity).
    """
    n = len(scores)
    given = {
        "selected": selected,
        "sex": sex,
        "race_ethnicity": race_ethnicity,
        "country_of_training": country_of_training,
    }
    wrong = [f"{k} has {len(v)} values" for k, v in given.items() if v is not None and len(v) != n]
    if wrong:
        raise ValueError(f"every sequence must have {n} values, like scores: " + "; ".join(wrong))
    sexes = [parse_sex(v) for v in sex] if sex is not None else [None] * n
    races = (
        [parse_race_ethnicity(v) for v in race_ethnicity]
        if race_ethnicity is not None
        else [None] * n
    )
    countries = (
        [parse_country_of_training(v) for v in country_of_training]
        if country_of_training is not None
        else [None] * n
    )
    subjects = [
        AuditSubject(
            selected=None if selected is None else bool(selected[i]),
            score=float(scores[i]),
            sex=sexes[i],
            race_ethnicity=races[i],
            country_of_training=countries[i],
        )
        for i in range(n)
    ]
    dimensions = [
        dimension
        for dimension, present in (
            (Dimension.SEX, sex is not None),
            (Dimension.RACE_ETHNICITY, race_ethnicity is not None),
            (Dimension.INTERSECTIONAL, sex is not None and race_ethnicity is not None),
            (Dimension.COUNTRY_OF_TRAINING, country_of_training is not None),
        )
        if present
    ]
    card: dict[str, Any] = {
        "scoring": audit_impact(
            subjects, metric=Metric.SCORING, dimensions=dimensions, include_small=include_small
        ).to_dict()
    }
    if selected is not None:
        card["selection"] = audit_impact(
            subjects, metric=Metric.SELECTION, dimensions=dimensions, include_small=include_small
        ).to_dict()
    return card
