"""Append candidates to a built pool without rebuilding it: the pool cache's fast path.

A write usually adds a few candidates to a pool of tens of thousands; building the whole pool
again costs seconds, building the new rows and appending them costs milliseconds. The result
equals `CandidatePool.build` over all the rows (tests/engine/test_pool_append.py checks it field by
field), because every vocabulary the build makes is sorted: the merged vocabulary is the
sorted union and each side's codes map into it monotonically.

Only fields this module knows how to merge are merged; a pool with any other shared
(non-row) field makes `append_pools` return None and the caller rebuilds.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.engine.pool import CandidatePool

# vocabulary field -> the row field whose columns (or codes) index into it
_VOCAB_COLUMNS = {"country_vocab": "prefers_country", "language_vocab": "language_levels"}
_VOCAB_CODES = {"title_vocab": "title_codes", "equipment_vocab": "equipment_codes"}
_ROW_TUPLES = ("agencies", "records")


def _merged_columns(
    a_vocab: dict[str, int],
    a: npt.NDArray[Any],
    b_vocab: dict[str, int],
    b: npt.NDArray[Any],
) -> tuple[dict[str, int], npt.NDArray[Any]]:
    vocab = {v: i for i, v in enumerate(sorted(a_vocab.keys() | b_vocab.keys()))}
    out = np.zeros((a.shape[0] + b.shape[0], len(vocab)), dtype=a.dtype)
    for side, side_vocab, offset in ((a, a_vocab, 0), (b, b_vocab, a.shape[0])):
        columns = [vocab[v] for v in sorted(side_vocab, key=side_vocab.__getitem__)]
        out[offset : offset + side.shape[0], columns] = side
    return vocab, out


def _merged_codes(
    a_vocab: npt.NDArray[Any] | tuple[str, ...],
    a: npt.NDArray[np.int32],
    b_vocab: npt.NDArray[Any] | tuple[str, ...],
    b: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[Any] | tuple[str, ...], npt.NDArray[np.int32]]:
    merged = sorted(set(a_vocab) | set(b_vocab))
    index = {v: i for i, v in enumerate(merged)}
    width = max(a.shape[1], b.shape[1]) if a.ndim == 2 else 0
    parts = []
    for side_vocab, side in ((a_vocab, a), (b_vocab, b)):
        lookup = np.asarray([index[v] for v in side_vocab] + [-1], dtype=np.int32)
        remapped = lookup[side]  # code -1 (padding) reads the trailing -1
        if side.ndim == 2 and side.shape[1] < width:
            pad = np.full((side.shape[0], width - side.shape[1]), -1, dtype=np.int32)
            remapped = np.hstack([remapped, pad])
        parts.append(remapped)
    # Strings take the width of the longest (a fixed width from one side would truncate).
    vocab: npt.NDArray[Any] | tuple[str, ...] = (
        tuple(merged) if isinstance(a_vocab, tuple) else np.asarray(merged, dtype=np.str_)
    )
    if isinstance(vocab, np.ndarray) and not merged:
        vocab = a_vocab
    return vocab, np.concatenate(parts).astype(np.int32)


def append_pools(a: CandidatePool, b: CandidatePool) -> CandidatePool | None:
    """`a` followed by `b` as one pool, or None when a field is of a kind not handled here."""
    n_a, n_b = len(a), len(b)
    values: dict[str, Any] = {}
    handled = {*_VOCAB_COLUMNS.values(), *_VOCAB_CODES.values()}
    for vocab_name, rows_name in _VOCAB_COLUMNS.items():
        values[vocab_name], values[rows_name] = _merged_columns(
            getattr(a, vocab_name),
            getattr(a, rows_name),
            getattr(b, vocab_name),
            getattr(b, rows_name),
        )
    for vocab_name, rows_name in _VOCAB_CODES.items():
        values[vocab_name], values[rows_name] = _merged_codes(
            getattr(a, vocab_name),
            getattr(a, rows_name),
            getattr(b, vocab_name),
            getattr(b, rows_name),
        )
    for f in fields(a):
        if f.name in values or f.name in handled:
            continue
        left, right = getattr(a, f.name), getattr(b, f.name)
        if f.name in _ROW_TUPLES:
            values[f.name] = (*left, *right)
        elif (
            isinstance(left, np.ndarray)
            and isinstance(right, np.ndarray)
            and left.shape[:1] == (n_a,)
            and right.shape[:1] == (n_b,)
            and left.shape[1:] == right.shape[1:]
        ):
            values[f.name] = np.concatenate([left, right])
        else:
            return None  # a field this module does not know: let the caller rebuild
    return CandidatePool(**values)
