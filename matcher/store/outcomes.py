"""Outcomes: the stages candidates reached for requisitions, from feeds and hospitals' feedback,
and what the bias audit reads of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, tuple_
from sqlmodel import Session, col

from matcher.store.api_tables import DisclosureRow
from matcher.store.rows import chunks
from matcher.store.tables import CandidateRow, OutcomeRow, RequisitionRow


def upsert_outcomes(
    *, session: Session, outcomes: Sequence[tuple[int, int, str, date]]
) -> tuple[int, int]:
    """Store (requisition_id, candidate_id, stage, at); a repeated stage updates its date."""
    keys = [(r, c, s) for r, c, s, _ in outcomes]
    existing: dict[tuple[int, int, str], OutcomeRow] = {}
    for chunk in chunks(keys):
        stmt = select(OutcomeRow).where(
            tuple_(
                col(OutcomeRow.requisition_id), col(OutcomeRow.candidate_id), col(OutcomeRow.stage)
            ).in_(chunk)
        )
        for (row,) in session.execute(stmt).all():
            existing[(row.requisition_id, row.candidate_id, row.stage)] = row
    inserted = updated = 0
    for req_id, cand_id, stage, at in outcomes:
        row = existing.get((req_id, cand_id, stage))
        if row is None:
            row = OutcomeRow(requisition_id=req_id, candidate_id=cand_id, stage=stage, at=at)
            session.add(row)
            existing[(req_id, cand_id, stage)] = row
            inserted += 1
        elif row.at != at:
            row.at = at
            updated += 1
    session.flush()
    return inserted, updated


def shown_candidate_ids(
    *, session: Session, requisition_id: int, external_id: str, agency: str | None
) -> list[int]:
    """Ids of the candidates with `external_id` (at `agency`, if given) that the requisition's
    hospital was shown: feedback is accepted only for them."""
    stmt = (
        select(col(CandidateRow.id))
        .join(DisclosureRow, col(DisclosureRow.candidate_id) == col(CandidateRow.id))
        .where(
            col(DisclosureRow.requisition_id) == requisition_id,
            col(CandidateRow.external_id) == external_id,
        )
    )
    if agency is not None:
        stmt = stmt.where(col(CandidateRow.agency) == agency)
    return [int(c) for c in session.scalars(stmt).all() if c is not None]


def stages_reached(*, session: Session, owner: str | None = None) -> list[tuple[int, str]]:
    """(candidate_id, stage) of every recorded outcome, of `owner`'s requisitions if given."""
    stmt = select(col(OutcomeRow.candidate_id), col(OutcomeRow.stage)).join(
        RequisitionRow, col(RequisitionRow.id) == col(OutcomeRow.requisition_id)
    )
    if owner is not None:
        stmt = stmt.where(col(RequisitionRow.owner) == owner)
    return [(int(cid), str(stage)) for cid, stage in session.execute(stmt)]


def shown_to_hospitals(*, session: Session, hospital: str | None = None) -> list[int]:
    """Candidate ids of every shortlist disclosure (to `hospital` if given), with repeats."""
    stmt = select(col(DisclosureRow.candidate_id))
    if hospital is not None:
        stmt = stmt.where(col(DisclosureRow.hospital) == hospital)
    return [int(cid) for cid in session.scalars(stmt)]
