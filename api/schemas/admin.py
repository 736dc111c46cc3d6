"""Administrators' shapes: models and the stop switch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ModelPublic(BaseModel):
    model_id: str
    active: bool
    card: dict[str, Any]


class ActivationPublic(BaseModel):
    active_model: str | None
    previous_model: str | None


class StopRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class RankingStatusPublic(BaseModel):
    stopped: bool
    reason: str | None
    changed_by: str | None
    changed_at: datetime | None
