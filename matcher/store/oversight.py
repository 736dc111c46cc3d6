"""Overrides and the stop switch, stored. The stop switch is read by every ranking request
and by batch runs at each checkpoint, so reading it is one primary-key look-up."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.domain.oversight import (
    Override,
    OverrideAction,
    RankingStatus,
    check_override,
    check_stop_change,
)
from matcher.errors import NotFoundError
from matcher.store.audit_tables import OverrideRow, RankingControlRow
from matcher.store.tables import CandidateRow, RequisitionRow, utcnow

_CONTROL_ID = 1


def record_override(
    *,
    session: Session,
    requisition_id: int,
    candidate_id: int,
    actor: str,
    reason: str,
    action: OverrideAction | str,
    new_rank: int | None = None,
) -> Override:
    """Record a recruiter's override; every problem with the input is reported at once."""
    action = check_override(actor=actor, reason=reason, action=action, new_rank=new_rank)
    missing = [
        f"{kind} {ident}"
        for kind, table, ident in (
            ("requisition", RequisitionRow, requisition_id),
            ("candidate", CandidateRow, candidate_id),
        )
        if session.get(table, ident) is None
    ]
    if missing:
        raise NotFoundError(" and ".join(missing) + " not found")
    row = OverrideRow(
        requisition_id=requisition_id,
        candidate_id=candidate_id,
        actor=actor.strip(),
        reason=reason.strip(),
        action=action.value,
        new_rank=new_rank,
    )
    session.add(row)
    session.flush()
    return _override(row)


def list_overrides(*, session: Session, requisition_id: int) -> list[Override]:
    """A requisition's overrides, oldest first."""
    stmt = (
        select(OverrideRow)
        .where(col(OverrideRow.requisition_id) == requisition_id)
        .order_by(col(OverrideRow.at), col(OverrideRow.id))
    )
    return [_override(row) for row in session.scalars(stmt)]


def _override(row: OverrideRow) -> Override:
    assert row.id is not None  # noqa: S101 - flushed rows have ids
    return Override(
        id=row.id,
        requisition_id=row.requisition_id,
        candidate_id=row.candidate_id,
        actor=row.actor,
        reason=row.reason,
        action=OverrideAction(row.action),
        new_rank=row.new_rank,
        at=row.at,
    )


def set_stop(session: Session, *, stopped: bool, reason: str, actor: str) -> RankingStatus:
    """Stop or resume ranking from the next request or batch checkpoint; who and why are kept."""
    check_stop_change(actor=actor, reason=reason)
    row = session.get(RankingControlRow, _CONTROL_ID, with_for_update=True)
    if row is None:
        row = RankingControlRow(id=_CONTROL_ID, changed_by=actor.strip())
    row.stopped, row.reason, row.changed_by = stopped, reason.strip(), actor.strip()
    row.changed_at = utcnow()
    session.add(row)
    session.flush()
    return ranking_status(session)


def ranking_status(session: Session) -> RankingStatus:
    row = session.get(RankingControlRow, _CONTROL_ID, populate_existing=True)
    if row is None:
        return RankingStatus(stopped=False)
    return RankingStatus(row.stopped, row.reason, row.changed_by, row.changed_at)


def is_stopped(session: Session) -> bool:
    """True while an admin has stopped ranking. Cheap: one primary-key read."""
    return ranking_status(session).stopped
