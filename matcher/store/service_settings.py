"""Service-wide settings that must survive restarts and agree across workers (the active model)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from matcher.store.service_tables import ServiceSettingRow
from matcher.store.tables import utcnow


def get_setting(*, session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(ServiceSettingRow, key)
    return dict(row.value) if row is not None else None


def put_setting(*, session: Session, key: str, value: dict[str, Any], actor: str) -> None:
    row = session.get(ServiceSettingRow, key) or ServiceSettingRow(
        key=key, value={}, changed_by=actor
    )
    row.value = value
    row.changed_by = actor
    row.changed_at = utcnow()
    session.add(row)
    session.flush()
