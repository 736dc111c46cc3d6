"""`run_batch`: plan or resume a run, score its pending chunks, checkpoint each, finalise.

Only this entry point (and the CLI above it) opens sessions; the scoring below it gets
plain values. Log lines carry the run id and counts, never personal data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import structlog

from matcher.engine.artefact import LoadedModel, load_model
from matcher.engine.pool import CandidatePool
from matcher.errors import InvalidInputError
from matcher.jobs.overnight import plan
from matcher.jobs.overnight.executors import (
    ChunkResult,
    ScoringJob,
    dask_client,
    run_dask,
    run_local,
)
from matcher.jobs.overnight.gc_pacing import fewer_collections
from matcher.jobs.overnight.parquet import export_parquet
from matcher.service.models import artefact_hash, weights_hash
from matcher.service.pool_cache import build_pool
from matcher.settings import DEV_PSEUDONYM_KEY
from matcher.store import batch_runs as store
from matcher.store.batch_status import BatchRunStatus, run_status
from matcher.store.batch_tables import RUN_DONE, RUN_RUNNING
from matcher.store.candidates import max_candidate_id, pool_candidates
from matcher.store.db import Engine, read_session, write_session
from matcher.store.errors import ConstraintViolationError
from matcher.store.requisitions import open_requisition_records
from scoring.weighted import DEFAULT_WEIGHTS

log = structlog.get_logger("matcher.jobs.overnight")


@dataclass(frozen=True)
class BatchOptions:
    run_id: str | None = None
    top_k: int = 50
    per_candidate: int = 10
    workers: int | None = None  # a Dask LocalCluster of this many processes
    scheduler: str | None = None  # an existing Dask cluster, tcp://HOST:8786
    parquet_dir: Path | None = None
    memory_mib: int = 64  # working memory per chunk; sets the chunk size
    chunk_pairs: int | None = None  # explicit chunk size in pairs (overrides memory_mib)
    today: date | None = None  # the assessment date; fixed per run so resumption agrees
    model_dir: Path | None = None  # a saved learned ranker; default the weighted score
    include_ineligible: bool = False

    def problems(self) -> list[str]:
        found = []
        if self.top_k < 1:
            found.append("top_k must be at least 1")
        if self.per_candidate < 1:
            found.append("per_candidate must be at least 1")
        if self.workers is not None and self.workers < 1:
            found.append("workers must be at least 1")
        if self.workers is not None and self.scheduler is not None:
            found.append("give either workers or scheduler, not both")
        if self.memory_mib < 1:
            found.append("memory_mib must be at least 1")
        if self.chunk_pairs is not None and self.chunk_pairs < 1:
            found.append("chunk_pairs must be at least 1")
        if self.run_id is not None and not (1 <= len(self.run_id) <= 64):
            found.append("run_id must be 1 to 64 characters")
        return found


@dataclass(frozen=True)
class BatchProgress:
    run_id: str
    chunks_done: int
    chunks_total: int
    pairs_done: int
    pairs_total: int


ProgressCallback = Callable[[BatchProgress], None]


def default_run_id() -> str:
    return "batch-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _params(options: BatchOptions, today: date, chunk_pairs: int) -> dict[str, Any]:
    # What makes two runs the same run; workers and scheduler do not change the output.
    return {
        "top_k": options.top_k,
        "per_candidate": options.per_candidate,
        "today": today.isoformat(),
        "include_ineligible": options.include_ineligible,
        "chunk_pairs": chunk_pairs,
    }


def _start_or_resume(
    engine: Engine, run_id: str, options: BatchOptions, model_version: str
) -> tuple[dict[str, Any], CandidatePool | None]:
    """The stored run's params, creating the run (and its chunk plan) if it is new."""
    with read_session(engine) as session:
        run = store.get_run(session, run_id)
        if run is not None:
            today = date.fromisoformat(run.params["today"])
            wanted = _params(options, options.today or today, run.params["chunk_pairs"])
            if options.chunk_pairs is not None:
                wanted["chunk_pairs"] = options.chunk_pairs
            store.check_same_params(run, wanted, model_version)
            return dict(run.params), None
        id_max = max_candidate_id(session=session)
        pool = build_pool(pool_candidates(session=session, id_max=id_max))
        requisitions = open_requisition_records(session=session)
    chunk_pairs = options.chunk_pairs or plan.chunk_pairs_for_budget(options.memory_mib)
    today = options.today or date.today()
    ids = sorted(requisitions)
    pairs = plan.blocked_pairs(requisitions, pool)
    chunks = plan.plan_chunks(ids, pairs, chunk_pairs=chunk_pairs)
    params = _params(options, today, chunk_pairs)
    try:
        with write_session(engine) as session:
            store.create_run(
                session,
                run_id=run_id,
                params=params,
                model_version=model_version,
                candidate_id_max=id_max,
                candidates=len(pool),
                requisition_pairs=dict(zip(ids, pairs, strict=True)),
                chunks=chunks,
            )
    except ConstraintViolationError:  # another process created it first: resume theirs
        return _start_or_resume(engine, run_id, options, model_version)
    log.info(
        "batch.planned",
        run_id=run_id,
        requisitions=len(ids),
        candidates=len(pool),
        pairs_blocked=sum(pairs),
        pairs_total=len(ids) * len(pool),
        chunks=len(chunks),
    )
    return params, pool


def _set_running(engine: Engine, run_id: str) -> None:
    with write_session(engine) as session:
        run = store.get_run(session, run_id)
        if run is not None and run.status != RUN_DONE:
            run.status, run.error = RUN_RUNNING, None


def run_batch(
    engine: Engine,
    options: BatchOptions,
    *,
    on_progress: ProgressCallback | None = None,
    hook: store.CheckpointHook | None = None,
    client: Any | None = None,
    pseudonym_key: str = DEV_PSEUDONYM_KEY,
) -> BatchRunStatus:
    """Run (or resume, with the same run id) a batch to completion; returns its status.

    Every checkpoint appends its shortlists to the decision log (candidates as pseudonyms under
    `pseudonym_key`) and checks the stop switch: when ranking is stopped the run is left
    "paused" at that checkpoint, and running it again with the same run id resumes it.

    `client` is a connected `distributed.Client` to score on instead of the one that
    `options.workers` or `options.scheduler` would open (a notebook's, or a test's).
    """
    problems = options.problems()
    if problems:
        raise InvalidInputError("invalid batch options: " + "; ".join(problems))
    with fewer_collections():
        return _run(engine, options, on_progress, hook, client, pseudonym_key)


def _run(
    engine: Engine,
    options: BatchOptions,
    on_progress: ProgressCallback | None,
    hook: store.CheckpointHook | None,
    client: Any | None,
    pseudonym_key: str,
) -> BatchRunStatus:
    run_id = options.run_id or default_run_id()
    model: LoadedModel | None = load_model(options.model_dir) if options.model_dir else None
    model_version = f"learned:{model.model_id}" if model is not None else "weighted"
    params, pool = _start_or_resume(engine, run_id, options, model_version)
    accountability = store.Accountability(
        pseudonym_key=pseudonym_key,
        model_version=model_version,
        model_hash=artefact_hash(Path(options.model_dir))
        if options.model_dir
        else weights_hash(DEFAULT_WEIGHTS),
    )
    with read_session(engine) as session:
        status = run_status(session, run_id)
    if status.status == RUN_DONE:
        log.info("batch.already_done", run_id=run_id, results=status.results)
        _export(engine, run_id, options)
        return status
    _set_running(engine, run_id)
    try:
        _execute(
            engine, run_id, options, params, model, pool, on_progress, hook, client, accountability
        )
        store.finalise(engine, run_id)
    except store.RankingStoppedError as stopped:
        store.mark_paused(engine, run_id, stopped.detail)
        log.warning("batch.paused", run_id=run_id)
        with read_session(engine) as session:
            return run_status(session, run_id)
    except BaseException as exc:
        store.mark_failed(engine, run_id, f"{type(exc).__name__}: {exc}")
        log.warning("batch.stopped", run_id=run_id, error=type(exc).__name__)
        raise
    _export(engine, run_id, options)
    with read_session(engine) as session:
        status = run_status(session, run_id)
    log.info(
        "batch.finished",
        run_id=run_id,
        results=status.results,
        pairs_blocked=status.pairs_blocked,
        scoring_seconds=round(status.scoring_seconds, 3),
        content_hash=status.content_hash,
    )
    return status


def _export(engine: Engine, run_id: str, options: BatchOptions) -> None:
    if options.parquet_dir is None:
        return
    with read_session(engine) as session:
        path = export_parquet(
            session, run_id, options.parquet_dir, per_candidate=options.per_candidate
        )
    log.info("batch.parquet_written", run_id=run_id, path=str(path))


def _execute(
    engine: Engine,
    run_id: str,
    options: BatchOptions,
    params: dict[str, Any],
    model: LoadedModel | None,
    pool: CandidatePool | None,
    on_progress: ProgressCallback | None,
    hook: store.CheckpointHook | None,
    client: Any | None,
    accountability: store.Accountability,
) -> None:
    with read_session(engine) as session:
        run = store.get_run(session, run_id)
        assert run is not None  # noqa: S101  (created or found by _start_or_resume)
        pending = store.pending_chunks(session, run_id)
        if pool is None:
            pool = build_pool(pool_candidates(session=session, id_max=run.candidate_id_max))
        wanted = sorted({rid for chunk in pending for rid in chunk.requisition_ids})
        records = open_requisition_records(session=session, ids=wanted)
        done, pairs_done = run.chunks_done, run.pairs_done
        chunks_total, pairs_total = run.chunks_total, run.pairs_blocked
    job = ScoringJob(
        top_k=options.top_k,
        today=date.fromisoformat(params["today"]),
        model=model,
        include_ineligible=bool(params["include_ineligible"]),
    )
    log.info("batch.resumed" if done else "batch.started", run_id=run_id, pending=len(pending))

    def checkpoint(results: Iterator[ChunkResult]) -> None:
        nonlocal done, pairs_done
        for chunk, rows, seconds in results:
            written = store.commit_chunk(
                engine,
                run_id,
                chunk,
                rows,
                seconds=seconds,
                accountability=accountability,
                hook=hook,
            )
            if written is None:
                continue
            done, pairs_done = done + 1, pairs_done + chunk.pairs
            log.info(
                "batch.chunk_done",
                run_id=run_id,
                chunk=chunk.chunk_no,
                pairs=chunk.pairs,
                results=written,
                seconds=round(seconds, 3),
            )
            if on_progress is not None:
                on_progress(BatchProgress(run_id, done, chunks_total, pairs_done, pairs_total))

    if client is not None:
        checkpoint(run_dask(client, job, pending, records, pool, partitions=_workers(client)))
        return
    if options.workers is None and options.scheduler is None:
        checkpoint(run_local(job, pending, records, pool))
        return
    started = time.perf_counter()
    with dask_client(workers=options.workers, scheduler=options.scheduler) as opened:
        log.info(
            "batch.cluster_ready",
            run_id=run_id,
            workers=_workers(opened),
            seconds=round(time.perf_counter() - started, 3),
        )
        checkpoint(run_dask(opened, job, pending, records, pool, partitions=_workers(opened)))


def _workers(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))
