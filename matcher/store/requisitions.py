"""Requisitions: upsert, look up within the owning hospital, list the open ones, close."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlmodel import Session, col

from matcher.domain.records import RequisitionRecord
from matcher.errors import NotFoundError
from matcher.store.rows import UpsertResult, chunks, storable, upsert_by_external_id
from matcher.store.tables import RequisitionRow, utcnow

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class StoredRequisition:
    id: int
    owner: str
    status: str
    record: RequisitionRecord


def upsert_requisitions(
    *, session: Session, owner: str, records: Sequence[RequisitionRecord]
) -> UpsertResult:
    """Insert or update by (owner, external_id); an update reopens nothing that was closed."""
    return upsert_by_external_id(
        session=session,
        table=RequisitionRow,
        scope=("owner", owner),
        records=records,
        country_of=lambda record: record.facility.country,
    )


def requisition_ids_by_external(
    *, session: Session, owner: str, external_ids: Sequence[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(list(dict.fromkeys(external_ids))):
        stmt = select(col(RequisitionRow.id), col(RequisitionRow.external_id)).where(
            and_(col(RequisitionRow.owner) == owner, col(RequisitionRow.external_id).in_(chunk))
        )
        found.update({ext: rid for rid, ext in session.execute(stmt).all()})
    return found


def _owned_row(*, session: Session, owner: str, requisition_id: int) -> RequisitionRow:
    row = session.get(RequisitionRow, requisition_id) if storable(requisition_id) else None
    if row is None or row.owner != owner:
        raise NotFoundError(f"requisition {requisition_id} not found")
    return row


def _stored(row: RequisitionRow) -> StoredRequisition:
    assert row.id is not None  # noqa: S101  (flushed rows have ids)
    return StoredRequisition(
        id=row.id,
        owner=row.owner,
        status=row.status,
        record=RequisitionRecord.model_validate(row.record),
    )


def get_owned_requisition(
    *, session: Session, owner: str, requisition_id: int
) -> StoredRequisition:
    """The requisition if `owner` owns it; another tenant's id is indistinguishable from none."""
    return _stored(_owned_row(session=session, owner=owner, requisition_id=requisition_id))


def get_requisition(*, session: Session, requisition_id: int) -> StoredRequisition:
    row = session.get(RequisitionRow, requisition_id) if storable(requisition_id) else None
    if row is None or row.id is None:
        raise NotFoundError(f"requisition {requisition_id} not found")
    return _stored(row)


def list_requisitions(*, session: Session, status: str | None = OPEN) -> list[StoredRequisition]:
    stmt = select(RequisitionRow).order_by(col(RequisitionRow.id))
    if status is not None:
        stmt = stmt.where(col(RequisitionRow.status) == status)
    return [_stored(row) for (row,) in session.execute(stmt).all() if row.id is not None]


def open_requisition_records(
    *, session: Session, ids: Sequence[int] | None = None
) -> dict[int, RequisitionRecord]:
    """Open requisitions' records (all, or those of `ids` still open), by id."""
    stmt = select(col(RequisitionRow.id), col(RequisitionRow.record)).where(
        col(RequisitionRow.status) == OPEN
    )
    if ids is not None:
        stmt = stmt.where(col(RequisitionRow.id).in_(list(ids)))
    return {
        int(rid): RequisitionRecord.model_validate(record)
        for rid, record in session.execute(stmt.order_by(col(RequisitionRow.id))).all()
    }


def close_requisition(*, session: Session, owner: str, requisition_id: int) -> StoredRequisition:
    """Close `owner`'s requisition: it leaves matching and batch runs; closing twice is a no-op."""
    row = _owned_row(session=session, owner=owner, requisition_id=requisition_id)
    if row.status != CLOSED:
        row.status = CLOSED
        row.updated_at = utcnow()
        session.flush()
    return _stored(row)
