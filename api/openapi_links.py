"""OpenAPI links: which response value feeds which next request.

Generated clients and stateful API tests follow them: a created requisition can be read,
replaced, closed and shortlisted; a stored batch row can be read, matched and erased.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

# (path, method, status) -> {link name: (target path, target method, parameter, expression)}
_LinkSpec = tuple[str, str, str, str]
LINKS: dict[tuple[str, str, str], dict[str, _LinkSpec]] = {
    ("/v1/requisitions", "post", "201"): {
        "ReadRequisition": ("/v1/requisitions/{requisition_id}", "get", "requisition_id", "id"),
        "ReplaceRequisition": ("/v1/requisitions/{requisition_id}", "put", "requisition_id", "id"),
        "CloseRequisition": (
            "/v1/requisitions/{requisition_id}:close",
            "post",
            "requisition_id",
            "id",
        ),
        "Shortlist": (
            "/v1/requisitions/{requisition_id}/shortlist",
            "get",
            "requisition_id",
            "id",
        ),
        "RequisitionMatches": (
            "/v1/requisitions/{requisition_id}/matches",
            "get",
            "requisition_id",
            "id",
        ),
    },
    ("/v1/candidates:batch", "post", "200"): {
        "ReadCandidate": ("/v1/candidates/{candidate_id}", "get", "candidate_id", "rows/0/id"),
        "CandidateMatches": (
            "/v1/candidates/{candidate_id}/matches",
            "get",
            "candidate_id",
            "rows/0/id",
        ),
        "EraseCandidate": ("/v1/candidates/{candidate_id}", "delete", "candidate_id", "rows/0/id"),
    },
}


def _operation_id(schema: dict[str, Any], path: str, method: str) -> str:
    operation_id: str = schema["paths"][path][method]["operationId"]
    return operation_id


def add_links(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the links above to a generated OpenAPI document, in place; returns it."""
    for (path, method, status), links in LINKS.items():
        response = schema["paths"][path][method]["responses"][status]
        response["links"] = {
            name: {
                "operationId": _operation_id(schema, target, target_method),
                "parameters": {parameter: f"$response.body#/{pointer}"},
            }
            for name, (target, target_method, parameter, pointer) in links.items()
        }
    return schema


def install_links(app: FastAPI) -> None:
    """Make `app.openapi()` (and /openapi.json) carry the links."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        return add_links(build())  # build() caches the document; adding links is idempotent

    app.openapi = openapi  # type: ignore[method-assign]
