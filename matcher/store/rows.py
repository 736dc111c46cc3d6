"""What the resource modules share: id bounds, IN-clause chunks, record dumps, upsert counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import func, select
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.store.tables import CandidateRow, OutcomeRow, RequisitionRow, utcnow

# Bound parameters per IN (...) clause; SQLite's default limit is 32766 variables.
IN_CHUNK = 500
MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns on PostgreSQL
T = TypeVar("T")


@dataclass(frozen=True)
class UpsertResult:
    ids: list[int]  # in input order
    inserted: int
    updated: int  # rows whose content changed; the rest were identical

    @property
    def unchanged(self) -> int:
        return len(self.ids) - self.inserted - self.updated


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def storable(row_id: int) -> bool:
    """An id no row can have is simply not found (the drivers would raise on it instead)."""
    return 1 <= row_id <= MAX_ID


def dump(record: CandidateRecord | RequisitionRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True)


Keyed = CandidateRow | RequisitionRow


def upsert_by_external_id(
    *,
    session: Session,
    table: type[Keyed],
    scope: tuple[str, str],
    records: Sequence[CandidateRecord | RequisitionRecord],
    country_of: Any,
) -> UpsertResult:
    """Insert or update rows of `table` by (scope column, external_id), in input order.

    `scope` names the owning column and its value (("agency", "acme") or ("owner", "sah"));
    `country_of(record)` gives the row's country column. A row whose content is unchanged is
    left alone and counted as unchanged.
    """
    column, owner = scope
    existing: dict[str, Keyed] = {}
    for part in chunks([r.external_id for r in records]):
        rows = session.scalars(
            select(table).where(
                col(getattr(table, column)) == owner, col(table.external_id).in_(part)
            )
        ).all()
        existing.update({row.external_id: row for row in cast(Sequence[Keyed], rows)})
    inserted = updated = 0
    ordered: list[Keyed] = []
    now = utcnow()
    for record in records:
        row = existing.get(record.external_id)
        fields = {
            "occupation": record.occupation.value if record.occupation else None,
            "title": record.title,
            "country": country_of(record),
            "record": dump(record),
        }
        if row is None:
            new: dict[str, Any] = {column: owner, "external_id": record.external_id}
            row = table(**new, **fields)
            session.add(row)
            existing[record.external_id] = row
            inserted += 1
        elif any(getattr(row, key) != value for key, value in fields.items()):
            row.sqlmodel_update(fields)
            row.updated_at = now
            updated += 1
        ordered.append(row)
    session.flush()
    return UpsertResult([row.id for row in ordered if row.id is not None], inserted, updated)


def count_rows(*, session: Session) -> dict[str, int]:
    return {
        str(table.__tablename__): session.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
        for table in (CandidateRow, RequisitionRow, OutcomeRow)
    }
