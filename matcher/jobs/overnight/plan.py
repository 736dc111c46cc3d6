"""What a run covers: the candidate snapshot, the open requisitions, and chunks of them.

The snapshot is read by the store's one pool loader (`matcher.store.candidates.pool_candidates`,
candidates up to the run's highest id) and built as the serving pool cache builds its pools
(`matcher.service.pool_cache.build_pool`).
Blocking (occupation, through `matcher.engine.blocking`) decides how many pairs
each requisition costs; chunks group consecutive requisitions until their pairs fill the
memory budget, so every chunk costs about the same and is one checkpoint.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from matcher.domain.overnight import PlannedChunk as PlannedChunk  # executors import it here
from matcher.domain.records import RequisitionRecord
from matcher.engine.blocking import blocked_positions
from matcher.engine.pool import CandidatePool

# Working memory per scored pair: the float32 feature row, scores and gate arrays, with
# headroom (PERFORMANCE.md measured ~100 bytes per pair at 100k-250k pairs per chunk).
BYTES_PER_PAIR = 160
MIN_CHUNK_PAIRS = 1


def chunk_pairs_for_budget(memory_mib: int) -> int:
    """Pairs per chunk that fit in `memory_mib` of working memory."""
    return max(MIN_CHUNK_PAIRS, memory_mib * 1024 * 1024 // BYTES_PER_PAIR)


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
