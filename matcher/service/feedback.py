"""Hospitals' stage feedback on candidates they were shown; it becomes training data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.domain.records import OutcomeRecord
from matcher.errors import NotFoundError
from matcher.store import repository
from matcher.store.api_tables import DisclosureRow
from matcher.store.tables import CandidateRow, RequisitionRow


@dataclass(frozen=True)
class RecordedOutcome:
    requisition_id: int
    candidate_id: int
    stage: str
    created: bool


def record_outcome(*, session: Session, hospital: str, record: OutcomeRecord) -> RecordedOutcome:
    """Only for a pair the hospital was shown: feedback cannot probe for other candidates."""
    requisition_id = session.scalars(
        select(col(RequisitionRow.id)).where(
            col(RequisitionRow.owner) == hospital,
            col(RequisitionRow.external_id) == record.requisition_id,
        )
    ).first()
    stmt = (
        select(col(CandidateRow.id))
        .join(DisclosureRow, col(DisclosureRow.candidate_id) == col(CandidateRow.id))
        .where(
            col(DisclosureRow.requisition_id) == requisition_id,
            col(CandidateRow.external_id) == record.candidate_id,
        )
    )
    if record.agency is not None:
        stmt = stmt.where(col(CandidateRow.agency) == record.agency)
    candidate_ids = [int(c) for c in session.scalars(stmt).all() if c is not None]
    if requisition_id is None:
        candidate_ids = []
    if requisition_id is None or len(candidate_ids) != 1:
        raise NotFoundError(
            "no candidate with this id was shortlisted for this requisition"
            if requisition_id is not None
            else f"requisition {record.requisition_id!r} not found"
        )
    inserted, _ = repository.upsert_outcomes(
        session=session,
        outcomes=[(requisition_id, candidate_ids[0], record.stage.value, record.at)],
    )
    return RecordedOutcome(requisition_id, candidate_ids[0], record.stage.value, inserted == 1)
