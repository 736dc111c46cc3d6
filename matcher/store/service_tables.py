"""Service-wide settings that must survive restarts and agree across workers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from matcher.store.tables import JsonColumn, utcnow


class ServiceSettingRow(SQLModel, table=True):
    __tablename__ = "service_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: dict[str, Any] = Field(sa_column=Column(JsonColumn, nullable=False))
    changed_by: str = Field(max_length=120)
    changed_at: datetime = Field(default_factory=utcnow)
