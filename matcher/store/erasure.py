"""Erasure: a candidate leaves everywhere, except a pseudonymous tombstone and a ledger entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session, col

from matcher.domain.pseudonyms import candidate_pseudonym, subject_hash
from matcher.store.api_tables import CandidateTombstoneRow, DisclosureRow, ErasureLedgerRow
from matcher.store.batch_tables import BatchResultRow
from matcher.store.candidates import get_owned_candidate_row, note_candidate_change
from matcher.store.tables import CandidateRow, OutcomeRow


@dataclass(frozen=True)
class ErasureResult:
    candidate_id: int
    pseudonym: str
    hospitals_notified: list[str]  # hospitals that had been shown this candidate


def erase_candidate(
    *, session: Session, agency: str, candidate_id: int, pseudonym_key: str
) -> ErasureResult:
    row = get_owned_candidate_row(session=session, agency=agency, candidate_id=candidate_id)
    hospitals = sorted(
        set(
            session.scalars(
                select(col(DisclosureRow.hospital)).where(
                    col(DisclosureRow.candidate_id) == candidate_id
                )
            ).all()
        )
    )
    # Explicit deletes rather than trusting ON DELETE CASCADE alone: SQLite enforces foreign
    # keys only when the pragma is on, and erasure must not depend on a connection setting.
    session.execute(delete(DisclosureRow).where(col(DisclosureRow.candidate_id) == candidate_id))
    session.execute(delete(OutcomeRow).where(col(OutcomeRow.candidate_id) == candidate_id))
    session.execute(delete(BatchResultRow).where(col(BatchResultRow.candidate_id) == candidate_id))
    digest = subject_hash(pseudonym_key, agency, row.external_id)
    if (
        session.scalars(
            select(ErasureLedgerRow).where(col(ErasureLedgerRow.subject_hash) == digest)
        ).first()
        is None
    ):
        session.add(ErasureLedgerRow(subject_hash=digest))
    pseudonym = candidate_pseudonym(pseudonym_key, candidate_id)
    # A database whose highest id was erased before SQLite's candidate ids became AUTOINCREMENT
    # may have given that id again, so an earlier erasure can have left this pseudonym
    # already: keep that one tombstone rather than fail on the second.
    if (
        session.scalars(
            select(CandidateTombstoneRow).where(col(CandidateTombstoneRow.pseudonym) == pseudonym)
        ).first()
        is None
    ):
        session.add(CandidateTombstoneRow(pseudonym=pseudonym, agency=agency))
    session.execute(delete(CandidateRow).where(col(CandidateRow.id) == candidate_id))
    note_candidate_change(session)
    session.flush()
    return ErasureResult(candidate_id, pseudonym, hospitals)


def erased_subjects(*, session: Session, subject_hashes: Iterable[str]) -> set[str]:
    """Which of these subject hashes (matcher.domain.pseudonyms.subject_hash) were erased."""
    return set(
        session.scalars(
            select(col(ErasureLedgerRow.subject_hash)).where(
                col(ErasureLedgerRow.subject_hash).in_(list(subject_hashes))
            )
        ).all()
    )
