"""Shapes every route shares: health and RFC 9457 problems."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from matcher.store.rows import MAX_ID

# A row id in a request body: the range every stored id has (32-bit INTEGER columns on
# PostgreSQL); outside it is a 422 on the field, never a driver error.
RowId = Annotated[int, Field(ge=1, le=MAX_ID, description=f"A row id, 1..{MAX_ID}")]


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
