"""Shortlists for stored requisitions and candidates: storage in, the one pipeline, storage out.

Every entry point here goes through the ranking policy (`matcher.service.ranking_policy`): it
is refused while ranking is stopped, ranks with the policy's scorer (the active model, else
the facility's weights), shows the policy's scorer label and appends the decision-log record
the policy names. What a hospital is shown is recorded as disclosures, for erasure notices.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import structlog

from matcher.eligibility.gate import GateCache
from matcher.engine.blocking import block_key
from matcher.engine.pipeline import RankedMatch, rank, rank_with_gate
from matcher.engine.pool import CandidatePool
from matcher.errors import ConflictError
from matcher.rules.facility_weights import FacilityWeights, default_facility_weights
from matcher.service.models import ModelCache
from matcher.service.pool_cache import PoolCache
from matcher.service.ranking_policy import ScorerSources, resolve_policies, resolve_policy
from matcher.store.batch_status import (
    BatchShortlistEntry,
    latest_results_for_requisition,
    run_status,
)
from matcher.store.candidates import (
    StoredCandidate,
    get_owned_candidate,
    list_candidates_by_id,
    present_candidate_ids,
)
from matcher.store.db import Engine, Session, read_session, write_session
from matcher.store.decision_log import append_decisions
from matcher.store.disclosures import record_disclosures
from matcher.store.requisitions import (
    OPEN,
    StoredRequisition,
    get_owned_requisition,
    list_requisitions,
)

log = structlog.get_logger("matcher.service.shortlists")


@dataclass(frozen=True)
class Serving:
    """What a serving process keeps between requests."""

    pools: PoolCache
    models: ModelCache
    gates: GateCache
    models_dir: Path
    pseudonym_key: str
    facility_weights: FacilityWeights = field(default_factory=default_facility_weights)

    @property
    def scorers(self) -> ScorerSources:
        return ScorerSources(self.models, self.models_dir, self.facility_weights)


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
    scorer: str


@dataclass(frozen=True)
class OvernightMatch:
    entry: BatchShortlistEntry
    candidate: StoredCandidate


@dataclass(frozen=True)
class OvernightShortlist:
    requisition_id: int
    run_id: str | None
    finished_at: datetime | None
    scorer: str | None  # the label of the scorer the batch run ranked with
    matches: list[OvernightMatch]


def _decision_run_id(request_id: str) -> str:
    """The decision log's run id for one request: the server's own, never the client's.

    A client chooses its X-Request-ID, so as a run id it could name the overnight run (or
    another tenant's request). The `request:` prefix keeps it apart from batch run ids; the
    client's id stays in the response and the logs, and this line ties the two together.
    """
    run_id = f"request:{uuid.uuid4().hex}"
    log.info("decision.run_id", run_id=run_id, request_id=request_id)
    return run_id


class RequisitionClosedError(ConflictError):
    title = "Requisition closed"


def _open_requisition(session: Session, hospital: str, requisition_id: int) -> StoredRequisition:
    """One of `hospital`'s requisitions, if it is still open.

    A closed job is filled or withdrawn: ranking candidates for it would show them to a
    hospital (and log it) for nothing, so both the live and the overnight shortlist refuse it.
    Another hospital's id stays a 404, checked first, so a 409 reveals nothing.
    """
    requisition = get_owned_requisition(
        session=session, owner=hospital, requisition_id=requisition_id
    )
    if requisition.status != OPEN:
        raise RequisitionClosedError(f"requisition is {requisition.status}")
    return requisition


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
    A candidate erased while the shortlist was ranked is left out of all three.
    """
    with read_session(engine) as session:
        requisition = _open_requisition(session, hospital, requisition_id)
        policy = resolve_policy(
            session=session,
            entry="shortlist",
            requisition=requisition.record,
            sources=serving.scorers,
        )
        pool, by_id = serving.pools.get(session=session, occupation=block_key(requisition.record))
    ranking = rank_with_gate(
        requisition.record,
        pool,
        top_k_count=limit,
        weights=policy.weights,
        model=policy.model,
        today=today,
        include_ineligible=include_ineligible,
        gate_cache=serving.gates,
    )
    run_id = _decision_run_id(request_id)
    with write_session(engine) as session:
        # Ranking ran outside any transaction: a candidate erased meanwhile is gone now. Only
        # those still stored (read, and kept from erasure, in this transaction) are shown,
        # disclosed and logged, in their ranked order with their places closed up.
        present = present_candidate_ids(
            session=session, ids=[m.candidate_id for m in ranking.matches]
        )
        ranked = [
            replace(m, rank=place)
            for place, m in enumerate(
                (m for m in ranking.matches if m.candidate_id in present), start=1
            )
        ]
        record_disclosures(
            session,
            hospital=hospital,
            requisition_id=requisition_id,
            candidate_ids=[m.candidate_id for m in ranked],
        )
        append_decisions(
            session,
            [
                policy.decision(
                    run_id=run_id,
                    tenant=hospital,
                    requisition_id=requisition_id,
                    ranked=ranked,
                )
            ],
            pseudonym_key=serving.pseudonym_key,
        )
    return MatchesResult(
        requisition=requisition,
        scorer=policy.label,
        matches=[MatchWithCandidate(m, by_id[m.candidate_id]) for m in ranked],
        hidden=ranking.hidden,
    )


def overnight_shortlist_for_hospital(
    *, engine: Engine, serving: Serving, hospital: str, requisition_id: int, limit: int
) -> OvernightShortlist:
    """The latest finished batch run's shortlist for one of `hospital`'s requisitions.

    Refused while ranking is stopped, like a live shortlist; the run logged its ranking when
    it made it, and what the hospital is shown now is recorded as disclosures. Candidates
    erased since are never in it.
    """
    with write_session(engine) as session:
        requisition = _open_requisition(session, hospital, requisition_id)
        resolve_policy(
            session=session,
            entry="overnight_shortlist",
            requisition=requisition.record,
            sources=serving.scorers,
        )
        entries = latest_results_for_requisition(session, requisition_id, limit)
        candidates = {
            c.id: c
            for c in list_candidates_by_id(session=session, ids=[e.candidate_id for e in entries])
        }
        shown = [
            OvernightMatch(e, candidates[e.candidate_id])
            for e in entries
            if e.candidate_id in candidates
        ]
        record_disclosures(
            session,
            hospital=hospital,
            requisition_id=requisition_id,
            candidate_ids=[m.candidate.id for m in shown],
        )
        run = run_status(session, shown[0].entry.run_id) if shown else None
    return OvernightShortlist(
        requisition_id=requisition_id,
        run_id=run.run_id if run else None,
        finished_at=run.finished_at if run else None,
        scorer=run.model_version if run else None,
        matches=shown,
    )


def matches_for_candidate(
    *,
    engine: Engine,
    serving: Serving,
    agency: str,
    candidate_id: int,
    limit: int,
    request_id: str,
    today: date | None = None,
) -> list[RequisitionMatch]:
    """Open requisitions ranked for one of `agency`'s candidates, by the same pipeline and
    the same scorers as hospitals' shortlists, so the candidate's score for a requisition is
    the one its hospital sees.

    Requisitions the candidate is ineligible for are left out, as in hospitals' shortlists.
    One decision-log record per requisition returned cites its scorer; the candidate's `rank`
    in it is the requisition's place in the agency's list.
    """
    with read_session(engine) as session:
        candidate = get_owned_candidate(session=session, agency=agency, candidate_id=candidate_id)
        requisitions = list_requisitions(session=session, status="open")
        policies = resolve_policies(
            session=session,
            entry="agency_view",
            requisitions={r.id: r.record for r in requisitions},
            sources=serving.scorers,
        )
    pool = CandidatePool.build([candidate.id], [candidate.agency], [candidate.record])
    found: list[RequisitionMatch] = []
    for requisition in requisitions:
        policy = policies[requisition.id]
        ranked = rank(
            requisition.record,
            pool,
            top_k_count=1,
            weights=policy.weights,
            model=policy.model,
            today=today,
        )
        if ranked:
            found.append(RequisitionMatch(requisition, ranked[0], policy.label))
    found.sort(key=lambda m: (-m.match.score, m.requisition.id))
    shown = found[:limit]
    if not shown:
        return shown
    run_id = _decision_run_id(request_id)
    with write_session(engine) as session:
        append_decisions(
            session,
            [
                policies[m.requisition.id].decision(
                    run_id=run_id,
                    tenant=agency,
                    requisition_id=m.requisition.id,
                    ranked=[replace(m.match, rank=place)],
                )
                for place, m in enumerate(shown, start=1)
            ],
            pseudonym_key=serving.pseudonym_key,
        )
    return shown
