"""The decision log's rows: append under the head lock, stream for verification, prune a prefix.

What a record holds and how the chain is checked is `matcher.domain.decisions`. Writers
serialise on the one-row `decision_log_head`: SELECT ... FOR UPDATE on PostgreSQL, and on
SQLite the write lock that the head upsert (the first statement) takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError
from sqlmodel import Session, col

from matcher.domain.decisions import (
    GENESIS_HASH,
    ChainHead,
    Decision,
    LogVerification,
    check_decisions,
    check_retention,
    checkpoint_problem,
    logged_candidates,
    record_hash,
    walk_chain,
)
from matcher.errors import ConflictError
from matcher.store.audit_tables import DecisionLogHeadRow, DecisionLogRow
from matcher.store.tables import utcnow

_HEAD_ID = 1


def _lock_head(session: Session) -> DecisionLogHeadRow:
    """Create the head if absent, then hold it until the transaction ends."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # The head nearly always exists: lock it in one round trip, create it only if absent.
        head = _select_head(session)
        if head is not None:
            return head
    insert = pg_insert if postgres else sqlite_insert
    # On SQLite this write comes first so the database write lock is taken before any read.
    session.execute(
        insert(DecisionLogHeadRow)
        .values(
            id=_HEAD_ID,
            last_seq=0,
            last_hash=GENESIS_HASH,
            anchor_seq=0,
            anchor_hash=GENESIS_HASH,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )
    head = _select_head(session)
    if head is None:  # pragma: no cover - the insert above guarantees the row
        raise ConflictError("decision log head could not be created")
    return head


def _select_head(session: Session) -> DecisionLogHeadRow | None:
    return session.scalars(
        select(DecisionLogHeadRow)
        .where(col(DecisionLogHeadRow.id) == _HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def _chain_head(head: DecisionLogHeadRow) -> ChainHead:
    return ChainHead(head.last_seq, head.last_hash, head.anchor_seq, head.anchor_hash)


def append_decisions(
    session: Session,
    decisions: Sequence[Decision],
    *,
    pseudonym_key: str,
    at: datetime | None = None,
) -> list[int]:
    """Append one record per decision, in order; returns their sequence numbers.

    The caller owns the transaction (matcher.store.db.write_session): the records and the
    head move together or not at all.
    """
    check_decisions(decisions)
    if not decisions:
        return []
    recorded_at = at or utcnow()
    head = _lock_head(session)
    if head.last_seq == head.anchor_seq and _has_records(session):
        raise ConflictError("decision log head is missing its records' state; run verify-log")
    seqs: list[int] = []
    for decision in decisions:
        row = DecisionLogRow(
            seq=head.last_seq + 1,
            run_id=decision.run_id,
            kind=decision.kind,
            recorded_at=recorded_at,
            tenant=decision.tenant,
            requisition_id=decision.requisition_id,
            model_version=decision.model_version,
            model_hash=decision.model_hash,
            candidates=logged_candidates(decision.ranked, pseudonym_key=pseudonym_key),
            prev_hash=head.last_hash,
            hash="",
        )
        row.hash = record_hash(row)
        session.add(row)
        head.last_seq, head.last_hash = row.seq, row.hash
        seqs.append(row.seq)
    session.add(head)
    session.flush()
    return seqs


def _has_records(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(DecisionLogRow)) != 0


def verify_log(
    session: Session, *, checkpoint: tuple[int, str] | None = None, batch_size: int = 1000
) -> LogVerification:
    """Recompute the chain from the anchor to the head; report the first record that fails.

    `checkpoint` is a (seq, hash) pair recorded outside the database earlier, such as the head
    printed by a previous verification: it catches a chain rewritten wholesale, head included.
    """
    stored = session.get(DecisionLogHeadRow, _HEAD_ID)
    if stored is None:
        if _has_records(session):
            return LogVerification(False, 0, 0, GENESIS_HASH, None, "the log head is missing")
        return LogVerification(True, 0, 0, GENESIS_HASH)
    head = _chain_head(stored)
    # Plain rows, streamed: a long log is checked without loading it all into the session.
    rows = session.execute(
        _records().order_by(col(DecisionLogRow.seq)).execution_options(yield_per=batch_size)
    )
    reader = _Readable(rows)
    try:
        checked, broken_seq, problem = walk_chain(reader, head)
    finally:
        rows.close()
    unreadable = None
    if reader.failed_after is not None:  # the walk stopped where the rows stopped
        unreadable = _first_unreadable(session, after=reader.failed_after)
    if unreadable is not None:
        broken_seq, problem = unreadable, f"record {unreadable} cannot be read: {READ_FAILURE}"
    if problem is None and checkpoint is not None:
        seq, expected = checkpoint
        found = head.anchor_hash if seq == head.anchor_seq else _stored_hash(session, seq)
        broken_seq, problem = checkpoint_problem(head, seq, expected, found)
    return LogVerification(
        problem is None, checked, head.last_seq, head.last_hash, broken_seq, problem
    )


READ_FAILURE = "a value is not valid JSON or a timestamp does not parse (edited)"
# What a driver raises for a stored value it cannot turn into Python (SQLite's JSON and
# timestamps are parsed by SQLAlchemy: ValueError; psycopg's own loaders: DataError).
_READ_ERRORS = (ValueError, DataError)


def _records() -> Select[Any]:
    return select(*DecisionLogRow.__table__.columns)  # type: ignore[attr-defined]


class _Readable:
    """The rows until one cannot be read; then `failed_after` is the last seq read (or -1)."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows = rows
        self.failed_after: int | None = None

    def __iter__(self) -> Iterator[Any]:
        last = -1
        try:
            for row in self.rows:
                last = row.seq
                yield row
        except _READ_ERRORS:
            self.failed_after = last


def _first_unreadable(session: Session, *, after: int) -> int | None:
    """Read the records after `after` one at a time (rows are fetched in batches, so the batch
    that failed does not say which of its rows did)."""
    seqs = session.scalars(
        select(col(DecisionLogRow.seq))
        .where(col(DecisionLogRow.seq) > after)
        .order_by(col(DecisionLogRow.seq))
    ).all()
    for seq in seqs:
        try:
            session.execute(_records().where(col(DecisionLogRow.seq) == seq)).one()
        except _READ_ERRORS:
            return seq
    return None


def _stored_hash(session: Session, seq: int) -> str | None:
    return session.scalar(select(col(DecisionLogRow.hash)).where(col(DecisionLogRow.seq) == seq))


def prune(session: Session, *, older_than_days: int, now: datetime | None = None) -> int:
    """Delete records older than the retention period; returns how many were deleted.

    Only a prefix of the chain is pruned, and only when the chain verifies, so tampering
    cannot be hidden by pruning it away. The last pruned record becomes the anchor that the
    first kept record links to, so verification still covers everything that is left.
    """
    check_retention(older_than_days)
    head = _lock_head(session)
    verification = verify_log(session)
    if not verification.ok:
        raise ConflictError(f"refusing to prune a broken decision log: {verification.problem}")
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    first_kept = session.scalar(
        select(func.min(DecisionLogRow.seq)).where(col(DecisionLogRow.recorded_at) >= cutoff)
    )
    last_pruned_seq = head.last_seq if first_kept is None else first_kept - 1
    if last_pruned_seq <= head.anchor_seq:
        return 0
    last_pruned = session.get(DecisionLogRow, last_pruned_seq)
    if last_pruned is None:  # verify_log just checked every record is present
        raise ConflictError(f"decision log record {last_pruned_seq} vanished while pruning")
    anchor_hash = last_pruned.hash
    result = session.execute(
        delete(DecisionLogRow).where(col(DecisionLogRow.seq) <= last_pruned_seq)
    )
    head.anchor_seq, head.anchor_hash = last_pruned_seq, anchor_hash
    session.add(head)
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]
