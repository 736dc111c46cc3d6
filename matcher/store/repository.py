"""Persistence: keyword-only functions, one place. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, select, text, tuple_
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.errors import NotFoundError
from matcher.store.tables import (
    CandidateChangeRow,
    CandidateRow,
    OutcomeRow,
    RequisitionRow,
    utcnow,
)

# Bound parameters per IN (...) clause; SQLite's default limit is 32766 variables.
_IN_CHUNK = 500


@dataclass(frozen=True)
class UpsertResult:
    ids: list[int]  # in input order
    inserted: int
    updated: int  # rows whose content changed; the rest were identical

    @property
    def unchanged(self) -> int:
        return len(self.ids) - self.inserted - self.updated


@dataclass(frozen=True)
class StoredCandidate:
    id: int
    agency: str
    record: CandidateRecord


@dataclass(frozen=True)
class StoredRequisition:
    id: int
    owner: str
    status: str
    record: RequisitionRecord


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _dump(record: CandidateRecord | RequisitionRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True)


def upsert_candidates(
    *, session: Session, agency: str, records: Sequence[CandidateRecord]
) -> UpsertResult:
    """Insert or update by (agency, external_id); returns ids in input order and changed rows."""
    external_ids = [r.external_id for r in records]
    existing: dict[str, CandidateRow] = {}
    for chunk in _chunks(external_ids):
        rows = session.scalars(
            select(CandidateRow).where(
                and_(col(CandidateRow.agency) == agency, col(CandidateRow.external_id).in_(chunk))
            )
        ).all()
        existing.update({row.external_id: row for row in rows})
    inserted = updated = 0
    rows_in_order: list[CandidateRow] = []
    now = utcnow()
    for record in records:
        row = existing.get(record.external_id)
        fields = {
            "occupation": record.occupation.value if record.occupation else None,
            "title": record.title,
            "country": record.country,
            "record": _dump(record),
        }
        if row is None:
            row = CandidateRow(
                agency=agency, external_id=record.external_id, title="", country="", record={}
            )
            row.sqlmodel_update(fields)
            session.add(row)
            existing[record.external_id] = row
            inserted += 1
        elif any(getattr(row, key) != value for key, value in fields.items()):
            row.sqlmodel_update(fields)
            row.updated_at = now
            updated += 1
        rows_in_order.append(row)
    session.flush()
    if inserted or updated:
        note_candidate_change(session)
    ids = [row.id for row in rows_in_order if row.id is not None]
    return UpsertResult(ids, inserted, updated)


# The same statement on SQLite and PostgreSQL; the row lock it takes lasts until commit.
_BUMP_CHANGE = text(
    "INSERT INTO candidate_change (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = candidate_change.n + 1"
)


def note_candidate_change(session: Session) -> None:
    """Count a candidate write in this transaction (see CandidateChangeRow)."""
    session.execute(_BUMP_CHANGE)


def candidate_change_count(session: Session) -> int:
    """The committed count of candidate writes (0 before the first)."""
    found = session.execute(
        select(col(CandidateChangeRow.n)).where(col(CandidateChangeRow.id) == 1)
    ).scalar()
    return int(found or 0)


def upsert_requisitions(
    *, session: Session, owner: str, records: Sequence[RequisitionRecord]
) -> UpsertResult:
    """Insert or update by (owner, external_id); an update reopens nothing that was closed."""
    existing: dict[str, RequisitionRow] = {}
    for chunk in _chunks([r.external_id for r in records]):
        rows = session.scalars(
            select(RequisitionRow).where(
                and_(col(RequisitionRow.owner) == owner, col(RequisitionRow.external_id).in_(chunk))
            )
        ).all()
        existing.update({row.external_id: row for row in rows})
    inserted = updated = 0
    ordered: list[RequisitionRow] = []
    for record in records:
        row = existing.get(record.external_id)
        fields = {
            "occupation": record.occupation.value if record.occupation else None,
            "title": record.title,
            "country": record.facility.country,
            "record": _dump(record),
        }
        if row is None:
            row = RequisitionRow(
                owner=owner, external_id=record.external_id, title="", country="", record={}
            )
            row.sqlmodel_update(fields)
            session.add(row)
            existing[record.external_id] = row
            inserted += 1
        elif any(getattr(row, key) != value for key, value in fields.items()):
            row.sqlmodel_update(fields)
            row.updated_at = utcnow()
            updated += 1
        ordered.append(row)
    session.flush()
    ids = [row.id for row in ordered if row.id is not None]
    return UpsertResult(ids, inserted, updated)


def candidate_ids_by_external(
    *, session: Session, external_ids: Sequence[str]
) -> dict[str, list[tuple[int, str]]]:
    """Map each external id to its (id, agency) pairs: one id may exist at several agencies."""
    found: dict[str, list[tuple[int, str]]] = {}
    for chunk in _chunks(list(dict.fromkeys(external_ids))):
        stmt = select(
            col(CandidateRow.id), col(CandidateRow.external_id), col(CandidateRow.agency)
        ).where(col(CandidateRow.external_id).in_(chunk))
        for cid, ext, agency in session.execute(stmt).all():
            found.setdefault(ext, []).append((cid, agency))
    return found


def requisition_ids_by_external(
    *, session: Session, owner: str, external_ids: Sequence[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(external_ids))):
        stmt = select(col(RequisitionRow.id), col(RequisitionRow.external_id)).where(
            and_(col(RequisitionRow.owner) == owner, col(RequisitionRow.external_id).in_(chunk))
        )
        found.update({ext: rid for rid, ext in session.execute(stmt).all()})
    return found


def upsert_outcomes(
    *, session: Session, outcomes: Sequence[tuple[int, int, str, date]]
) -> tuple[int, int]:
    """Store (requisition_id, candidate_id, stage, at); a repeated stage updates its date."""
    keys = [(r, c, s) for r, c, s, _ in outcomes]
    existing: dict[tuple[int, int, str], OutcomeRow] = {}
    for chunk in _chunks(keys):
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


MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns on PostgreSQL


def _storable(row_id: int) -> bool:
    """An id no row can have is simply not found (the drivers would raise on it instead)."""
    return 1 <= row_id <= MAX_ID


def get_owned_candidate_row(*, session: Session, agency: str, candidate_id: int) -> CandidateRow:
    """The candidate if `agency` owns it; another tenant's id is indistinguishable from none."""
    row = session.get(CandidateRow, candidate_id) if _storable(candidate_id) else None
    if row is None or row.agency != agency:
        raise NotFoundError(f"candidate {candidate_id} not found")
    return row


def get_owned_candidate(*, session: Session, agency: str, candidate_id: int) -> StoredCandidate:
    row = get_owned_candidate_row(session=session, agency=agency, candidate_id=candidate_id)
    return StoredCandidate(
        id=candidate_id, agency=row.agency, record=CandidateRecord.model_validate(row.record)
    )


def get_owned_requisition_row(
    *, session: Session, owner: str, requisition_id: int
) -> RequisitionRow:
    row = session.get(RequisitionRow, requisition_id) if _storable(requisition_id) else None
    if row is None or row.owner != owner:
        raise NotFoundError(f"requisition {requisition_id} not found")
    return row


def get_requisition(*, session: Session, requisition_id: int) -> StoredRequisition:
    row = session.get(RequisitionRow, requisition_id) if _storable(requisition_id) else None
    if row is None or row.id is None:
        raise NotFoundError(f"requisition {requisition_id} not found")
    return StoredRequisition(
        id=row.id,
        owner=row.owner,
        status=row.status,
        record=RequisitionRecord.model_validate(row.record),
    )


def list_candidates(
    *, session: Session, occupations: Sequence[str] | None = None
) -> list[StoredCandidate]:
    """Candidates, optionally only those whose occupation is one of `occupations` or unknown."""
    stmt = select(
        col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record)
    ).order_by(col(CandidateRow.id))
    if occupations is not None:
        stmt = stmt.where(
            col(CandidateRow.occupation).in_(list(occupations))
            | col(CandidateRow.occupation).is_(None)
        )
    return [
        StoredCandidate(id=cid, agency=agency, record=CandidateRecord.model_validate(record))
        for cid, agency, record in session.execute(stmt).all()
    ]


def list_candidates_by_id(*, session: Session, ids: Sequence[int]) -> list[StoredCandidate]:
    found: list[StoredCandidate] = []
    for chunk in _chunks(list(ids)):
        stmt = select(
            col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record)
        ).where(col(CandidateRow.id).in_(chunk))
        found.extend(
            StoredCandidate(id=cid, agency=agency, record=CandidateRecord.model_validate(record))
            for cid, agency, record in session.execute(stmt).all()
        )
    return found


def list_requisitions(*, session: Session, status: str | None = "open") -> list[StoredRequisition]:
    stmt = select(RequisitionRow).order_by(col(RequisitionRow.id))
    if status is not None:
        stmt = stmt.where(col(RequisitionRow.status) == status)
    return [
        StoredRequisition(
            id=row.id,
            owner=row.owner,
            status=row.status,
            record=RequisitionRecord.model_validate(row.record),
        )
        for (row,) in session.execute(stmt).all()
        if row.id is not None
    ]


def count_rows(*, session: Session) -> dict[str, int]:
    from sqlalchemy import func

    return {
        str(table.__tablename__): session.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
        for table in (CandidateRow, RequisitionRow, OutcomeRow)
    }
