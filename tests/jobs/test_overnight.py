"""Overnight batch runs: same pipeline as the API, resumable at any checkpoint, Dask-equal,
erasure-safe. Every test body runs on SQLite and PostgreSQL through `engine`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlmodel import col

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.pipeline import rank
from matcher.engine.pool import CandidatePool
from matcher.errors import InvalidInputError
from matcher.jobs.overnight import (
    BatchOptions,
    BatchRunStatus,
    latest_results_for_requisition,
    run_batch,
    run_status,
)
from matcher.jobs.overnight.executors import dask_client
from matcher.jobs.overnight.plan import partition, plan_chunks
from matcher.jobs.overnight.score import (
    RequisitionToRank,
    Shortlisted,
    merge_top_k,
    score_partition,
)
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.service.erasure import erase_candidate
from matcher.service.pool_cache import build_pool
from matcher.service.requisitions import close_requisition
from matcher.store.batch_runs import CheckpointHook
from matcher.store.batch_tables import CHUNK_DONE, BatchChunkRow, BatchResultRow
from matcher.store.candidates import get_owned_candidate, pool_candidates, upsert_candidates
from matcher.store.db import read_session, write_session
from matcher.store.requisitions import open_requisition_records, upsert_requisitions
from matcher.synthetic.generator import REFERENCE_DATE, generate

AGENCY, HOSPITAL = "agency-a", "hospital-a"
TODAY = date(2026, 2, 1)
TOP_K = 5
CHUNK_PAIRS = 120  # small chunks, so a run has enough checkpoints to kill it at
PSEUDONYM_KEY = "test-pseudonym-key"
NO_MODELS = Path("no-models")  # no model is active unless a test activates one


class KilledError(Exception):
    """Stands in for SIGKILL at a checkpoint."""


@cache
def _records(
    n_candidates: int, n_requisitions: int
) -> tuple[list[CandidateRecord], list[RequisitionRecord]]:
    cands, reqs = generate(n_candidates, n_requisitions, seed=6, today=REFERENCE_DATE)
    return (
        with_derived_occupation([CandidateRecord.model_validate(c) for c in cands]),
        with_derived_occupation([RequisitionRecord.model_validate(r) for r in reqs]),
    )


def seed(engine: Engine, n_candidates: int = 160, n_requisitions: int = 24) -> None:
    cands, reqs = _records(n_candidates, n_requisitions)
    with write_session(engine) as session:
        upsert_candidates(session=session, agency=AGENCY, records=cands)
        upsert_requisitions(session=session, owner=HOSPITAL, records=reqs)


def options(run_id: str, **changes: object) -> BatchOptions:
    base = BatchOptions(run_id=run_id, top_k=TOP_K, per_candidate=3, chunk_pairs=CHUNK_PAIRS,
                        today=TODAY)  # fmt: skip
    return BatchOptions(**{**base.__dict__, **changes})


def run(engine: Engine, batch: BatchOptions, **kwargs: Any) -> BatchRunStatus:
    """`run_batch` with a test pseudonym key; `models_dir` and the rest can be given."""
    given = {"pseudonym_key": PSEUDONYM_KEY, "models_dir": NO_MODELS, **kwargs}
    return run_batch(engine, batch, **given)


def results(engine: Engine, run_id: str) -> list[tuple[int, int, int, float, str | None]]:
    with read_session(engine) as session:
        rows = session.execute(
            select(
                col(BatchResultRow.requisition_id),
                col(BatchResultRow.candidate_id),
                col(BatchResultRow.rank),
                col(BatchResultRow.score),
                col(BatchResultRow.eligibility),
            )
            .where(col(BatchResultRow.run_id) == run_id)
            .order_by(col(BatchResultRow.requisition_id), col(BatchResultRow.rank))
        ).all()
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def kill_at(stage: str, chunk_no: int) -> CheckpointHook:
    def hook(at_stage: str, at_chunk: int) -> None:
        if (at_stage, at_chunk) == (stage, chunk_no):
            raise KilledError(f"killed at {stage} {chunk_no}")

    return hook


def test_batch_equals_the_pipeline_run_per_requisition(engine: Engine) -> None:
    seed(engine)
    status = run(engine, options("full"))
    assert status.status == "done"
    assert status.chunks_done == status.chunks_total >= 6
    assert status.pairs_done == status.pairs_blocked < status.pairs_total
    with read_session(engine) as session:
        pool = build_pool(pool_candidates(session=session))
        requisitions = open_requisition_records(session=session)
    expected = [
        (rid, m.candidate_id, m.rank, m.score, m.eligibility)
        for rid in sorted(requisitions)
        for m in rank(requisitions[rid], pool, top_k_count=TOP_K, today=TODAY)
    ]
    assert results(engine, "full") == expected
    assert status.results == len(expected) > 0


KILL_POINTS = [("written", 0), ("committed", 0), ("written", 2), ("committed", 3),
               ("written", 5), ("committed", 6)]  # fmt: skip


def test_a_run_killed_at_any_checkpoint_resumes_to_identical_output(engine: Engine) -> None:
    seed(engine)
    baseline = run(engine, options("baseline"))
    assert baseline.chunks_total > max(chunk for _, chunk in KILL_POINTS)
    for stage, chunk_no in KILL_POINTS:
        run_id = f"killed-{stage}-{chunk_no}"
        with pytest.raises(KilledError):
            run(engine, options(run_id), hook=kill_at(stage, chunk_no))
        with read_session(engine) as session:
            interrupted = run_status(session, run_id)
        assert interrupted.status == "failed"
        # A chunk killed before its commit left nothing; one killed after it is kept.
        assert interrupted.chunks_done == chunk_no + (stage == "committed")
        resumed = run(engine, options(run_id))
        assert resumed.status == "done"
        assert resumed.content_hash == baseline.content_hash
        assert results(engine, run_id) == results(engine, "baseline")
        assert resumed.pairs_done == resumed.pairs_blocked  # no chunk counted twice
    with read_session(engine) as session:
        duplicates = session.execute(
            select(col(BatchResultRow.run_id), col(BatchResultRow.requisition_id),
                   col(BatchResultRow.candidate_id))
            .group_by(col(BatchResultRow.run_id), col(BatchResultRow.requisition_id),
                      col(BatchResultRow.candidate_id))
            .having(func.count() > 1)
        ).all()  # fmt: skip
        chunk_states = Counter(session.scalars(select(col(BatchChunkRow.status))).all())
    assert duplicates == []
    assert set(chunk_states) == {CHUNK_DONE}


def test_a_run_killed_twice_still_resumes_identically(engine: Engine) -> None:
    seed(engine)
    baseline = run(engine, options("baseline"))
    for stage, chunk_no in (("committed", 1), ("written", 4)):
        with pytest.raises(KilledError):
            run(engine, options("twice"), hook=kill_at(stage, chunk_no))
    assert run(engine, options("twice")).content_hash == baseline.content_hash


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    """One LocalCluster (2 processes, as `--workers 2` opens) shared by both databases' runs:
    starting it costs more than the runs themselves."""
    with dask_client(workers=2, scheduler=None) as client:
        yield client


@pytest.mark.slow
def test_dask_local_cluster_equals_the_single_process_run(
    engine: Engine, dask_cluster: Any
) -> None:
    seed(engine, n_candidates=300)
    single = run(engine, options("single"))
    distributed = run(engine, options("dask"), client=dask_cluster)
    assert len(dask_cluster.scheduler_info()["workers"]) == 2
    assert distributed.content_hash == single.content_hash
    assert results(engine, "dask") == results(engine, "single")


def _most_shortlisted(engine: Engine, run_id: str, after_chunk: int) -> int:
    with read_session(engine) as session:
        counts = Counter(
            session.scalars(
                select(col(BatchResultRow.candidate_id)).where(
                    col(BatchResultRow.run_id) == run_id, col(BatchResultRow.chunk_no) > after_chunk
                )
            ).all()
        )
    return int(counts.most_common(1)[0][0])


def test_an_erased_candidate_never_appears_in_results_after_erasure(engine: Engine) -> None:
    seed(engine)
    run(engine, options("before"))
    victim = _most_shortlisted(engine, "before", after_chunk=0)

    def erase_after_first_chunk(stage: str, chunk_no: int) -> None:
        if (stage, chunk_no) == ("committed", 0):
            erase_candidate(
                engine=engine, agency=AGENCY, candidate_id=victim, pseudonym_key="test-key"
            )

    during = run(engine, options("during"), hook=erase_after_first_chunk)
    after = run(engine, options("after"))
    for run_id in ("before", "during", "after"):
        assert victim not in {r[1] for r in results(engine, run_id)}
    assert during.results > 0
    assert after.content_hash is not None


def test_an_erased_highest_id_reused_by_sqlite_never_carries_the_erased_scores(
    engine: Engine,
) -> None:
    seed(engine)
    run(engine, options("before"))
    popular = _most_shortlisted(engine, "before", after_chunk=0)
    with write_session(engine) as session:
        record = get_owned_candidate(session=session, agency=AGENCY,
                                     candidate_id=popular).record  # fmt: skip
        # The same person at a second agency: the highest id, shortlisted next to the first.
        (twin,) = upsert_candidates(session=session, agency="agency-b",
                                    records=[record]).ids  # fmt: skip
    newcomer: list[int] = []

    def erase_twin_then_insert(stage: str, chunk_no: int) -> None:
        if (stage, chunk_no) == ("committed", 0):
            erase_candidate(
                engine=engine, agency="agency-b", candidate_id=twin, pseudonym_key="test-key"
            )
            with write_session(engine) as session:
                other = record.model_copy(update={"external_id": "NEWCOMER"})
                newcomer.extend(upsert_candidates(session=session, agency="agency-c",
                                                  records=[other]).ids)  # fmt: skip

    run(engine, options("reuse"), hook=erase_twin_then_insert)
    shortlisted = {r[1] for r in results(engine, "reuse")}
    assert twin not in shortlisted or newcomer == [twin]  # twin's id is now the newcomer's
    assert newcomer[0] not in shortlisted  # joined after the run started: not in it at all
    assert popular in shortlisted


def test_closed_requisitions_are_excluded(engine: Engine) -> None:
    seed(engine)
    run(engine, options("all-open"))
    shortlisted_when_open = {r[0] for r in results(engine, "all-open")}
    with read_session(engine) as session:
        ids = sorted(open_requisition_records(session=session))
    closed_before, closed_during = ids[0], max(shortlisted_when_open)
    close_requisition(engine=engine, owner=HOSPITAL, requisition_id=closed_before)

    def close_mid_run(stage: str, chunk_no: int) -> None:
        if (stage, chunk_no) == ("committed", 0):
            close_requisition(engine=engine, owner=HOSPITAL, requisition_id=closed_during)

    status = run(engine, options("closing"), hook=close_mid_run)
    shortlisted = {r[0] for r in results(engine, "closing")}
    assert closed_before not in shortlisted
    assert closed_during not in shortlisted
    assert status.requisitions == len(ids) - 1
    assert shortlisted == shortlisted_when_open - {closed_before, closed_during}


def test_resuming_with_other_parameters_is_refused_listing_each(engine: Engine) -> None:
    seed(engine, n_candidates=40, n_requisitions=6)
    run(engine, options("fixed"))
    with pytest.raises(InvalidInputError) as raised:
        run(engine, options("fixed", top_k=7, include_ineligible=True))
    assert "top_k" in raised.value.detail
    assert "include_ineligible" in raised.value.detail


def test_invalid_options_are_reported_together(engine: Engine) -> None:
    with pytest.raises(InvalidInputError) as raised:
        run(engine, BatchOptions(top_k=0, per_candidate=0, workers=2, scheduler="tcp://x"))
    for problem in ("top_k", "per_candidate", "either workers or scheduler"):
        assert problem in raised.value.detail


def test_latest_shortlist_parquet_and_per_candidate_ranks(engine: Engine, tmp_path: Path) -> None:
    seed(engine, n_candidates=60, n_requisitions=8)
    run(engine, options("night-1", top_k=3))
    status = run(engine, options("night-2", parquet_dir=tmp_path))
    rows = results(engine, "night-2")
    requisition_id = rows[0][0]
    with read_session(engine) as session:
        latest = latest_results_for_requisition(session, requisition_id, limit=2)
        ranks = session.execute(
            select(col(BatchResultRow.candidate_id), col(BatchResultRow.requisition_id),
                   col(BatchResultRow.score), col(BatchResultRow.candidate_rank))
            .where(col(BatchResultRow.run_id) == "night-2")
        ).all()  # fmt: skip
    assert [(e.run_id, e.candidate_id, e.rank) for e in latest] == [
        ("night-2", cid, place) for rid, cid, place, _, _ in rows if rid == requisition_id
    ][:2]
    by_candidate: dict[int, list[tuple[float, int, int | None]]] = {}
    for cid, rid, score, candidate_rank in ranks:
        by_candidate.setdefault(cid, []).append((-score, rid, candidate_rank))
    for entries in by_candidate.values():
        assert [r for _, _, r in sorted(entries)] == list(range(1, len(entries) + 1))
    again = run(engine, options("night-1", top_k=3, parquet_dir=tmp_path))
    assert again.status == "done"  # a finished run is not redone, only exported
    assert pq.read_metadata(tmp_path / "night-1.parquet").num_rows == again.results
    table = pq.read_table(tmp_path / "night-2.parquet")
    assert table.num_rows == status.results == len(rows)
    assert table.column("candidate_id").to_pylist() == [r[1] for r in rows]


SHORTLISTED = st.lists(
    st.tuples(st.integers(1, 3), st.integers(1, 40), st.sampled_from([0.1, 0.5, 0.5, 0.9])),
    max_size=60,
    unique_by=lambda t: (t[0], t[1]),
)


@settings(max_examples=60, deadline=None)
@given(items=SHORTLISTED, parts=st.integers(1, 4), k=st.integers(1, 6))
def test_merging_partition_top_k_equals_top_k_of_the_whole(
    items: list[tuple[int, int, float]], parts: int, k: int
) -> None:
    rows = [Shortlisted(r, c, s, None) for r, c, s in items]

    def local_top_k(subset: list[Shortlisted]) -> list[Shortlisted]:
        return merge_top_k([subset], k)

    split = [local_top_k([x for x in rows if x.candidate_id % parts == p]) for p in range(parts)]
    assert merge_top_k(split, k) == merge_top_k([rows], k)


def test_chunks_cover_every_requisition_once_within_the_budget() -> None:
    ids = list(range(1, 30))
    pairs = [(i * 37) % 11 for i in ids]
    chunks = plan_chunks(ids, pairs, chunk_pairs=15)
    assert [rid for c in chunks for rid in c.requisition_ids] == ids
    assert sum(c.pairs for c in chunks) == sum(pairs)
    assert all(c.pairs - pairs[ids.index(c.requisition_ids[-1])] < 15 for c in chunks)


SHORTLIST = 200  # deep enough to reach the long runs of tied scores


def test_shortlist_order_agrees_with_the_scores_it_shows() -> None:
    """Ranks follow (score descending, candidate id): the score a match shows is the score it
    was ranked by, to the last bit (they once came from differently ordered float sums)."""
    cands, reqs = _records(3000, 40)
    pool = CandidatePool.build(list(range(1, len(cands) + 1)), [AGENCY] * len(cands), cands)
    for requisition in reqs:
        matches = rank(requisition, pool, top_k_count=SHORTLIST, today=TODAY,
                       include_ineligible=True, explain=False)  # fmt: skip
        keys = [(-m.score, m.candidate_id) for m in matches]
        assert keys == sorted(keys)


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_scoring_partitions_then_merging_equals_scoring_the_whole_pool(parts: int) -> None:
    """What the Dask run relies on, at a size with many tied scores: a candidate's score must
    not depend on which other candidates share its partition, or the merged top-k differs."""
    cands, reqs = _records(3000, 40)
    pool = CandidatePool.build(list(range(1, len(cands) + 1)), [AGENCY] * len(cands), cands)
    requisitions = [RequisitionToRank(rid, record) for rid, record in enumerate(reqs, start=1)]

    def scored(part: CandidatePool) -> list[Shortlisted]:
        return score_partition(requisitions, part, top_k=SHORTLIST, today=TODAY, model=None,
                               include_ineligible=True)  # fmt: skip

    split = [scored(part) for part in partition(pool, parts)]
    assert merge_top_k(split, SHORTLIST) == merge_top_k([scored(pool)], SHORTLIST)
