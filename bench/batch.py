"""Overnight batch: N candidates x M requisitions from the fixture generator, end to end.

Reports wall time, pairs scored per second, pairs pruned by blocking and peak memory, beside
a per-pair Python loop (the pipeline called on one candidate at a time) measured on a sample
in the same run, as a ratio.

    .venv/bin/python -m bench.batch            # 20,000 x 2,000 (the issue's target size)
    .venv/bin/python -m bench.batch --quick    # 2,000 x 200
    .venv/bin/python -m bench.batch --workers 2   # on a Dask LocalCluster
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.blocking import blocked_positions
from matcher.engine.pipeline import rank
from matcher.engine.pool import CandidatePool
from matcher.jobs.overnight import BatchOptions, run_batch
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.service.pool_cache import build_pool
from matcher.store.candidates import pool_candidates, upsert_candidates
from matcher.store.db import make_engine, read_session, upgrade, write_session
from matcher.store.requisitions import open_requisition_records, upsert_requisitions
from matcher.synthetic.generator import REFERENCE_DATE, generate

TODAY = date(2026, 2, 1)
LOOP_SAMPLE_PAIRS = 400


def _peak_rss_mib() -> float:
    """Peak resident memory of this process and of finished children (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _seed(url: str, n_candidates: int, n_requisitions: int) -> float:
    started = time.perf_counter()
    cands, reqs = generate(n_candidates, n_requisitions, seed=20, today=REFERENCE_DATE)
    engine = make_engine(url)
    upgrade(engine)
    candidates = with_derived_occupation([CandidateRecord.model_validate(c) for c in cands])
    requisitions = with_derived_occupation([RequisitionRecord.model_validate(r) for r in reqs])
    with write_session(engine) as session:
        upsert_candidates(session=session, agency="bench", records=candidates)
        upsert_requisitions(session=session, owner="bench", records=requisitions)
    engine.dispose()
    return time.perf_counter() - started


def _per_pair_loop(pool: CandidatePool, requisitions: dict[int, RequisitionRecord]) -> float:
    """Pairs/s when `rank` (gate, features, score) is called for one candidate at a time.

    Timed on a second pass over the sample, so the loop finds every cache as warm as it can
    be, whatever the batch before it ran in: the most favourable baseline, the same in every
    mode.
    """
    rng = random.Random(3)  # noqa: S311 - seeded sampling, not a secret
    ids = sorted(requisitions)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < LOOP_SAMPLE_PAIRS:
        rid = rng.choice(ids)
        blocked = blocked_positions(requisitions[rid], pool)
        if blocked.size:
            pairs.append((rid, int(rng.choice(blocked))))
    singles = [(requisitions[rid], pool.take(np.array([pos]))) for rid, pos in pairs]
    for requisition, one in singles:  # untimed: warms every cache the loop can use
        rank(requisition, one, top_k_count=1, today=TODAY)
    started = time.perf_counter()
    for requisition, one in singles:
        rank(requisition, one, top_k_count=1, today=TODAY)
    return len(singles) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--requisitions", type=int, default=2_000)
    parser.add_argument("--quick", action="store_true", help="2,000 x 200")
    parser.add_argument("--workers", type=int, default=None, help="Dask LocalCluster size")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    if args.quick:
        args.candidates, args.requisitions = 2_000, 200
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        seed_seconds = _seed(url, args.candidates, args.requisitions)
        engine = make_engine(url)
        started = time.perf_counter()
        status = run_batch(
            engine,
            BatchOptions(run_id="bench", top_k=50, per_candidate=10, today=TODAY,
                         workers=args.workers),
            pseudonym_key="bench-pseudonym-key",
            models_dir=Path(tmp) / "models",  # none active: the weighted score, as before
        )  # fmt: skip
        wall = time.perf_counter() - started
        with read_session(engine) as session:
            pool = build_pool(pool_candidates(session=session))
            requisitions = open_requisition_records(session=session)
        loop_rate = _per_pair_loop(pool, requisitions)
        engine.dispose()
    batch_rate = status.pairs_blocked / wall
    print(
        f"size                 {args.candidates:,} candidates x {args.requisitions:,} requisitions"
    )
    print(f"seeding (not timed)  {seed_seconds:.1f} s")
    print(f"pairs total          {status.pairs_total:,}")
    print(
        f"pairs pruned         {status.pairs_total - status.pairs_blocked:,} "
        f"({(status.pairs_total - status.pairs_blocked) / status.pairs_total:.1%}) by blocking"
    )
    print(f"pairs scored         {status.pairs_blocked:,} in {status.chunks_total} chunks")
    print(f"results              {status.results:,}")
    print(f"wall time            {wall:.1f} s (load, plan, score, store, finalise)")
    print(f"batch                {batch_rate:,.0f} pairs/s")
    print(f"per-pair loop        {loop_rate:,.0f} pairs/s ({LOOP_SAMPLE_PAIRS} sampled pairs)")
    print(f"ratio                {batch_rate / loop_rate:.1f}x the per-pair loop")
    print(f"peak memory          {_peak_rss_mib():,.0f} MiB (RSS, whole process)")  # fmt: skip
    print(f"content hash         {status.content_hash}")


if __name__ == "__main__":
    main()
