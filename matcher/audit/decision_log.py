"""The decision log: an append-only, hash-chained record of every ranking the engine returned.

Each record stores `prev_hash` (the hash of the record before it) and its own `hash`, a SHA-256
over the canonical JSON of its content and `prev_hash`. Editing, removing or reordering any
record breaks the chain at that record. Candidates appear only as keyed pseudonyms
(HMAC-SHA256 of the candidate id), so erasing a person never needs the log rewritten.

Writers serialise on the one-row `decision_log_head`: SELECT ... FOR UPDATE on PostgreSQL,
and on SQLite the write lock that the head upsert (the first statement) takes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol, get_args

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from matcher.domain.pseudonyms import candidate_pseudonym
from matcher.errors import ConflictError, InvalidInputError
from matcher.store.audit_tables import GENESIS_HASH, DecisionLogHeadRow, DecisionLogRow
from matcher.store.tables import utcnow

# US EEOC / NYC LL144 audits look back a year; the floor keeps at least six months (issue 7).
MIN_RETENTION_DAYS = 183
_HEAD_ID = 1

# What ranked: a hospital's shortlist request, a batch run, or an agency's view of a candidate.
DecisionKind = Literal["shortlist", "batch", "agency_view"]


class Ranked(Protocol):
    """Anything with a candidate id, rank and score, such as matcher.engine.pipeline.RankedMatch."""

    @property
    def candidate_id(self) -> int: ...
    @property
    def rank(self) -> int: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class Decision:
    """One ranking returned for one requisition, by one request or batch run."""

    run_id: str
    kind: DecisionKind
    tenant: str
    requisition_id: str
    model_version: str
    model_hash: str
    ranked: Sequence[Ranked]


@dataclass(frozen=True)
class LogVerification:
    ok: bool
    checked: int  # records whose hash was recomputed
    head_seq: int
    head_hash: str
    broken_seq: int | None = None  # the first record that fails (or is missing)
    problem: str | None = None


def pseudonym(candidate_id: int, *, key: str) -> str:
    """Keyed, stable pseudonym of a candidate: the one erasure tombstones carry too."""
    if not key:
        raise InvalidInputError("the pseudonym key must not be empty")
    return candidate_pseudonym(key, candidate_id)


def _canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def _timestamp(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def record_hash(row: DecisionLogRow | Any) -> str:
    """The hash a record must carry: over every field except the hash itself.

    `row` is a DecisionLogRow or any object with its attributes (a streamed result row).
    """
    content = {
        "seq": row.seq,
        "run_id": row.run_id,
        "kind": row.kind,
        "recorded_at": _timestamp(row.recorded_at),
        "tenant": row.tenant,
        "requisition_id": row.requisition_id,
        "model_version": row.model_version,
        "model_hash": row.model_hash,
        "candidates": row.candidates,
        "prev_hash": row.prev_hash,
    }
    return hashlib.sha256(_canonical(content)).hexdigest()


def _check(decisions: Sequence[Decision]) -> None:
    problems: list[str] = []
    for index, decision in enumerate(decisions):
        for name in ("run_id", "tenant", "requisition_id", "model_version", "model_hash"):
            if not getattr(decision, name):
                problems.append(f"decision {index}: {name} is required")
        if decision.kind not in get_args(DecisionKind):
            problems.append(f"decision {index}: kind must be one of {get_args(DecisionKind)}")
        if any(not math.isfinite(float(r.score)) for r in decision.ranked):
            problems.append(f"decision {index}: every score must be a finite number")
    if problems:
        raise InvalidInputError("; ".join(problems))


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
    _check(decisions)
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
            candidates=[
                {
                    "pseudonym": pseudonym(r.candidate_id, key=pseudonym_key),
                    "rank": int(r.rank),
                    "score": float(r.score),
                }
                for r in decision.ranked
            ],
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
    head = session.get(DecisionLogHeadRow, _HEAD_ID)
    if head is None:
        if _has_records(session):
            return LogVerification(False, 0, 0, GENESIS_HASH, None, "the log head is missing")
        return LogVerification(True, 0, 0, GENESIS_HASH)
    # Plain rows, streamed: a long log is checked without loading it all into the session.
    rows = session.execute(
        select(*DecisionLogRow.__table__.columns)  # type: ignore[attr-defined]
        .order_by(col(DecisionLogRow.seq))
        .execution_options(yield_per=batch_size)
    )
    try:
        walk = _walk(rows, head)
    finally:
        rows.close()
    checked, broken_seq, problem = walk
    if problem is None and checkpoint is not None:
        broken_seq, problem = _check_checkpoint(session, head, *checkpoint)
    return LogVerification(
        problem is None, checked, head.last_seq, head.last_hash, broken_seq, problem
    )


def _walk(rows: Iterable[Any], head: DecisionLogHeadRow) -> tuple[int, int | None, str | None]:
    """(records checked, first broken seq, problem) along the chain from the anchor."""
    expected_seq, expected_prev = head.anchor_seq + 1, head.anchor_hash
    checked = 0
    for row in rows:
        if row.seq < expected_seq:
            return checked, row.seq, f"record {row.seq} lies before the anchor {head.anchor_seq}"
        if row.seq > expected_seq:
            return checked, expected_seq, f"record {_span(expected_seq, row.seq - 1)} is missing"
        if record_hash(row) != row.hash:
            return checked, row.seq, f"record {row.seq} does not match its hash (edited)"
        if row.prev_hash != expected_prev:
            return (
                checked,
                row.seq,
                f"record {row.seq} does not link to record {row.seq - 1} "
                "(one of them was edited, replaced or reordered)",
            )
        checked += 1
        expected_seq, expected_prev = row.seq + 1, row.hash
    last_seq = expected_seq - 1
    if last_seq < head.last_seq:
        return checked, expected_seq, f"record {_span(expected_seq, head.last_seq)} is missing"
    if last_seq != head.last_seq or expected_prev != head.last_hash:
        return checked, last_seq, "the log head does not match the last record"
    return checked, None, None


def _check_checkpoint(
    session: Session, head: DecisionLogHeadRow, seq: int, expected: str
) -> tuple[int | None, str | None]:
    if seq > head.last_seq:
        return seq, f"checkpoint {seq} is beyond the head {head.last_seq} (records removed?)"
    if seq < head.anchor_seq:
        return seq, f"checkpoint {seq} was pruned (anchor {head.anchor_seq}); use a later one"
    found: str | None = head.anchor_hash
    if seq != head.anchor_seq:
        found = session.scalar(
            select(col(DecisionLogRow.hash)).where(col(DecisionLogRow.seq) == seq)
        )
    if found != expected:
        return seq, f"record {seq} differs from the checkpoint (the chain was rewritten)"
    return None, None


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def prune(session: Session, *, older_than_days: int, now: datetime | None = None) -> int:
    """Delete records older than the retention period; returns how many were deleted.

    Only a prefix of the chain is pruned, and only when the chain verifies, so tampering
    cannot be hidden by pruning it away. The last pruned record becomes the anchor that the
    first kept record links to, so verification still covers everything that is left.
    """
    if older_than_days < MIN_RETENTION_DAYS:
        raise InvalidInputError(
            f"decision-log retention must be at least {MIN_RETENTION_DAYS} days, "
            f"not {older_than_days}"
        )
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
