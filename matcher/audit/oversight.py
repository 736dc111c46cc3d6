"""Human oversight as hospitals and admins use it: overrides of a shortlist, the stop switch.

The stop switch is read by the API (503 with Retry-After) on each ranking request and by batch
runs at each checkpoint. Types and input checks are `matcher.domain.oversight`; the rows are
`matcher.store.oversight`.
"""

from __future__ import annotations

from matcher.domain.oversight import Override, OverrideAction, RankingStatus
from matcher.errors import NotFoundError
from matcher.store import disclosures, oversight
from matcher.store.db import Engine, read_session, write_session
from matcher.store.requisitions import get_owned_requisition


def override_shortlist(
    *,
    engine: Engine,
    hospital: str,
    requisition_id: int,
    candidate_id: int,
    actor: str,
    reason: str,
    action: OverrideAction | str,
    new_rank: int | None = None,
) -> Override:
    """Record a recruiter's decision on a candidate `hospital` was shown for its requisition."""
    with write_session(engine) as session:
        get_owned_requisition(session=session, owner=hospital, requisition_id=requisition_id)
        if not disclosures.was_shown(
            session=session, requisition_id=requisition_id, candidate_id=candidate_id
        ):
            raise NotFoundError("this candidate was not shortlisted for this requisition")
        return oversight.record_override(
            session=session,
            requisition_id=requisition_id,
            candidate_id=candidate_id,
            actor=actor,
            reason=reason,
            action=action,
            new_rank=new_rank,
        )


def set_ranking_stopped(*, engine: Engine, stopped: bool, reason: str, actor: str) -> RankingStatus:
    """Stop or resume ranking from the next request or batch checkpoint."""
    with write_session(engine) as session:
        return oversight.set_stop(session, stopped=stopped, reason=reason, actor=actor)


def current_ranking_status(*, engine: Engine) -> RankingStatus:
    with read_session(engine) as session:
        return oversight.ranking_status(session)
