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

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.audit.demographics import read_for_audit
from matcher.audit.impact import AuditSubject, Dimension, ImpactReport, Metric, audit_impact
from matcher.domain.codes import Stage
from matcher.errors import InvalidInputError
from matcher.store.api_tables import DisclosureRow
from matcher.store.tables import OutcomeRow, RequisitionRow

PROGRESS: tuple[Stage, ...] = (
    Stage.SUBMITTED,
    Stage.SHORTLISTED,
    Stage.INTERVIEWED,
    Stage.OFFERED,
    Stage.PLACED,
)
_STEP = {stage.value: step for step, stage in enumerate(PROGRESS)}


def furthest_steps(*, session: Session, owner: str | None = None) -> dict[int, int]:
    """Each candidate's furthest step in PROGRESS (-1 = only rejected or withdrawn)."""
    outcomes = select(col(OutcomeRow.candidate_id), col(OutcomeRow.stage)).join(
        RequisitionRow, col(RequisitionRow.id) == col(OutcomeRow.requisition_id)
    )
    shown = select(col(DisclosureRow.candidate_id))
    if owner is not None:
        outcomes = outcomes.where(col(RequisitionRow.owner) == owner)
        shown = shown.where(col(DisclosureRow.hospital) == owner)
    furthest: dict[int, int] = {}
    for candidate_id, stage in session.execute(outcomes):
        furthest[candidate_id] = max(furthest.get(candidate_id, -1), _STEP.get(stage, -1))
    shortlisted = _STEP[Stage.SHORTLISTED]
    for candidate_id in session.scalars(shown):
        furthest[candidate_id] = max(furthest.get(candidate_id, -1), shortlisted)
    return furthest


def audit_from_records(
    *,
    session: Session,
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
    demographics = read_for_audit(session=session, role=role)
    threshold = _STEP[stage.value]
    subjects = []
    for candidate_id, step in sorted(furthest_steps(session=session, owner=owner).items()):
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
