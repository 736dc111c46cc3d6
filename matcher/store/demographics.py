"""Self-reported demographics: stored apart from profiles and read only for bias audits.

Nothing on the ranking path imports this module (a test walks the import graph). Reading
needs the `auditor` role, checked here as well as at the API, so no caller can skip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session, col

from matcher.domain.demographics import (
    AUDITOR_ROLE,
    Demographics,
    RaceEthnicity,
    Sex,
    parse_self_report,
)
from matcher.errors import ForbiddenError, NotFoundError
from matcher.store.audit_tables import DemographicsRow
from matcher.store.tables import CandidateRow, utcnow


def store_demographics(
    *,
    session: Session,
    candidate_id: int,
    sex: str | None = None,
    race_ethnicity: str | None = None,
    country_of_training: str | None = None,
    self_reported_at: datetime | None = None,
) -> Demographics:
    """Insert or replace one candidate's self-report; every bad value is reported at once."""
    report = parse_self_report(
        sex=sex, race_ethnicity=race_ethnicity, country_of_training=country_of_training
    )
    if session.get(CandidateRow, candidate_id) is None:
        raise NotFoundError(f"candidate {candidate_id} not found")
    row = session.get(DemographicsRow, candidate_id) or DemographicsRow(candidate_id=candidate_id)
    row.sex = str(report.sex) if report.sex is not None else None
    row.race_ethnicity = str(report.race_ethnicity) if report.race_ethnicity else None
    row.country_of_training = report.country_of_training or None
    row.self_reported_at = self_reported_at or utcnow()
    session.add(row)
    session.flush()
    return _to_domain(row)


def withdraw_demographics(*, session: Session, candidate_id: int) -> bool:
    """Delete a self-report (the candidate withdrew it); True when there was one."""
    result = session.execute(
        delete(DemographicsRow).where(col(DemographicsRow.candidate_id) == candidate_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def read_for_audit(
    *, session: Session, role: str, candidate_ids: Sequence[int] | None = None
) -> dict[int, Demographics]:
    """Self-reports by candidate id, for an auditor only; absent candidates are unknown."""
    if role != AUDITOR_ROLE:
        raise ForbiddenError("demographics are readable by the auditor role only")
    stmt = select(DemographicsRow)
    if candidate_ids is not None:
        stmt = stmt.where(col(DemographicsRow.candidate_id).in_(list(candidate_ids)))
    return {row.candidate_id: _to_domain(row) for row in session.scalars(stmt)}


def _to_domain(row: DemographicsRow) -> Demographics:
    return Demographics(
        candidate_id=row.candidate_id,
        sex=Sex(row.sex) if row.sex else None,
        race_ethnicity=RaceEthnicity(row.race_ethnicity) if row.race_ethnicity else None,
        country_of_training=row.country_of_training,
        self_reported_at=row.self_reported_at,
    )
