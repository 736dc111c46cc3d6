"""Pieces shared by routers: documented problem responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from api.schemas import Problem
from matcher.store.rows import MAX_ID

# A row id in a path. The document states the range; an id outside it is simply not found
# (404, as for any id the tenant cannot see: docs/api.md), so the route validates nothing.
IdPath = Annotated[
    int,
    Path(
        description=f"A row id, 1..{MAX_ID}; outside that range: 404",
        json_schema_extra={"minimum": 1, "maximum": MAX_ID},
    ),
]

_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing or invalid API key",
    403: "The key's role may not do this",
    404: "Not found (or owned by another tenant)",
    409: "Conflict",
    413: "Payload too large; nothing was stored",
    422: "Invalid input",
    503: "Ranking is stopped; retry later",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for problem responses, so clients and schema checks know them."""
    schema = Problem.model_json_schema()
    return {
        code: {
            "description": _DESCRIPTIONS[code],
            "content": {"application/problem+json": {"schema": schema}},
        }
        for code in codes
    }


# 400: a body that cannot be parsed at all (e.g. not UTF-8) is refused before validation.
AUTHED = problems(400, 401, 403, 422)
