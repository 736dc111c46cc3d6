"""Hospitals' stage feedback on candidates they were shown; it becomes training data."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.domain.records import OutcomeRecord
from matcher.errors import NotFoundError
from matcher.store.db import Engine, write_session
from matcher.store.outcomes import shown_candidate_ids, upsert_outcomes
from matcher.store.requisitions import requisition_ids_by_external


@dataclass(frozen=True)
class RecordedOutcome:
    requisition_id: int
    candidate_id: int
    stage: str
    created: bool


def record_outcome(*, engine: Engine, hospital: str, record: OutcomeRecord) -> RecordedOutcome:
    """Only for a pair the hospital was shown: feedback cannot probe for other candidates."""
    with write_session(engine) as session:
        requisition_id = requisition_ids_by_external(
            session=session, owner=hospital, external_ids=[record.requisition_id]
        ).get(record.requisition_id)
        if requisition_id is None:
            raise NotFoundError("no requisition of yours has this requisition_id")
        candidate_ids = shown_candidate_ids(
            session=session,
            requisition_id=requisition_id,
            external_id=record.candidate_id,
            agency=record.agency,
        )
        if len(candidate_ids) != 1:
            raise NotFoundError("no candidate with this id was shortlisted for this requisition")
        inserted, _ = upsert_outcomes(
            session=session,
            outcomes=[(requisition_id, candidate_ids[0], record.stage.value, record.at)],
        )
    return RecordedOutcome(requisition_id, candidate_ids[0], record.stage.value, inserted == 1)
