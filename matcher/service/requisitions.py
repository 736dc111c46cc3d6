"""Hospitals' requisitions: create, read, replace and close, always within the owner's tenancy."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.domain.records import RequisitionRecord
from matcher.errors import ConflictError, InvalidInputError
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.store import repository
from matcher.store.repository import StoredRequisition
from matcher.store.tables import RequisitionRow, utcnow

OPEN, CLOSED = "open", "closed"


def _stored(row: RequisitionRow) -> StoredRequisition:
    assert row.id is not None  # noqa: S101  (flushed rows have ids)
    return StoredRequisition(
        id=row.id,
        owner=row.owner,
        status=row.status,
        record=RequisitionRecord.model_validate(row.record),
    )


def create_requisition(
    *, session: Session, owner: str, record: RequisitionRecord
) -> StoredRequisition:
    exists = session.scalars(
        select(col(RequisitionRow.id)).where(
            col(RequisitionRow.owner) == owner,
            col(RequisitionRow.external_id) == record.external_id,
        )
    ).first()
    if exists is not None:
        raise ConflictError(f"requisition external_id {record.external_id!r} already exists")
    (record,) = with_derived_occupation([record])
    result = repository.upsert_requisitions(session=session, owner=owner, records=[record])
    return get_owned_requisition(session=session, owner=owner, requisition_id=result.ids[0])


def get_owned_requisition(
    *, session: Session, owner: str, requisition_id: int
) -> StoredRequisition:
    row = repository.get_owned_requisition_row(
        session=session, owner=owner, requisition_id=requisition_id
    )
    return _stored(row)


def replace_requisition(
    *, session: Session, owner: str, requisition_id: int, record: RequisitionRecord
) -> StoredRequisition:
    row = repository.get_owned_requisition_row(
        session=session, owner=owner, requisition_id=requisition_id
    )
    if record.external_id != row.external_id:
        raise InvalidInputError("external_id cannot change; create a new requisition instead")
    (record,) = with_derived_occupation([record])
    repository.upsert_requisitions(session=session, owner=owner, records=[record])
    return _stored(row)


def close_requisition(*, session: Session, owner: str, requisition_id: int) -> StoredRequisition:
    row = repository.get_owned_requisition_row(
        session=session, owner=owner, requisition_id=requisition_id
    )
    if row.status != CLOSED:
        row.status = CLOSED
        row.updated_at = utcnow()
        session.flush()
    return _stored(row)
