"""Blocking: which candidates a requisition is worth scoring against.

One rule, used everywhere a block is formed: a requisition with an occupation is scored against
candidates of that occupation and candidates whose occupation could not be told from their
title (nobody is dropped unseen); a requisition without one is scored against everyone.
`block_key` names the block; the store's pool loader applies the same rule in SQL
(`matcher.store.candidates`), `blocked_positions` in NumPy on a built pool.
"""

from __future__ import annotations

import numpy as np

from matcher.domain.records import RequisitionRecord
from matcher.engine.pool import CandidatePool
from matcher.engine.pool_memo import PoolMemo

# Positions of each block, per pool object: shared by every requisition of that occupation.
_BLOCKS: PoolMemo[np.ndarray] = PoolMemo(keep=64)


def block_key(requisition: RequisitionRecord) -> str | None:
    """The occupation whose block `requisition` is scored against; None means every candidate."""
    return requisition.occupation.value if requisition.occupation else None


def blocked_positions(requisition: RequisitionRecord, pool: CandidatePool) -> np.ndarray:
    """Positions in `pool` of the requisition's block (read-only, shared between callers)."""
    wanted = block_key(requisition)
    if wanted is None:
        return np.arange(len(pool))

    def block() -> np.ndarray:
        found = np.flatnonzero((pool.occupations == wanted) | (pool.occupations == ""))
        found.flags.writeable = False
        return found

    return _BLOCKS.get(pool, wanted, block)
