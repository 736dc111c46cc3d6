"""Pieces shared by routers: documented problem responses."""

from __future__ import annotations

from typing import Any

from api.schemas import Problem

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
