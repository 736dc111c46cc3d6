"""Hospitals: their requisitions, shortlists and stage feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from api.auth import Hospital
from api.deps import EngineDep, ServingDep
from api.routes.common import AUTHED, IdPath, problems
from api.schemas import (
    BlindProfile,
    EligibilityPublic,
    MatchesPublic,
    MatchPublic,
    OutcomePublic,
    OvernightMatchPublic,
    OvernightShortlistPublic,
    OverrideIn,
    OverridePublic,
    RequisitionPublic,
)
from matcher.audit.oversight import override_shortlist
from matcher.domain.records import OutcomeRecord, RequisitionRecord
from matcher.engine.pipeline import RankedMatch
from matcher.service.feedback import record_outcome
from matcher.service.requisitions import (
    close_requisition,
    create_requisition,
    read_requisition,
    replace_requisition,
)
from matcher.service.shortlists import (
    MatchesResult,
    overnight_shortlist_for_hospital,
    shortlist_for_hospital,
)

router = APIRouter(prefix="/v1", tags=["hospitals"], responses=AUTHED)


@router.post(
    "/requisitions",
    response_model=RequisitionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(409),
)
def create(record: RequisitionRecord, principal: Hospital, engine: EngineDep) -> RequisitionPublic:
    """Post a requisition; its occupation is derived from the title when not given."""
    stored = create_requisition(engine=engine, owner=principal.tenant, record=record)
    return RequisitionPublic.of(stored)


@router.get(
    "/requisitions/{requisition_id}", response_model=RequisitionPublic, responses=problems(404)
)
def read(requisition_id: IdPath, principal: Hospital, engine: EngineDep) -> RequisitionPublic:
    return RequisitionPublic.of(
        read_requisition(engine=engine, owner=principal.tenant, requisition_id=requisition_id)
    )


@router.put(
    "/requisitions/{requisition_id}", response_model=RequisitionPublic, responses=problems(404)
)
def replace(
    requisition_id: IdPath, record: RequisitionRecord, principal: Hospital, engine: EngineDep
) -> RequisitionPublic:
    """Replace a requisition's record; its external_id cannot change."""
    stored = replace_requisition(
        engine=engine, owner=principal.tenant, requisition_id=requisition_id, record=record
    )
    return RequisitionPublic.of(stored)


@router.post(
    "/requisitions/{requisition_id}:close",
    response_model=RequisitionPublic,
    responses=problems(404),
)
def close(requisition_id: IdPath, principal: Hospital, engine: EngineDep) -> RequisitionPublic:
    """Close a requisition: it leaves matching and batch runs; closing twice is harmless."""
    stored = close_requisition(engine=engine, owner=principal.tenant, requisition_id=requisition_id)
    return RequisitionPublic.of(stored)


def _eligibility(match: RankedMatch) -> EligibilityPublic | None:
    if match.assessment is not None:
        return EligibilityPublic.model_validate(match.assessment.to_dict())
    return EligibilityPublic(status=match.eligibility) if match.eligibility else None


def _public(result: MatchesResult) -> MatchesPublic:
    return MatchesPublic(
        requisition_id=result.requisition.id,
        requisition_external_id=result.requisition.record.external_id,
        scorer=result.scorer,
        hidden=result.hidden,
        matches=[
            MatchPublic(
                candidate_id=m.match.candidate_id,
                external_id=m.candidate.record.external_id,
                agency=m.candidate.agency,
                rank=m.match.rank,
                score=m.match.score,
                components=m.match.components,
                eligibility=_eligibility(m.match),
                profile=BlindProfile.of(m.candidate.record),
            )
            for m in result.matches
        ],
    )


@router.get(
    "/requisitions/{requisition_id}/shortlist",
    response_model=MatchesPublic,
    responses=problems(404, 409, 503),
)
def shortlist(
    requisition_id: IdPath,
    request: Request,
    principal: Hospital,
    engine: EngineDep,
    serving: ServingDep,
    limit: Annotated[int, Query(ge=1, le=50, description="How many candidates")] = 20,
    include_ineligible: Annotated[
        bool, Query(description="Also show ineligible and unknown candidates, with reasons")
    ] = False,
) -> MatchesPublic:
    """Ranked, blind profiles for one of the hospital's requisitions, each with its eligibility
    pathway, earliest start date and per-feature explanation. 503 while ranking is stopped."""
    result = shortlist_for_hospital(
        engine=engine,
        serving=serving,
        hospital=principal.tenant,
        requisition_id=requisition_id,
        limit=limit,
        include_ineligible=include_ineligible,
        request_id=request.state.request_id,
    )
    return _public(result)


@router.get(
    "/requisitions/{requisition_id}/matches",
    response_model=MatchesPublic,
    responses=problems(404, 409, 503),
)
def matches(
    requisition_id: IdPath,
    request: Request,
    principal: Hospital,
    engine: EngineDep,
    serving: ServingDep,
    limit: Annotated[int, Query(ge=1, le=100, description="How many candidates")] = 20,
    include_ineligible: Annotated[
        bool, Query(description="Also show ineligible and unknown candidates, with reasons")
    ] = False,
) -> MatchesPublic:
    """Like the shortlist, with up to 100 candidates."""
    return shortlist(requisition_id, request, principal, engine, serving, limit, include_ineligible)


@router.get(
    "/requisitions/{requisition_id}/overnight-shortlist",
    response_model=OvernightShortlistPublic,
    responses=problems(404, 409, 503),
)
def overnight_shortlist(
    requisition_id: IdPath,
    principal: Hospital,
    engine: EngineDep,
    serving: ServingDep,
    limit: Annotated[int, Query(ge=1, le=50, description="How many candidates")] = 20,
) -> OvernightShortlistPublic:
    """The latest finished overnight batch run's shortlist for one of the hospital's
    requisitions; empty when that run had none for it. Erased candidates are never in it.
    503 while ranking is stopped."""
    result = overnight_shortlist_for_hospital(
        engine=engine,
        serving=serving,
        hospital=principal.tenant,
        requisition_id=requisition_id,
        limit=limit,
    )
    return OvernightShortlistPublic(
        requisition_id=result.requisition_id,
        run_id=result.run_id,
        finished_at=result.finished_at,
        scorer=result.scorer,
        matches=[
            OvernightMatchPublic(
                candidate_id=m.entry.candidate_id,
                external_id=m.candidate.record.external_id,
                agency=m.candidate.agency,
                rank=m.entry.rank,
                score=m.entry.score,
                eligibility=m.entry.eligibility,
                profile=BlindProfile.of(m.candidate.record),
            )
            for m in result.matches
        ],
    )


@router.post(
    "/outcomes",
    response_model=OutcomePublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(404),
)
def outcome(record: OutcomeRecord, principal: Hospital, engine: EngineDep) -> OutcomePublic:
    """Record a stage (shortlisted ... placed, rejected) for a candidate the hospital was shown."""
    recorded = record_outcome(engine=engine, hospital=principal.tenant, record=record)
    return OutcomePublic(
        requisition_id=recorded.requisition_id,
        candidate_id=recorded.candidate_id,
        stage=recorded.stage,
        created=recorded.created,
    )


@router.post(
    "/requisitions/{requisition_id}/overrides",
    response_model=OverridePublic,
    status_code=status.HTTP_201_CREATED,
    responses=problems(404),
)
def override(
    requisition_id: IdPath, body: OverrideIn, principal: Hospital, engine: EngineDep
) -> OverridePublic:
    """Record a recruiter's decision to move, add or remove a candidate, with the reason.
    The engine never rejects anyone on its own; people do, and this is where it is kept."""
    recorded = override_shortlist(
        engine=engine,
        hospital=principal.tenant,
        requisition_id=requisition_id,
        candidate_id=body.candidate_id,
        actor=f"{principal.tenant}/{principal.key_id}",
        reason=body.reason,
        action=body.action,
        new_rank=body.new_rank,
    )
    return OverridePublic(
        id=recorded.id,
        requisition_id=recorded.requisition_id,
        candidate_id=recorded.candidate_id,
        actor=recorded.actor,
        action=recorded.action.value,
        reason=recorded.reason,
        new_rank=recorded.new_rank,
        at=recorded.at,
    )
