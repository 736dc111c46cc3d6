"""Hospitals: their requisitions, shortlists and stage feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import Hospital
from api.deps import EngineDep, Pools, ReadSession
from api.routes.common import AUTHED, problems
from api.schemas import (
    BlindProfile,
    MatchesPublic,
    MatchPublic,
    OutcomePublic,
    RequisitionPublic,
)
from matcher.domain.records import OutcomeRecord, RequisitionRecord
from matcher.feedback import record_outcome
from matcher.matching import MatchesResult, shortlist_for_hospital
from matcher.requisitions import (
    close_requisition,
    create_requisition,
    get_owned_requisition,
    replace_requisition,
)
from matcher.storage.db import write_session

router = APIRouter(prefix="/v1", tags=["hospitals"], responses=AUTHED)


@router.post(
    "/requisitions",
    response_model=RequisitionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(409),
)
def create(record: RequisitionRecord, principal: Hospital, engine: EngineDep) -> RequisitionPublic:
    """Post a requisition; its occupation is derived from the title when not given."""
    with write_session(engine) as session:
        stored = create_requisition(session=session, owner=principal.tenant, record=record)
    return RequisitionPublic.of(stored)


@router.get(
    "/requisitions/{requisition_id}", response_model=RequisitionPublic, responses=problems(404)
)
def read(requisition_id: int, principal: Hospital, session: ReadSession) -> RequisitionPublic:
    return RequisitionPublic.of(
        get_owned_requisition(
            session=session, owner=principal.tenant, requisition_id=requisition_id
        )
    )


@router.put(
    "/requisitions/{requisition_id}", response_model=RequisitionPublic, responses=problems(404)
)
def replace(
    requisition_id: int, record: RequisitionRecord, principal: Hospital, engine: EngineDep
) -> RequisitionPublic:
    """Replace a requisition's record; its external_id cannot change."""
    with write_session(engine) as session:
        stored = replace_requisition(
            session=session, owner=principal.tenant, requisition_id=requisition_id, record=record
        )
    return RequisitionPublic.of(stored)


@router.post(
    "/requisitions/{requisition_id}:close",
    response_model=RequisitionPublic,
    responses=problems(404),
)
def close(requisition_id: int, principal: Hospital, engine: EngineDep) -> RequisitionPublic:
    """Close a requisition: it leaves matching and batch runs; closing twice is harmless."""
    with write_session(engine) as session:
        stored = close_requisition(
            session=session, owner=principal.tenant, requisition_id=requisition_id
        )
    return RequisitionPublic.of(stored)


def _public(result: MatchesResult) -> MatchesPublic:
    return MatchesPublic(
        requisition_id=result.requisition.id,
        requisition_external_id=result.requisition.record.external_id,
        scorer=result.scorer,
        matches=[
            MatchPublic(
                candidate_id=m.match.candidate_id,
                external_id=m.candidate.record.external_id,
                agency=m.candidate.agency,
                rank=m.match.rank,
                score=m.match.score,
                components=m.match.components,
                profile=BlindProfile.of(m.candidate.record),
            )
            for m in result.matches
        ],
    )


@router.get(
    "/requisitions/{requisition_id}/shortlist",
    response_model=MatchesPublic,
    responses=problems(404),
)
def shortlist(
    requisition_id: int,
    principal: Hospital,
    engine: EngineDep,
    pools: Pools,
    limit: Annotated[int, Query(ge=1, le=50, description="How many candidates")] = 20,
) -> MatchesPublic:
    """Ranked, blind profiles for one of the hospital's requisitions, with score components."""
    with write_session(engine) as session:
        result = shortlist_for_hospital(
            session=session,
            pools=pools,
            hospital=principal.tenant,
            requisition_id=requisition_id,
            limit=limit,
        )
    return _public(result)


@router.get(
    "/requisitions/{requisition_id}/matches",
    response_model=MatchesPublic,
    responses=problems(404),
)
def matches(
    requisition_id: int,
    principal: Hospital,
    engine: EngineDep,
    pools: Pools,
    limit: Annotated[int, Query(ge=1, le=100, description="How many candidates")] = 20,
) -> MatchesPublic:
    """Like the shortlist, with up to 100 candidates."""
    return shortlist(requisition_id, principal, engine, pools, limit)


@router.post(
    "/outcomes",
    response_model=OutcomePublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(404),
)
def outcome(record: OutcomeRecord, principal: Hospital, engine: EngineDep) -> OutcomePublic:
    """Record a stage (shortlisted ... placed, rejected) for a candidate the hospital was shown."""
    with write_session(engine) as session:
        recorded = record_outcome(session=session, hospital=principal.tenant, record=record)
    return OutcomePublic(
        requisition_id=recorded.requisition_id,
        candidate_id=recorded.candidate_id,
        stage=recorded.stage,
        created=recorded.created,
    )
