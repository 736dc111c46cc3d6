"""What a run covers: the candidate snapshot, the open requisitions, and chunks of them.

Blocking (occupation, through `matcher.engine.blocking`) decides how many pairs
each requisition costs; chunks group consecutive requisitions until their pairs fill the
memory budget, so every chunk costs about the same and is one checkpoint.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlmodel import Session, col

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.blocking import blocked_positions
from matcher.engine.pool import CandidatePool
from matcher.store.tables import CandidateRow, RequisitionRow

# Working memory per scored pair: the float32 feature row, scores and gate arrays, with
# headroom (PERFORMANCE.md measured ~100 bytes per pair at 100k-250k pairs per chunk).
BYTES_PER_PAIR = 160
MIN_CHUNK_PAIRS = 1


@dataclass(frozen=True)
class PlannedChunk:
    chunk_no: int
    requisition_ids: tuple[int, ...]
    pairs: int


def chunk_pairs_for_budget(memory_mib: int) -> int:
    """Pairs per chunk that fit in `memory_mib` of working memory."""
    return max(MIN_CHUNK_PAIRS, memory_mib * 1024 * 1024 // BYTES_PER_PAIR)


def max_candidate_id(session: Session) -> int:
    return int(session.execute(select(func.max(CandidateRow.id))).scalar_one() or 0)


# Contact details and date of birth: matching never reads them (protected attributes are never
# features), and validating them again (email-validator, phonenumbers) was two thirds of the
# time to load a pool. They were validated when the candidate was stored.
UNREAD_BY_MATCHING = ("email", "phone", "date_of_birth")


def _for_matching(record: dict[str, object]) -> CandidateRecord:
    return CandidateRecord.model_validate(
        {k: v for k, v in record.items() if k not in UNREAD_BY_MATCHING}
    )


def load_pool(session: Session, *, id_max: int) -> CandidatePool:
    """Every candidate with id <= `id_max` still present (erased ones are gone), by id.

    The records carry what matching reads: no contact details, no date of birth.
    """
    rows = session.execute(
        select(col(CandidateRow.id), col(CandidateRow.agency), col(CandidateRow.record))
        .where(col(CandidateRow.id) <= id_max)
        .order_by(col(CandidateRow.id))
    ).all()
    return CandidatePool.build(
        [cid for cid, _, _ in rows],
        [agency for _, agency, _ in rows],
        [_for_matching(record) for _, _, record in rows],
    )


def load_requisitions(
    session: Session, ids: Sequence[int] | None = None
) -> dict[int, RequisitionRecord]:
    """Open requisitions (all, or those of `ids` still open), by id."""
    stmt = select(col(RequisitionRow.id), col(RequisitionRow.record)).where(
        col(RequisitionRow.status) == "open"
    )
    if ids is not None:
        stmt = stmt.where(col(RequisitionRow.id).in_(list(ids)))
    return {
        int(rid): RequisitionRecord.model_validate(record)
        for rid, record in session.execute(stmt.order_by(col(RequisitionRow.id))).all()
    }


def blocked_pairs(requisitions: dict[int, RequisitionRecord], pool: CandidatePool) -> list[int]:
    """Pairs left after blocking, per requisition in id order."""
    return [int(blocked_positions(requisitions[rid], pool).size) for rid in sorted(requisitions)]


def plan_chunks(
    requisition_ids: Sequence[int], pairs: Sequence[int], *, chunk_pairs: int
) -> list[PlannedChunk]:
    """Consecutive requisitions grouped until a chunk holds at least `chunk_pairs` pairs."""
    chunks: list[PlannedChunk] = []
    current: list[int] = []
    load = 0
    for rid, n in zip(requisition_ids, pairs, strict=True):
        current.append(rid)
        load += n
        if load >= chunk_pairs:
            chunks.append(PlannedChunk(len(chunks), tuple(current), load))
            current, load = [], 0
    if current:
        chunks.append(PlannedChunk(len(chunks), tuple(current), load))
    return chunks


def partition(pool: CandidatePool, parts: int) -> list[CandidatePool]:
    """`parts` contiguous slices of the pool (vocabularies shared, so features agree)."""
    bounds = np.linspace(0, len(pool), max(1, parts) + 1).astype(np.intp)
    return [
        pool.take(np.arange(lo, hi, dtype=np.intp))
        for lo, hi in itertools.pairwise(bounds)
        if hi > lo
    ]
