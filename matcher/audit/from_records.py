"""The bias audit over the engine's own records: pipeline feedback joined with demographics.

Population: every candidate with a recorded outcome (any stage) or shown on a shortlist for a
requisition in scope, counted once. Selected: reached `stage` or a later one for any of them;
being shown on a shortlist (a disclosure) counts as reaching `shortlisted`. Rejected and
withdrawn are ends, not steps, so they select nobody. Scores are not stored per candidate,
so this audit is selection-rate only; the scoring-rate audit runs on a model's evaluation
set (matcher.audit.model_card) or on an auditor's CSV.
"""

from __future__ import annotations

from collections.abc import Iterable

from matcher.audit.impact import AuditSubject, Dimension, ImpactReport, Metric, audit_impact
from matcher.domain.codes import Stage
from matcher.errors import InvalidInputError
from matcher.store.db import Engine, read_session
from matcher.store.demographics import read_for_audit
from matcher.store.outcomes import shown_to_hospitals, stages_reached

PROGRESS: tuple[Stage, ...] = (
    Stage.SUBMITTED,
    Stage.SHORTLISTED,
    Stage.INTERVIEWED,
    Stage.OFFERED,
    Stage.PLACED,
)
_STEP = {stage.value: step for step, stage in enumerate(PROGRESS)}


def furthest_steps(stages: Iterable[tuple[int, str]], shown: Iterable[int]) -> dict[int, int]:
    """Each candidate's furthest step in PROGRESS (-1 = only rejected or withdrawn), from
    their (candidate_id, stage) outcomes and the candidates shown on shortlists."""
    furthest: dict[int, int] = {}
    for candidate_id, stage in stages:
        furthest[candidate_id] = max(furthest.get(candidate_id, -1), _STEP.get(stage, -1))
    shortlisted = _STEP[Stage.SHORTLISTED]
    for candidate_id in shown:
        furthest[candidate_id] = max(furthest.get(candidate_id, -1), shortlisted)
    return furthest


def audit_from_records(
    *,
    engine: Engine,
    role: str,
    stage: Stage | str = Stage.SHORTLISTED,
    owner: str | None = None,
    dimensions: Iterable[Dimension | str] = tuple(Dimension),
    include_small: bool = False,
) -> ImpactReport:
    """Selection-rate impact ratios, selected = reached `stage` or later (auditor role only)."""
    stage = Stage(stage)
    if stage not in PROGRESS[1:]:
        allowed = ", ".join(s.value for s in PROGRESS[1:])
        raise InvalidInputError(f"stage must be one of {allowed}, not {stage.value}")
    with read_session(engine) as session:
        demographics = read_for_audit(session=session, role=role)
        steps = furthest_steps(
            stages_reached(session=session, owner=owner),
            shown_to_hospitals(session=session, hospital=owner),
        )
    threshold = _STEP[stage.value]
    subjects = []
    for candidate_id, step in sorted(steps.items()):
        found = demographics.get(candidate_id)
        subjects.append(
            AuditSubject(
                selected=step >= threshold,
                sex=found.sex if found else None,
                race_ethnicity=found.race_ethnicity if found else None,
                country_of_training=found.country_of_training if found else None,
            )
        )
    return audit_impact(
        subjects, metric=Metric.SELECTION, dimensions=dimensions, include_small=include_small
    )
