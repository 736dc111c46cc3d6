"""Disclosures: which hospital was shown which candidate for which requisition.

Erasure reads them to tell every hospital that saw a person that the person is gone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, col

from matcher.store.api_tables import DisclosureRow


def record_disclosures(
    session: Session, *, hospital: str, requisition_id: int, candidate_ids: Sequence[int]
) -> None:
    """Record that `hospital` was shown `candidate_ids` for the requisition; each pair once."""
    if not candidate_ids:
        return
    seen = set(
        session.scalars(
            select(col(DisclosureRow.candidate_id)).where(
                col(DisclosureRow.requisition_id) == requisition_id,
                col(DisclosureRow.candidate_id).in_(list(candidate_ids)),
            )
        ).all()
    )
    for candidate_id in candidate_ids:
        if candidate_id not in seen:
            session.add(
                DisclosureRow(
                    requisition_id=requisition_id, candidate_id=candidate_id, hospital=hospital
                )
            )
    session.flush()


def was_shown(*, session: Session, requisition_id: int, candidate_id: int) -> bool:
    """Whether the requisition's hospital was shown the candidate: only then may it override."""
    found = session.scalars(
        select(col(DisclosureRow.id)).where(
            col(DisclosureRow.requisition_id) == requisition_id,
            col(DisclosureRow.candidate_id) == candidate_id,
        )
    ).first()
    return found is not None
