"""Human oversight: recruiters' overrides of a ranking, and the admin stop switch.

The engine never rejects anyone by itself: a ranking only orders candidates. Any removal,
promotion or re-ranking is a person's act, recorded here with who did it and why. The stop
switch is read by the API (503 with Retry-After, or the documented fallback) on each ranking
request and by batch runs at each checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.errors import InvalidInputError, NotFoundError
from matcher.store.audit_tables import OverrideRow, RankingControlRow
from matcher.store.tables import CandidateRow, RequisitionRow, utcnow

_CONTROL_ID = 1
MAX_TEXT = 2000
MAX_ACTOR = 120


class OverrideAction(StrEnum):
    SET_RANK = "set_rank"  # move the candidate to new_rank
    SHORTLIST = "shortlist"  # add to the shortlist whatever the score
    REMOVE = "remove"  # take off the shortlist; a person's decision, never the engine's


@dataclass(frozen=True)
class Override:
    id: int
    requisition_id: int
    candidate_id: int
    actor: str
    reason: str
    action: OverrideAction
    new_rank: int | None
    at: datetime


@dataclass(frozen=True)
class RankingStatus:
    stopped: bool
    reason: str | None = None
    changed_by: str | None = None
    changed_at: datetime | None = None


def _text_problems(**fields: tuple[str, int]) -> list[str]:
    problems = []
    for name, (value, limit) in fields.items():
        if not value.strip():
            problems.append(f"{name} is required")
        elif len(value) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    return problems


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
    problems = _text_problems(actor=(actor, MAX_ACTOR), reason=(reason, MAX_TEXT))
    try:
        action = OverrideAction(action)
    except ValueError:
        problems.append(f"action must be one of {', '.join(OverrideAction)}")
    if action == OverrideAction.SET_RANK and (new_rank is None or new_rank < 1):
        problems.append("set_rank needs new_rank of 1 or more")
    if action != OverrideAction.SET_RANK and new_rank is not None:
        problems.append("new_rank is only for set_rank")
    if problems:
        raise InvalidInputError("invalid override: " + "; ".join(problems))
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
        action=OverrideAction(action).value,
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
    problems = _text_problems(actor=(actor, MAX_ACTOR), reason=(reason, MAX_TEXT))
    if problems:
        raise InvalidInputError("invalid stop-switch change: " + "; ".join(problems))
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
