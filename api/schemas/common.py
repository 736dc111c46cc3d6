"""Shapes every route shares: health and RFC 9457 problems."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Health(BaseModel):
    status: str
    database: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
