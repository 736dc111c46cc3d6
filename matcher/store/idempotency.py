"""Idempotent batches: the first response to a (tenant, Idempotency-Key), kept for replays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.store.api_tables import IdempotencyRow


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    status_code: int
    body: dict[str, Any]


def find_response(*, session: Session, tenant: str, key: str) -> StoredResponse | None:
    row = session.scalars(
        select(IdempotencyRow).where(
            col(IdempotencyRow.tenant) == tenant, col(IdempotencyRow.key) == key
        )
    ).first()
    if row is None:
        return None
    return StoredResponse(row.request_hash, row.status_code, row.response)


def save_response(
    *,
    session: Session,
    tenant: str,
    key: str,
    request_hash: str,
    status_code: int,
    body: dict[str, Any],
) -> None:
    """Keep the response in the batch's transaction; a concurrent first attempt with the same
    key makes this raise ConstraintViolationError (matcher.store.errors) at flush or commit."""
    session.add(
        IdempotencyRow(
            tenant=tenant,
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            response=body,
        )
    )
    session.flush()
