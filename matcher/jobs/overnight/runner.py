"""`run_batch`: plan or resume a run, score its pending chunks, checkpoint each, finalise.

Only this entry point (and the CLI above it) opens sessions; the scoring below it gets
plain values. Each requisition ranks by the ranking policy the API uses
(`matcher.service.ranking_policy`). Log lines carry the run id (bound for the whole run) and
counts, never personal data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import structlog

from matcher.engine.pool import CandidatePool
from matcher.errors import ConflictError, InvalidInputError, ServiceUnavailableError
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
from matcher.jobs.overnight.score import RequisitionToRank
from matcher.rules.facility_weights import FacilityWeights, default_facility_weights
from matcher.service.models import ModelCache
from matcher.service.pool_cache import build_pool
from matcher.service.ranking_policy import (
    RankingPolicy,
    ScorerSources,
    resolve_policies,
    resolve_policy,
)
from matcher.store import batch_runs as store
from matcher.store.batch_status import BatchRunStatus, run_status
from matcher.store.batch_tables import RUN_DONE, RUN_RUNNING
from matcher.store.candidates import max_candidate_id, pool_candidates
from matcher.store.db import Engine, read_session, write_session
from matcher.store.errors import ConstraintViolationError
from matcher.store.requisitions import open_requisition_records

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
    model_dir: Path | None = None  # an override: this saved learned ranker ranks every requisition
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
    # The scorer's label is stored beside them (model_version) and compared as well.
    return {
        "top_k": options.top_k,
        "per_candidate": options.per_candidate,
        "today": today.isoformat(),
        "include_ineligible": options.include_ineligible,
        "chunk_pairs": chunk_pairs,
        "model_override": str(options.model_dir.resolve()) if options.model_dir else None,
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
    pseudonym_key: str,
    models_dir: Path,
    facility_weights: FacilityWeights | None = None,
    on_progress: ProgressCallback | None = None,
    hook: store.CheckpointHook | None = None,
    client: Any | None = None,
) -> BatchRunStatus:
    """Run (or resume, with the same run id) a batch to completion; returns its status.

    Each requisition ranks as the API ranks it: by the `options.model_dir` override if given,
    else by the active model (found in `models_dir`), else by its facility's weights
    (`facility_weights`, default the rules file). A run resumed after that choice changed is
    refused. While ranking is stopped the run does not start (`ServiceUnavailableError`,
    nothing written).

    Every checkpoint appends its shortlists to the decision log (candidates as pseudonyms under
    `pseudonym_key`) and checks the stop switch: when ranking is stopped mid-run the run is
    left "paused" at that checkpoint, and running it again with the same run id resumes it.

    `client` is a connected `distributed.Client` to score on instead of the one that
    `options.workers` or `options.scheduler` would open (a notebook's, or a test's).
    """
    problems = options.problems()
    if not pseudonym_key:
        problems.append("the pseudonym key must not be empty")
    if problems:
        raise InvalidInputError("invalid batch options: " + "; ".join(problems))
    weights = facility_weights if facility_weights is not None else default_facility_weights()
    sources = ScorerSources(ModelCache(), models_dir, weights)
    run_id = options.run_id or default_run_id()
    with structlog.contextvars.bound_contextvars(run_id=run_id), fewer_collections():
        return _run(engine, run_id, options, sources, on_progress, hook, client, pseudonym_key)


def _run(
    engine: Engine,
    run_id: str,
    options: BatchOptions,
    sources: ScorerSources,
    on_progress: ProgressCallback | None,
    hook: store.CheckpointHook | None,
    client: Any | None,
    pseudonym_key: str,
) -> BatchRunStatus:
    with read_session(engine) as session:
        # Before anything is written: refused while stopped, and the run's scorer.
        scorer = resolve_policy(
            session=session,
            entry="batch",
            requisition=None,
            sources=sources,
            override=options.model_dir,
        )
    params, pool = _start_or_resume(engine, run_id, options, scorer.label)
    with read_session(engine) as session:
        status = run_status(session, run_id)
    if status.status == RUN_DONE:
        log.info("batch.already_done", results=status.results)
        _export(engine, run_id, options)
        return status
    _set_running(engine, run_id)
    try:
        policy = _RunPolicy(scorer, sources, pseudonym_key)
        _execute(engine, run_id, options, params, policy, pool, on_progress, hook, client)
        store.finalise(engine, run_id)
    except ServiceUnavailableError as stopped:  # the stop switch, thrown since the start
        store.mark_paused(engine, run_id, stopped.detail)
        log.warning("batch.paused")
        with read_session(engine) as session:
            return run_status(session, run_id)
    except BaseException as exc:
        store.mark_failed(engine, run_id, f"{type(exc).__name__}: {exc}")
        log.warning("batch.stopped", error=type(exc).__name__)
        raise
    _export(engine, run_id, options)
    with read_session(engine) as session:
        status = run_status(session, run_id)
    log.info(
        "batch.finished",
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
    log.info("batch.parquet_written", path=str(path))


@dataclass(frozen=True)
class _RunPolicy:
    """The run's scorer, where each requisition's policy comes from, and the log's key."""

    scorer: RankingPolicy
    sources: ScorerSources
    pseudonym_key: str


def _execute(
    engine: Engine,
    run_id: str,
    options: BatchOptions,
    params: dict[str, Any],
    policy: _RunPolicy,
    pool: CandidatePool | None,
    on_progress: ProgressCallback | None,
    hook: store.CheckpointHook | None,
    client: Any | None,
) -> None:
    with read_session(engine) as session:
        run = store.get_run(session, run_id)
        assert run is not None  # noqa: S101  (created or found by _start_or_resume)
        pending = store.pending_chunks(session, run_id)
        if pool is None:
            pool = build_pool(pool_candidates(session=session, id_max=run.candidate_id_max))
        wanted = sorted({rid for chunk in pending for rid in chunk.requisition_ids})
        records = open_requisition_records(session=session, ids=wanted)
        policies = resolve_policies(
            session=session,
            entry="batch",
            requisitions=records,
            sources=policy.sources,
            override=options.model_dir,
        )
        done, pairs_done = run.chunks_done, run.pairs_done
        chunks_total, pairs_total = run.chunks_total, run.pairs_blocked
    changed = sorted({p.label for p in policies.values()} - {policy.scorer.label})
    if changed:  # activated in the moment between the run's start and its first chunk
        raise ConflictError(
            f"the scorer changed from {policy.scorer.label!r} to {changed[0]!r} as the run "
            "started; run it again"
        )
    to_rank = {
        rid: RequisitionToRank(rid, record, policies[rid].weights)
        for rid, record in records.items()
    }
    accountability = store.Accountability(
        pseudonym_key=policy.pseudonym_key,
        cited={rid: (p.label, p.artefact_hash) for rid, p in policies.items()},
    )
    job = ScoringJob(
        top_k=options.top_k,
        today=date.fromisoformat(params["today"]),
        model=policy.scorer.model,
        include_ineligible=bool(params["include_ineligible"]),
    )
    log.info(
        "batch.resumed" if done else "batch.started",
        pending=len(pending),
        scorer=policy.scorer.label,
        override=policy.scorer.override,
    )

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
                chunk=chunk.chunk_no,
                pairs=chunk.pairs,
                results=written,
                seconds=round(seconds, 3),
            )
            if on_progress is not None:
                on_progress(BatchProgress(run_id, done, chunks_total, pairs_done, pairs_total))

    if client is not None:
        checkpoint(run_dask(client, job, pending, to_rank, pool, partitions=_workers(client)))
        return
    if options.workers is None and options.scheduler is None:
        checkpoint(run_local(job, pending, to_rank, pool))
        return
    started = time.perf_counter()
    with dask_client(workers=options.workers, scheduler=options.scheduler) as opened:
        log.info(
            "batch.cluster_ready",
            workers=_workers(opened),
            seconds=round(time.perf_counter() - started, 3),
        )
        checkpoint(run_dask(opened, job, pending, to_rank, pool, partitions=_workers(opened)))


def _workers(client: Any) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))
