"""Rank one requisition against 100,000 candidates: features, learned model and top-k.

The pool is built once (as the API holds it in memory); each request is timed on its own.
Baseline, measured in the same run: the per-pair Python loop (features and a one-row model
call per candidate) on a sample, extrapolated to the whole pool. One core: BLAS/OpenMP pinned
to one thread and rapidfuzz runs with workers=1.

    .venv/bin/python -m bench.rank [--candidates 100000] [--requests 15] [--loop-sample 300]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402  (thread limits must be set before numpy loads)
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date  # noqa: E402

import numpy as np  # noqa: E402

from matcher.domain.records import CandidateRecord, RequisitionRecord  # noqa: E402
from matcher.engine.artefact import LoadedModel  # noqa: E402
from matcher.engine.blocking import blocked_positions  # noqa: E402
from matcher.engine.featurize import featurize  # noqa: E402
from matcher.engine.pipeline import rank  # noqa: E402
from matcher.engine.pool import CandidatePool  # noqa: E402
from matcher.jobs.offline.dataset import labelled_data  # noqa: E402
from matcher.jobs.offline.training import default_ranker  # noqa: E402
from matcher.rules.titles.occupations import with_derived_occupation  # noqa: E402
from matcher.synthetic.generator import generate  # noqa: E402
from matcher.synthetic.outcomes import generate_outcomes  # noqa: E402
from scoring.topk import top_k  # noqa: E402

TODAY = date(2026, 1, 5)
TOP_K = 50


def _model(candidates: list[CandidateRecord], requisitions: list[RequisitionRecord]) -> LoadedModel:
    """A ranker trained on generated outcomes for a slice of the data (quality is not timed)."""
    outcomes = generate_outcomes(candidates[:3000], requisitions[:200], seed=3)
    data = labelled_data(candidates[:3000], requisitions[:200], outcomes, today=TODAY)
    estimator = default_ranker().fit(data.X, data.y, data.groups)
    return LoadedModel("bench", estimator, data.feature_names, {})


def _core(
    req: RequisitionRecord, pool: CandidatePool, model: LoadedModel, *, block: bool
) -> np.ndarray:
    """One request without the eligibility gate: (blocking), features, model, top-k, and exact
    explanations for the k shown."""
    positions = blocked_positions(req, pool) if block else np.arange(len(pool))
    features = featurize(req, pool, positions, today=TODAY)
    scores = model.scores(features.values)
    best = top_k(scores, pool.ids[positions], TOP_K)
    model.contributions(features.values[best])
    return best


def _timed(
    reqs: list[RequisitionRecord], run: Callable[[RequisitionRecord], object]
) -> list[float]:
    times = []
    for req in reqs:
        start = time.perf_counter()
        run(req)
        times.append(time.perf_counter() - start)
    return times


def _loop(req: RequisitionRecord, pool: CandidatePool, model: LoadedModel, n: int) -> float:
    """Per-pair baseline: features and a one-row model call for each candidate in turn."""
    start = time.perf_counter()
    scores = []
    for pos in range(n):
        row = featurize(req, pool, np.array([pos]), today=TODAY).values
        scores.append(float(model.scores(row)[0]))
    order = sorted(range(n), key=lambda i: -scores[i])[:TOP_K]
    assert len(order) == min(n, TOP_K)
    return (time.perf_counter() - start) / n


def _summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--loop-sample", type=int, default=300)
    args = parser.parse_args()

    t0 = time.perf_counter()
    raw_c, raw_r = generate(args.candidates, max(args.requests, 200), seed=23)
    candidates = with_derived_occupation([CandidateRecord.model_validate(c) for c in raw_c])
    requisitions = with_derived_occupation([RequisitionRecord.model_validate(r) for r in raw_r])
    pool = CandidatePool.build(list(range(len(candidates))), ["bench"] * len(candidates),
                               candidates)  # fmt: skip
    build = time.perf_counter() - t0
    model = _model(candidates, requisitions)
    print(f"pool of {len(pool):,} candidates built once in {build:.1f} s "
          f"({len(np.unique(pool.titles)):,} distinct titles)")  # fmt: skip

    reqs = requisitions[: args.requests]
    _core(reqs[0], pool, model, block=False)  # warm-up
    every = _timed(reqs, lambda r: _core(r, pool, model, block=False))
    blocked = _timed(reqs, lambda r: _core(r, pool, model, block=True))
    kept = np.median([blocked_positions(r, pool).size for r in reqs])
    gated = _timed(reqs[:6], lambda r: rank(r, pool, top_k_count=TOP_K, model=model,
                                           today=TODAY, include_ineligible=True))  # fmt: skip
    loop = _loop(reqs[0], pool, model, args.loop_sample)

    med, p95 = _summary(every)
    loop_full = loop * len(pool)
    print(
        f"one requisition against all {len(pool):,} candidates (features + learned model + "
        f"top-{TOP_K} + explanations), {len(reqs)} requests:"
    )
    print(f"  median {med * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms  (target < 250 ms)")
    bmed, bp95 = _summary(blocked)
    print(
        f"same with occupation blocking (median {int(kept):,} pairs kept): "
        f"median {bmed * 1000:.1f} ms, p95 {bp95 * 1000:.1f} ms"
    )
    print(
        f"per-pair Python loop baseline: {loop * 1e6:.0f} us a pair on {args.loop_sample} "
        f"pairs, so {loop_full:.1f} s for {len(pool):,} pairs"
    )
    print(f"ratio loop / vectorised over {len(pool):,} pairs: {loop_full / med:.0f}x")
    print(
        f"whole rank() incl. the eligibility gate and blocking: first call {gated[0] * 1000:.0f} "
        f"ms (builds the pool's eligibility index), median of the next {len(gated) - 1}: "
        f"{statistics.median(gated[1:]) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
