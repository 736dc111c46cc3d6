"""What the overnight batch and the store hand each other: a planned chunk, a shortlisted pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PlannedChunk:
    """A checkpoint: consecutive requisitions whose blocked pairs fill one chunk's budget."""

    chunk_no: int
    requisition_ids: tuple[int, ...]
    pairs: int


class ShortlistedPair(Protocol):
    """One candidate on a requisition's merged top-k, as the batch scores it
    (matcher.jobs.overnight.score.Shortlisted) and the store keeps it."""

    @property
    def requisition_id(self) -> int: ...
    @property
    def candidate_id(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def eligibility(self) -> str | None: ...
    @property
    def rank(self) -> int: ...
