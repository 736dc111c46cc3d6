"""The batch's collection thresholds apply inside the block only, and are restored on errors."""

from __future__ import annotations

import gc

import pytest

from matcher.jobs.overnight.gc_pacing import BATCH_THRESHOLDS, fewer_collections, pace, unpace


def test_thresholds_are_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    assert before != BATCH_THRESHOLDS
    with fewer_collections():
        assert gc.get_threshold() == BATCH_THRESHOLDS
    assert gc.get_threshold() == before


def test_thresholds_are_restored_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError, match="boom"), fewer_collections():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before


def test_pace_and_unpace_nest() -> None:
    before = gc.get_threshold()
    pace()
    with fewer_collections():
        assert gc.get_threshold() == BATCH_THRESHOLDS
    assert gc.get_threshold() == BATCH_THRESHOLDS  # the outer pace still holds
    unpace()
    assert gc.get_threshold() == before
    unpace()  # one too many: harmless
    assert gc.get_threshold() == before
