"""Agencies: candidate batches, their own candidates, their matches, and erasure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.auth import Agency
from api.deps import EngineDep, ServingDep, SettingsDep
from api.routes.common import AUTHED, IdPath, problems
from api.schemas import (
    BatchResultPublic,
    CandidateMatchPublic,
    CandidatePublic,
    DemographicsIn,
    ErasurePublic,
)
from matcher.audit.demographics import record_self_report
from matcher.domain.records import CandidateRecord
from matcher.errors import BadRequestError, PayloadTooLargeError
from matcher.service.candidate_batches import BatchLimits, BatchMode, submit_candidate_batch
from matcher.service.candidates import read_candidate
from matcher.service.erasure import erase_candidate
from matcher.service.shortlists import matches_for_candidate

router = APIRouter(prefix="/v1", tags=["agencies"], responses=AUTHED)

_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": CandidateRecord.model_json_schema()}
            },
            "application/x-ndjson": {
                "schema": {"type": "string", "description": "JSON Lines: one candidate a line"}
            },
        },
    }
}


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"body exceeds {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"body exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/candidates:batch",
    response_model=BatchResultPublic,
    # 422 is the all_or_nothing report (JSON) or a problem (bad body, reused key).
    responses={**problems(400, 413), 422: {**problems(422)[422], "model": BatchResultPublic}},
    openapi_extra=_BATCH_BODY,
)
async def submit_batch(
    request: Request,
    principal: Agency,
    engine: EngineDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Required; retries with the same key are safe"),
    ] = None,
    mode: Annotated[BatchMode, Query(description="all_or_nothing stores nothing on any error")] = (
        BatchMode.PARTIAL
    ),
) -> JSONResponse:
    """Validate each row; store every valid row in one transaction; report the rest by index."""
    if not idempotency_key or not idempotency_key.strip():
        raise BadRequestError("send an Idempotency-Key header with every batch")
    body = await _read_limited(request, settings.max_batch_bytes)
    result = await run_in_threadpool(
        submit_candidate_batch,
        engine=engine,
        agency=principal.tenant,
        idempotency_key=idempotency_key.strip(),
        body=body,
        content_type=request.headers.get("content-type", "application/json"),
        mode=mode,
        limits=BatchLimits(settings.max_batch_rows, settings.max_batch_bytes),
        pseudonym_key=settings.pseudonym_key,
    )
    headers = {"Idempotent-Replayed": "true"} if result.replayed else None
    return JSONResponse(result.body, status_code=result.status_code, headers=headers)


@router.get("/candidates/{candidate_id}", response_model=CandidatePublic, responses=problems(404))
def get_candidate(candidate_id: IdPath, principal: Agency, engine: EngineDep) -> CandidatePublic:
    """One of the agency's own candidates, as stored."""
    stored = read_candidate(engine=engine, agency=principal.tenant, candidate_id=candidate_id)
    return CandidatePublic(id=stored.id, agency=stored.agency, record=stored.record)


@router.get(
    "/candidates/{candidate_id}/matches",
    response_model=list[CandidateMatchPublic],
    responses=problems(404, 503),
)
def candidate_matches(
    candidate_id: IdPath,
    request: Request,
    principal: Agency,
    engine: EngineDep,
    serving: ServingDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[CandidateMatchPublic]:
    """Open requisitions ranked for one of the agency's candidates, each scored as its
    hospital's shortlist scores it. 503 while ranking is stopped."""
    found = matches_for_candidate(
        engine=engine,
        serving=serving,
        agency=principal.tenant,
        candidate_id=candidate_id,
        limit=limit,
        request_id=request.state.request_id,
    )
    return [
        CandidateMatchPublic(
            requisition_id=m.requisition.id,
            requisition_external_id=m.requisition.record.external_id,
            facility=m.requisition.record.facility.name,
            country=m.requisition.record.facility.country,
            rank=position,
            score=m.match.score,
            components=m.match.components,
            scorer=m.scorer,
        )
        for position, m in enumerate(found, start=1)
    ]


@router.delete("/candidates/{candidate_id}", response_model=ErasurePublic, responses=problems(404))
def erase(
    candidate_id: IdPath, principal: Agency, engine: EngineDep, settings: SettingsDep
) -> ErasurePublic:
    """Erase a candidate everywhere; replaying an old batch will not bring them back."""
    result = erase_candidate(
        engine=engine,
        agency=principal.tenant,
        candidate_id=candidate_id,
        pseudonym_key=settings.pseudonym_key,
    )
    return ErasurePublic(candidate_id=candidate_id, hospitals_notified=result.hospitals_notified)


@router.put(
    "/candidates/{candidate_id}/demographics",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404),
)
def put_demographics(
    candidate_id: IdPath, body: DemographicsIn, principal: Agency, engine: EngineDep
) -> Response:
    """Store a candidate's self-reported demographics. Write-only: only auditors read them."""
    record_self_report(
        engine=engine,
        agency=principal.tenant,
        candidate_id=candidate_id,
        sex=body.sex,
        race_ethnicity=body.race_ethnicity,
        country_of_training=body.country_of_training,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
