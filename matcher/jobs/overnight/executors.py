"""Where partitions are scored: in this process, or on a Dask cluster (local or remote).

Both yield (chunk, merged top-k rows, seconds) as chunks finish. Dask is how the batch
scales past one machine; on one machine a plain process is about as fast (PERFORMANCE.md).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from matcher.eligibility.caches import clear_all as clear_eligibility_caches
from matcher.engine.artefact import LoadedModel
from matcher.engine.pool import CandidatePool
from matcher.jobs.overnight import gc_pacing
from matcher.jobs.overnight.plan import PlannedChunk, partition
from matcher.jobs.overnight.score import (
    RequisitionToRank,
    Shortlisted,
    merge_top_k,
    score_partition,
)

ChunkResult = tuple[PlannedChunk, list[Shortlisted], float]


@dataclass(frozen=True)
class ScoringJob:
    """What every partition task needs besides its candidates."""

    top_k: int
    today: date
    model: LoadedModel | None
    include_ineligible: bool

    def requisitions(
        self, chunk: PlannedChunk, records: dict[int, RequisitionToRank]
    ) -> list[RequisitionToRank]:
        # Requisitions closed since planning are skipped here and filtered again at commit.
        return [records[rid] for rid in chunk.requisition_ids if rid in records]

    def score(
        self, requisitions: list[RequisitionToRank], pool: CandidatePool
    ) -> list[Shortlisted]:
        """Each requisition's top-k within `pool` (one partition, or the whole pool)."""
        return score_partition(
            requisitions,
            pool,
            top_k=self.top_k,
            today=self.today,
            model=self.model,
            include_ineligible=self.include_ineligible,
        )


def run_local(
    job: ScoringJob,
    chunks: Sequence[PlannedChunk],
    records: dict[int, RequisitionToRank],
    pool: CandidatePool,
) -> Iterator[ChunkResult]:
    for chunk in chunks:
        started = time.perf_counter()
        rows = merge_top_k([job.score(job.requisitions(chunk, records), pool)], job.top_k)
        yield chunk, rows, time.perf_counter() - started


def _score_task(
    job: ScoringJob, requisitions: list[RequisitionToRank], pool: CandidatePool
) -> tuple[list[Shortlisted], float]:
    started = time.perf_counter()
    part = job.score(requisitions, pool)
    return part, time.perf_counter() - started


def _merge_task(parts: list[tuple[list[Shortlisted], float]], top_k: int) -> tuple[Any, float]:
    return merge_top_k([p for p, _ in parts], top_k), sum(s for _, s in parts)


def _warm_worker() -> bool:
    importlib.import_module("matcher.jobs.overnight.score")
    gc_pacing.pace()  # for the whole run: per task it cost a full collection after each
    return True


def _release_worker() -> bool:
    """Drop the eligibility caches and collect: a worker then exits in well under a second
    (with millions of cached objects a LocalCluster worker outlived the nanny's 4 s and was
    killed), and a long-lived cluster gets its memory back."""
    clear_eligibility_caches()
    gc_pacing.unpace()
    gc.collect()
    return True


@contextmanager
def dask_client(*, workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client on a new LocalCluster (processes, one thread each, 127.0.0.1) or on `scheduler`."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]  # untyped library
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]  # untyped library
            n_workers=workers or 1,
            threads_per_worker=1,  # LightGBM/BLAS pools would oversubscribe the cores
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # any free port: 8787 may be taken by another cluster
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]  # untyped library
    ):
        yield client


def run_dask(
    client: Any,
    job: ScoringJob,
    chunks: Sequence[PlannedChunk],
    records: dict[int, RequisitionToRank],
    pool: CandidatePool,
    *,
    partitions: int,
) -> Iterator[ChunkResult]:
    """Partitions are scattered once; per chunk one task per partition, then one merge."""
    from distributed import as_completed

    client.run(_warm_worker)  # imports once per worker, before the clock of the first chunk
    parts = [client.scatter(p, hash=False) for p in partition(pool, partitions)]
    merged: dict[Any, PlannedChunk] = {}
    for chunk in chunks:
        requisitions = job.requisitions(chunk, records)
        scored = [client.submit(_score_task, job, requisitions, p, pure=False) for p in parts]
        merged[client.submit(_merge_task, scored, job.top_k, pure=False)] = chunk
    try:
        finished = as_completed(list(merged), with_results=True)  # type: ignore[no-untyped-call]
        for future, (rows, seconds) in finished:
            yield merged[future], rows, seconds
    finally:
        client.cancel(list(merged))
        with contextlib.suppress(Exception):  # best effort: never hide the run's own error
            client.run(_release_worker)
