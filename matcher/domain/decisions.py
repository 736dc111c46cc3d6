"""Ranking decisions and the hash chain that makes their log tamper-evident: plain values, no I/O.

A record stores `prev_hash` (the hash of the record before it) and its own `hash`, a SHA-256
over the canonical JSON of its content and `prev_hash`. Editing, removing or reordering any
record breaks the chain at that record. Candidates appear only as keyed pseudonyms, so erasing
a person never needs the log rewritten. The store appends and reads the records
(`matcher.store.decision_log`); this module says what a record is and when a chain holds.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, get_args

from matcher.domain.pseudonyms import candidate_pseudonym
from matcher.errors import InvalidInputError

# US EEOC / NYC LL144 audits look back a year; the floor keeps at least six months (issue 7).
MIN_RETENTION_DAYS = 183
GENESIS_HASH = "0" * 64  # prev_hash of the first record ever appended

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


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends (`last_*`) and where pruning stopped (`anchor_*`)."""

    last_seq: int
    last_hash: str
    anchor_seq: int
    anchor_hash: str


def pseudonym(candidate_id: int, *, key: str) -> str:
    """Keyed, stable pseudonym of a candidate: the one erasure tombstones carry too."""
    if not key:
        raise InvalidInputError("the pseudonym key must not be empty")
    return candidate_pseudonym(key, candidate_id)


def logged_candidates(ranked: Sequence[Ranked], *, pseudonym_key: str) -> list[dict[str, Any]]:
    """What a record keeps of a ranking: pseudonym, rank and score of each candidate."""
    return [
        {
            "pseudonym": pseudonym(r.candidate_id, key=pseudonym_key),
            "rank": int(r.rank),
            "score": float(r.score),
        }
        for r in ranked
    ]


def _canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def _timestamp(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def record_hash(row: Any) -> str:
    """The hash a record must carry: over every field except the hash itself.

    `row` is any object with a record's attributes (a stored row or a streamed result row).
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


def check_decisions(decisions: Sequence[Decision]) -> None:
    """Every problem with the decisions at once, as one InvalidInputError."""
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


def check_retention(older_than_days: int) -> None:
    if older_than_days < MIN_RETENTION_DAYS:
        raise InvalidInputError(
            f"decision-log retention must be at least {MIN_RETENTION_DAYS} days, "
            f"not {older_than_days}"
        )


def walk_chain(rows: Iterable[Any], head: ChainHead) -> tuple[int, int | None, str | None]:
    """(records checked, first broken seq, problem) along the chain from the anchor.

    `rows` are the stored records in seq order, each with a record's attributes.
    """
    expected_seq, expected_prev = head.anchor_seq + 1, head.anchor_hash
    checked = 0
    for row in rows:
        if row.seq < expected_seq:
            return checked, row.seq, f"record {row.seq} lies before the anchor {head.anchor_seq}"
        if row.seq > expected_seq:
            return checked, expected_seq, f"record {_span(expected_seq, row.seq - 1)} is missing"
        try:
            digest = record_hash(row)
        except (ValueError, TypeError, OverflowError):
            # Only an edit puts Infinity/NaN (or a value JSON has no form for) in a record.
            return checked, row.seq, f"record {row.seq} holds a value that is not JSON (edited)"
        if digest != row.hash:
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


def checkpoint_problem(
    head: ChainHead, seq: int, expected: str, found: str | None
) -> tuple[int | None, str | None]:
    """(broken seq, problem) when the record at `seq` no longer carries the `expected` hash.

    `found` is the stored hash of record `seq` (the anchor's hash when `seq` is the anchor).
    """
    if seq > head.last_seq:
        return seq, f"checkpoint {seq} is beyond the head {head.last_seq} (records removed?)"
    if seq < head.anchor_seq:
        return seq, f"checkpoint {seq} was pruned (anchor {head.anchor_seq}); use a later one"
    if found != expected:
        return seq, f"record {seq} differs from the checkpoint (the chain was rewritten)"
    return None, None


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
