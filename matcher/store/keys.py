"""API keys, stored: only a hash of each secret, the tenant, the role, and revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session, col

from matcher.store.api_tables import ApiKeyRow
from matcher.store.tables import utcnow


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    secret_hash: str
    tenant: str
    role: str
    revoked_at: datetime | None


def insert_key(
    *, session: Session, key_id: str, secret_hash: str, tenant: str, role: str, label: str | None
) -> None:
    session.add(
        ApiKeyRow(key_id=key_id, secret_hash=secret_hash, tenant=tenant, role=role, label=label)
    )
    session.flush()


def find_key(*, session: Session, key_id: str) -> StoredKey | None:
    row = session.scalars(select(ApiKeyRow).where(col(ApiKeyRow.key_id) == key_id)).first()
    if row is None:
        return None
    return StoredKey(row.key_id, row.secret_hash, row.tenant, row.role, row.revoked_at)


def revoke_key(*, session: Session, key_id: str) -> bool:
    """Revoke an active key; False when there is no active key with this id."""
    result = session.execute(
        update(ApiKeyRow)
        .where(col(ApiKeyRow.key_id) == key_id, col(ApiKeyRow.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def revoke_keys_labelled(*, session: Session, label: str) -> int:
    result = session.execute(
        update(ApiKeyRow)
        .where(col(ApiKeyRow.label) == label, col(ApiKeyRow.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
