"""Candidates: upsert, look up within an agency, and the one loader pools are built from.

`pool_candidates` is the only reader of the rows a candidate pool is built from: the serving
pool cache (matcher/service/pool_cache.py) and the overnight batch (matcher/jobs/overnight/)
both call it. Its occupation block is the rule of `matcher.engine.blocking`, in SQL: a block
holds the candidates of that occupation and those whose occupation is unknown; no occupation
(None) means every candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord
from matcher.errors import NotFoundError
from matcher.store.api_tables import CandidateTombstoneRow
from matcher.store.rows import UpsertResult, chunks, storable, upsert_by_external_id
from matcher.store.tables import CandidateChangeRow, CandidateRow

# Moves on every committed candidate write (see CandidateChangeRow), then max(id),
# max(updated_at) and the number of erasures.
Fingerprint = tuple[int, int | None, datetime | None, int]

# Contact details and date of birth: matching never reads them (protected attributes are never
# features), and validating them again (email-validator, phonenumbers) was two thirds of the
# time to load a pool. They were validated when the candidate was stored.
UNREAD_BY_MATCHING = ("email", "phone", "date_of_birth")


@dataclass(frozen=True)
class StoredCandidate:
    id: int
    agency: str
    record: CandidateRecord


def upsert_candidates(
    *, session: Session, agency: str, records: Sequence[CandidateRecord]
) -> UpsertResult:
    """Insert or update by (agency, external_id); returns ids in input order and changed rows."""
    result = upsert_by_external_id(
        session=session,
        table=CandidateRow,
        scope=("agency", agency),
        records=records,
        country_of=lambda record: record.country,
    )
    if result.inserted or result.updated:
        note_candidate_change(session)
    return result


# The same statement on SQLite and PostgreSQL; the row lock it takes lasts until commit.
_BUMP_CHANGE = text(
    "INSERT INTO candidate_change (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = candidate_change.n + 1"
)


def note_candidate_change(session: Session) -> None:
    """Count a candidate write in this transaction (see CandidateChangeRow)."""
    session.execute(_BUMP_CHANGE)


def candidate_change_count(session: Session) -> int:
    """The committed count of candidate writes (0 before the first)."""
    found = session.execute(
        select(col(CandidateChangeRow.n)).where(col(CandidateChangeRow.id) == 1)
    ).scalar()
    return int(found or 0)


def candidate_ids_by_external(
    *, session: Session, external_ids: Sequence[str]
) -> dict[str, list[tuple[int, str]]]:
    """Map each external id to its (id, agency) pairs: one id may exist at several agencies."""
    found: dict[str, list[tuple[int, str]]] = {}
    for chunk in chunks(list(dict.fromkeys(external_ids))):
        stmt = select(
            col(CandidateRow.id), col(CandidateRow.external_id), col(CandidateRow.agency)
        ).where(col(CandidateRow.external_id).in_(chunk))
        for cid, ext, agency in session.execute(stmt).all():
            found.setdefault(ext, []).append((cid, agency))
    return found


def get_owned_candidate_row(*, session: Session, agency: str, candidate_id: int) -> CandidateRow:
    """The candidate's row if `agency` owns it; another tenant's id is indistinguishable from
    none. For the store's own modules: everything above the store gets `StoredCandidate`."""
    row = session.get(CandidateRow, candidate_id) if storable(candidate_id) else None
    if row is None or row.agency != agency:
        raise NotFoundError(f"candidate {candidate_id} not found")
    return row


def require_owned_candidate(*, session: Session, agency: str, candidate_id: int) -> None:
    """NotFoundError unless `agency` owns the candidate; reads no record."""
    get_owned_candidate_row(session=session, agency=agency, candidate_id=candidate_id)


def get_owned_candidate(*, session: Session, agency: str, candidate_id: int) -> StoredCandidate:
    row = get_owned_candidate_row(session=session, agency=agency, candidate_id=candidate_id)
    return StoredCandidate(
        id=candidate_id, agency=row.agency, record=CandidateRecord.model_validate(row.record)
    )


def list_candidates(*, session: Session) -> list[StoredCandidate]:
    """Every candidate with the whole record as stored, by id."""
    stmt = select(
        col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record)
    ).order_by(col(CandidateRow.id))
    return [
        StoredCandidate(id=cid, agency=agency, record=CandidateRecord.model_validate(record))
        for cid, agency, record in session.execute(stmt).all()
    ]


def list_candidates_by_id(*, session: Session, ids: Sequence[int]) -> list[StoredCandidate]:
    found: list[StoredCandidate] = []
    for chunk in chunks(list(ids)):
        stmt = select(
            col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record)
        ).where(col(CandidateRow.id).in_(chunk))
        found.extend(
            StoredCandidate(id=cid, agency=agency, record=CandidateRecord.model_validate(record))
            for cid, agency, record in session.execute(stmt).all()
        )
    return found


def present_candidate_ids(*, session: Session, ids: Sequence[int]) -> set[int]:
    """Which of `ids` are still stored, each row locked against erasure until the transaction ends.

    A shortlist ranks outside its write transaction; in that transaction it records only the
    candidates this returns. The share lock (PostgreSQL; SQLite's write transaction already
    excludes every other writer) makes an erasure that has not committed yet wait for this
    transaction, and one that committed first leaves its candidate out.
    """
    found: set[int] = set()
    for chunk in chunks(list(ids)):
        stmt = (
            select(col(CandidateRow.id))
            .where(col(CandidateRow.id).in_(chunk))
            .with_for_update(read=True)
        )
        found.update(int(cid) for cid in session.scalars(stmt).all() if cid is not None)
    return found


def max_candidate_id(*, session: Session) -> int:
    return int(session.execute(select(func.max(CandidateRow.id))).scalar_one() or 0)


def pool_fingerprint(*, session: Session) -> Fingerprint:
    """Moves on every committed candidate write, and is cheap: a few index look-ups.

    Every write transaction increments the change counter (a row lock held until commit, so
    the committed count moves with each commit, in commit order). max(id), max(updated_at) and
    the tombstone count stay in as well, for rows written by anything that bypasses these
    functions. Without the counter, two writers committing out of order on PostgreSQL could
    leave max(id) and max(updated_at) where they were, and a cached pool stale until the next
    write.
    """
    max_id, latest = session.execute(
        select(func.max(CandidateRow.id), func.max(CandidateRow.updated_at))
    ).one()
    erased = session.execute(select(func.count()).select_from(CandidateTombstoneRow)).scalar_one()
    return candidate_change_count(session), max_id, latest, int(erased)


def _in_block(stmt: Any, occupation: str | None) -> Any:
    """The rule of `matcher.engine.blocking.blocked_positions`, as a WHERE clause."""
    if occupation is None:
        return stmt
    return stmt.where(
        (col(CandidateRow.occupation) == occupation) | col(CandidateRow.occupation).is_(None)
    )


def pool_versions(*, session: Session, occupation: str | None) -> dict[int, datetime]:
    """When each candidate of the occupation's block last changed, by id."""
    stmt = select(col(CandidateRow.id), col(CandidateRow.updated_at)).order_by(col(CandidateRow.id))
    return {cid: at for cid, at in session.execute(_in_block(stmt, occupation)).all()}


def pool_candidates(
    *,
    session: Session,
    occupation: str | None = None,
    id_max: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[StoredCandidate]:
    """The candidates a pool is built from, by id: the occupation's block (None = everyone),
    optionally only ids up to `id_max` or only `ids`.

    The records carry what matching reads: no contact details, no date of birth.
    """
    stmt = select(col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record))
    stmt = _in_block(stmt, occupation)
    if id_max is not None:
        stmt = stmt.where(col(CandidateRow.id) <= id_max)
    parts = (
        [stmt] if ids is None else [stmt.where(col(CandidateRow.id).in_(c)) for c in chunks(ids)]
    )
    return [
        StoredCandidate(cid, agency, _for_matching(record))
        for part in parts
        for cid, agency, record in session.execute(part.order_by(col(CandidateRow.id))).all()
    ]


def _for_matching(record: dict[str, Any]) -> CandidateRecord:
    return CandidateRecord.model_validate(
        {k: v for k, v in record.items() if k not in UNREAD_BY_MATCHING}
    )
