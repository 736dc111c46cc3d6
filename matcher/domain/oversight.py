"""Human oversight as plain values: a recruiter's override of a ranking, the stop switch.

The engine never rejects anyone by itself: a ranking only orders candidates. Any removal,
promotion or re-ranking is a person's act, recorded with who did it and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from matcher.errors import InvalidInputError

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


def check_override(
    *, actor: str, reason: str, action: OverrideAction | str, new_rank: int | None
) -> OverrideAction:
    """The override's action; every problem with the input is reported at once."""
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
    return OverrideAction(action)


def check_stop_change(*, actor: str, reason: str) -> None:
    problems = _text_problems(actor=(actor, MAX_ACTOR), reason=(reason, MAX_TEXT))
    if problems:
        raise InvalidInputError("invalid stop-switch change: " + "; ".join(problems))
