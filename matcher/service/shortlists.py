"""Shortlists for stored requisitions and candidates: storage in, the one pipeline, storage out.

Every shortlist a hospital sees is checked against the stop switch, ranked by the active model
(or the weighted score), recorded as disclosures for erasure notices, and appended to the
hash-chained decision log, all in the caller's one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from matcher.domain.decisions import Decision
from matcher.eligibility.gate import GateCache
from matcher.engine.blocking import block_key
from matcher.engine.pipeline import RankedMatch, rank, rank_with_gate
from matcher.engine.pool import CandidatePool
from matcher.errors import ServiceUnavailableError
from matcher.rules.facility_weights import default_facility_weights
from matcher.service.models import ModelCache, weights_hash
from matcher.service.pool_cache import PoolCache
from matcher.store.api_tables import DisclosureRow
from matcher.store.candidates import StoredCandidate, get_owned_candidate
from matcher.store.db import read_session, write_session
from matcher.store.decision_log import append_decisions
from matcher.store.oversight import is_stopped
from matcher.store.requisitions import StoredRequisition, get_owned_requisition, list_requisitions

WEIGHTED_MODEL = "weighted"


@dataclass(frozen=True)
class Serving:
    """What a serving process keeps between requests."""

    pools: PoolCache
    models: ModelCache
    gates: GateCache
    models_dir: Path
    pseudonym_key: str


@dataclass(frozen=True)
class MatchWithCandidate:
    match: RankedMatch
    candidate: StoredCandidate


@dataclass(frozen=True)
class MatchesResult:
    requisition: StoredRequisition
    scorer: str
    matches: list[MatchWithCandidate]
    hidden: dict[str, int] = field(default_factory=dict)  # hidden by the gate, per status


@dataclass(frozen=True)
class RequisitionMatch:
    requisition: StoredRequisition
    match: RankedMatch


def shortlist_for_hospital(
    *,
    engine: Engine,
    serving: Serving,
    hospital: str,
    requisition_id: int,
    limit: int,
    include_ineligible: bool = False,
    request_id: str,
    today: date | None = None,
) -> MatchesResult:
    """Rank candidates for one of `hospital`'s requisitions and record what it was shown.

    Ranking runs in a read transaction, so shortlists rank in parallel (SQLite WAL readers do
    not wait for each other); the disclosures and the decision-log record are then written in
    one short write transaction. The shortlist is returned only once that record committed.
    """
    with read_session(engine) as session:
        requisition = get_owned_requisition(
            session=session, owner=hospital, requisition_id=requisition_id
        )
        if is_stopped(session):
            raise ServiceUnavailableError("ranking is stopped by an administrator; retry later")
        active = serving.models.active(session=session, models_dir=serving.models_dir)
        pool, by_id = serving.pools.get(session=session, occupation=block_key(requisition.record))
    model = active.model if active else None
    # Without a learned model, a facility's configured weight overrides apply.
    weights = (
        None
        if model is not None
        else default_facility_weights().weights_for(requisition.record.facility.external_id)
    )
    ranking = rank_with_gate(
        requisition.record,
        pool,
        top_k_count=limit,
        weights=weights,
        model=model,
        today=today,
        include_ineligible=include_ineligible,
        gate_cache=serving.gates,
    )
    ranked = ranking.matches
    result = MatchesResult(
        requisition=requisition,
        scorer=ranked[0].scorer
        if ranked
        else (f"learned:{model.model_id}" if model else "weighted"),
        matches=[MatchWithCandidate(m, by_id[m.candidate_id]) for m in ranked],
        hidden=ranking.hidden,
    )
    with write_session(engine) as session:
        record_disclosures(
            session, hospital, requisition_id, [m.candidate.id for m in result.matches]
        )
        append_decisions(
            session,
            [
                Decision(
                    run_id=request_id,
                    kind="shortlist",
                    tenant=hospital,
                    requisition_id=str(requisition_id),
                    model_version=model.model_id if model else WEIGHTED_MODEL,
                    model_hash=active.artefact_hash if active else weights_hash(weights or {}),
                    ranked=ranked,
                )
            ],
            pseudonym_key=serving.pseudonym_key,
        )
    return result


def record_disclosures(
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
    *, session: Session, agency: str, candidate_id: int, limit: int, today: date | None = None
) -> list[RequisitionMatch]:
    """Open requisitions ranked for one of `agency`'s candidates, by the same pipeline.

    Requisitions the candidate is ineligible for are left out, as in hospitals' shortlists.
    """
    candidate = get_owned_candidate(session=session, agency=agency, candidate_id=candidate_id)
    pool = CandidatePool.build([candidate.id], [candidate.agency], [candidate.record])
    found: list[RequisitionMatch] = []
    for requisition in list_requisitions(session=session, status="open"):
        ranked = rank(requisition.record, pool, top_k_count=1, today=today)
        if ranked:
            found.append(RequisitionMatch(requisition, ranked[0]))
    found.sort(key=lambda m: (-m.match.score, m.requisition.id))
    return found[:limit]
