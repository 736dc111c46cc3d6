"""Idempotent candidate batches: validate every row, store the valid ones in one transaction.

The stored response and the rows commit together, so a retry with the same Idempotency-Key
either replays the first answer or, if the first attempt died, runs the batch afresh.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from matcher.errors import InvalidInputError, PayloadTooLargeError, RowError
from matcher.service.ingest import (
    RawRow,
    decode_json,
    ingest_candidates,
    read_jsonl,
    text_problem,
)
from matcher.store.db import Engine, Session, read_session, write_session
from matcher.store.errors import ConstraintViolationError
from matcher.store.idempotency import find_response, save_response


class BatchMode(StrEnum):
    PARTIAL = "partial"  # store the valid rows, report the rest
    ALL_OR_NOTHING = "all_or_nothing"


@dataclass(frozen=True)
class BatchLimits:
    max_rows: int
    max_bytes: int


@dataclass(frozen=True)
class BatchResponse:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


class IdempotencyConflictError(InvalidInputError):
    title = "Idempotency key reused"


def _array_row(index: int, item: Any, text: str) -> RawRow:
    if not isinstance(item, dict):
        return RawRow(index, index + 1, None, "must be a JSON object")
    problem = text_problem(text, item)
    return RawRow(index, index + 1, None, problem) if problem else RawRow(index, index + 1, item)


def parse_batch(body: bytes, *, content_type: str, limits: BatchLimits) -> list[RawRow]:
    """A JSON array or JSON Lines body as rows; an oversized body or batch is refused whole."""
    if len(body) > limits.max_bytes:
        raise PayloadTooLargeError(f"body exceeds {limits.max_bytes} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("body must be UTF-8") from None
    stripped = text.lstrip()
    if "json" in content_type and "ndjson" not in content_type and stripped.startswith("["):
        try:
            items = decode_json(text)
        except ValueError as exc:
            raise InvalidInputError(f"body is {exc}") from None
        rows = [_array_row(i, item, text) for i, item in enumerate(items)]
    else:
        rows = list(read_jsonl(io.StringIO(text)))
    if len(rows) > limits.max_rows:
        raise PayloadTooLargeError(f"batch has {len(rows)} rows; the limit is {limits.max_rows}")
    if not rows:
        raise InvalidInputError("batch is empty")
    return rows


def _replay(session: Session, tenant: str, key: str, request_hash: str) -> BatchResponse | None:
    stored = find_response(session=session, tenant=tenant, key=key)
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        raise IdempotencyConflictError(
            "this Idempotency-Key was used with a different payload; use a new key"
        )
    return BatchResponse(stored.status_code, stored.body, replayed=True)


def _body(
    stored: list[tuple[int, str, int]], errors: list[RowError], counts: dict[str, int]
) -> dict[str, Any]:
    return {
        **counts,
        "rows": [{"index": i, "external_id": ext, "id": cid} for i, ext, cid in stored],
        "errors": [
            {"index": e.index, "field": f.field, "message": f.message}
            for e in sorted(errors, key=lambda e: e.index)
            for f in e.errors
        ],
    }


def submit_candidate_batch(
    *,
    engine: Engine,
    agency: str,
    idempotency_key: str,
    body: bytes,
    content_type: str,
    mode: BatchMode,
    limits: BatchLimits,
    pseudonym_key: str,
) -> BatchResponse:
    request_hash = hashlib.sha256(mode.value.encode() + b"\n" + body).hexdigest()
    with read_session(engine) as session:
        replay = _replay(session, agency, idempotency_key, request_hash)
    if replay is not None:
        return replay
    rows = parse_batch(body, content_type=content_type, limits=limits)
    try:
        with write_session(engine) as session:
            replay = _replay(session, agency, idempotency_key, request_hash)
            if replay is not None:  # a concurrent retry finished first
                return replay
            report = ingest_candidates(
                session=session, agency=agency, rows=rows, pseudonym_key=pseudonym_key
            )
            errors = report.rejected
            counts = {
                "received": len(rows),
                "stored": len(report.stored),
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": len({e.index for e in errors}),
            }
            if mode is BatchMode.ALL_OR_NOTHING and errors:
                session.rollback()  # nothing of this batch is kept
                counts.update(stored=0, inserted=0, updated=0, unchanged=0)
                response = BatchResponse(422, _body([], errors, counts))
            else:
                response = BatchResponse(200, _body(report.stored, errors, counts))
            save_response(
                session=session,
                tenant=agency,
                key=idempotency_key,
                request_hash=request_hash,
                status_code=response.status_code,
                body=response.body,
            )
            return response
    except ConstraintViolationError:
        # Two first attempts raced on the same key: the loser replays the winner's answer.
        with read_session(engine) as session:
            replay = _replay(session, agency, idempotency_key, request_hash)
        if replay is None:
            raise
        return replay
