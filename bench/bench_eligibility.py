"""Eligibility for one requisition against many candidates: grouped `assess_many` vs the
per-pair `assess` loop (the baseline), measured in the same run.

    .venv/bin/python -m bench.bench_eligibility [--candidates 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import date

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import Eligibility, assess, assess_many
from matcher.rules.credentials import default_credential_data
from matcher.synthetic.generator import generate_candidate, generate_requisition

TODAY = date(2026, 11, 27)


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--requisitions", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)  # noqa: S311 - seeded synthetic data, not a secret
    candidates = [
        CandidateRecord.model_validate(generate_candidate(rng, i, TODAY))
        for i in range(args.candidates)
    ]
    requisitions = [
        RequisitionRecord.model_validate(generate_requisition(rng, i, TODAY))
        for i in range(args.requisitions)
    ]
    default_credential_data()  # load once, outside the timings

    def grouped() -> None:
        for requisition in requisitions:
            assess_many(candidates, requisition, today=TODAY)

    def per_pair() -> None:
        for requisition in requisitions:
            [assess(c, requisition, today=TODAY) for c in candidates]

    pairs = args.candidates * args.requisitions
    base = _median_seconds(per_pair, args.repeats)
    fast = _median_seconds(grouped, args.repeats)
    print(f"pairs: {pairs}")
    print(f"per-pair assess (baseline): {pairs / base:,.0f} pairs/s")
    print(f"assess_many: {pairs / fast:,.0f} pairs/s = {base / fast:.1f}x the baseline")
    counts: Counter[str] = Counter()
    for requisition in requisitions:
        for verdict in assess_many(candidates, requisition, today=TODAY):
            counts[_reason(verdict)] += 1
    for reason, n in counts.most_common():
        print(f"{reason}: {n / pairs:.3f} of pairs")


def _reason(verdict: Eligibility) -> str:
    if verdict.status != "unknown":
        return verdict.status
    if verdict.rule_id is None:
        return "unknown (no rule)"
    if verdict.pathway_status == "unknown":
        return "unknown (the rule itself is unknown)"
    return "unknown (a sourced route; a step duration is not sourced)"


if __name__ == "__main__":
    main()
