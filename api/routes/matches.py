from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ReadSession
from api.schemas import BlindProfile, MatchesPublic, MatchPublic
from matcher.matching import matches_for_requisition

router = APIRouter(prefix="/v1", tags=["matches"])


@router.get("/requisitions/{requisition_id}/matches", response_model=MatchesPublic)
def requisition_matches(
    requisition_id: int,
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=100, description="How many matches")] = 20,
) -> MatchesPublic:
    """Candidates ranked for one requisition, best first, with each score's components."""
    result = matches_for_requisition(session=session, requisition_id=requisition_id, limit=limit)
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
