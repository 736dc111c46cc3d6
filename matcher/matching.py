"""Shortlists for stored requisitions: storage in, the one pipeline, storage out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from matcher.pipeline import RankedMatch, rank
from matcher.pool import CandidatePool
from matcher.storage import repository
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


def matches_for_requisition(*, session: Session, requisition_id: int, limit: int) -> MatchesResult:
    requisition = repository.get_requisition(session=session, requisition_id=requisition_id)
    occupation = requisition.record.occupation
    stored = repository.list_candidates(
        session=session, occupations=[occupation.value] if occupation else None
    )
    pool = CandidatePool.build(
        [c.id for c in stored], [c.agency for c in stored], [c.record for c in stored]
    )
    by_id = {c.id: c for c in stored}
    ranked = rank(requisition.record, pool, top_k_count=limit)
    return MatchesResult(
        requisition=requisition,
        scorer="weighted",
        matches=[MatchWithCandidate(m, by_id[m.candidate_id]) for m in ranked],
    )
