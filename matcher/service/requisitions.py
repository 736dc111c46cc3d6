"""Hospitals' requisitions: create, read, replace and close, always within the owner's tenancy.

Each function is one transaction; inside a caller's transaction, use `matcher.store.requisitions`.
"""

from __future__ import annotations

from matcher.domain.records import RequisitionRecord
from matcher.errors import ConflictError, InvalidInputError
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.store import requisitions
from matcher.store.db import Engine, read_session, write_session
from matcher.store.requisitions import StoredRequisition


def create_requisition(
    *, engine: Engine, owner: str, record: RequisitionRecord
) -> StoredRequisition:
    with write_session(engine) as session:
        exists = requisitions.requisition_ids_by_external(
            session=session, owner=owner, external_ids=[record.external_id]
        )
        if exists:
            raise ConflictError(f"requisition external_id {record.external_id!r} already exists")
        (record,) = with_derived_occupation([record])
        result = requisitions.upsert_requisitions(session=session, owner=owner, records=[record])
        return requisitions.get_owned_requisition(
            session=session, owner=owner, requisition_id=result.ids[0]
        )


def read_requisition(*, engine: Engine, owner: str, requisition_id: int) -> StoredRequisition:
    with read_session(engine) as session:
        return requisitions.get_owned_requisition(
            session=session, owner=owner, requisition_id=requisition_id
        )


def replace_requisition(
    *, engine: Engine, owner: str, requisition_id: int, record: RequisitionRecord
) -> StoredRequisition:
    with write_session(engine) as session:
        stored = requisitions.get_owned_requisition(
            session=session, owner=owner, requisition_id=requisition_id
        )
        if record.external_id != stored.record.external_id:
            raise InvalidInputError("external_id cannot change; create a new requisition instead")
        (record,) = with_derived_occupation([record])
        requisitions.upsert_requisitions(session=session, owner=owner, records=[record])
        return requisitions.get_owned_requisition(
            session=session, owner=owner, requisition_id=requisition_id
        )


def close_requisition(*, engine: Engine, owner: str, requisition_id: int) -> StoredRequisition:
    """Close a requisition: it leaves matching and batch runs; closing twice is harmless."""
    with write_session(engine) as session:
        return requisitions.close_requisition(
            session=session, owner=owner, requisition_id=requisition_id
        )
