"""Shortlists for stored requisitions and candidates: storage in, the one pipeline, storage out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.domain.records import RequisitionRecord
from matcher.pipeline import RankedMatch, rank
from matcher.pool import CandidatePool
from matcher.pool_cache import PoolCache
from matcher.requisitions import get_owned_requisition
from matcher.storage import repository
from matcher.storage.api_tables import DisclosureRow
from matcher.storage.repository import StoredCandidate, StoredRequisition


@dataclass(frozen=True)
class MatchWithCandidate:
    match: RankedMatch
    candidate: StoredCandidate


@dataclass(frozen=True)
class MatchesResult:
    requisition: StoredRequisition
    scorer: str
    matches: list[MatchWithCandidate]


@dataclass(frozen=True)
class RequisitionMatch:
    requisition: StoredRequisition
    match: RankedMatch


def _rank_stored(
    requisition: StoredRequisition,
    pool: CandidatePool,
    by_id: dict[int, StoredCandidate],
    limit: int,
) -> MatchesResult:
    # The eligibility gate is not exposed by the API yet: show everyone, as before (lead decides).
    ranked = rank(requisition.record, pool, top_k_count=limit, include_ineligible=True)
    return MatchesResult(
        requisition=requisition,
        scorer="weighted",
        matches=[MatchWithCandidate(m, by_id[m.candidate_id]) for m in ranked],
    )


def _block_key(record: RequisitionRecord) -> str | None:
    return record.occupation.value if record.occupation else None


def shortlist_for_hospital(
    *, session: Session, pools: PoolCache, hospital: str, requisition_id: int, limit: int
) -> MatchesResult:
    """Rank candidates for one of `hospital`'s requisitions and record what it was shown."""
    requisition = get_owned_requisition(
        session=session, owner=hospital, requisition_id=requisition_id
    )
    pool, by_id = pools.get(session=session, occupation=_block_key(requisition.record))
    result = _rank_stored(requisition, pool, by_id, limit)
    _record_disclosures(session, hospital, requisition_id, [m.candidate.id for m in result.matches])
    return result


def _record_disclosures(
    session: Session, hospital: str, requisition_id: int, candidate_ids: list[int]
) -> None:
    if not candidate_ids:
        return
    seen = set(
        session.scalars(
            select(col(DisclosureRow.candidate_id)).where(
                col(DisclosureRow.requisition_id) == requisition_id,
                col(DisclosureRow.candidate_id).in_(candidate_ids),
            )
        ).all()
    )
    for cid in candidate_ids:
        if cid not in seen:
            session.add(
                DisclosureRow(requisition_id=requisition_id, candidate_id=cid, hospital=hospital)
            )
    session.flush()


def matches_for_candidate(
    *, session: Session, agency: str, candidate_id: int, limit: int
) -> list[RequisitionMatch]:
    """Open requisitions ranked for one of `agency`'s candidates, by the same pipeline."""
    candidate = repository.get_owned_candidate(
        session=session, agency=agency, candidate_id=candidate_id
    )
    pool = CandidatePool.build([candidate.id], [candidate.agency], [candidate.record])
    found: list[RequisitionMatch] = []
    for requisition in repository.list_requisitions(session=session, status="open"):
        ranked = rank(requisition.record, pool, top_k_count=1, include_ineligible=True)
        if ranked:
            found.append(RequisitionMatch(requisition, ranked[0]))
    found.sort(key=lambda m: (-m.match.score, m.requisition.id))
    return found[:limit]
