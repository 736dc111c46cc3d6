"""What the resource modules share: id bounds, IN-clause chunks, record dumps, upsert counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.store.tables import CandidateRow, OutcomeRow, RequisitionRow

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


def count_rows(*, session: Session) -> dict[str, int]:
    return {
        str(table.__tablename__): session.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
        for table in (CandidateRow, RequisitionRow, OutcomeRow)
    }
