"""Title normaliser throughput: the batched, deduplicated cdist path vs a per-title loop.

10,000 titles drawn (seeded, Zipf-like so popular titles repeat as in real data) from the
labelled titles and the fixture generator's TITLES, many decorated with grade and shift words.
Baseline, measured in the same run: the same text preparation, then rapidfuzz
`process.extractOne` per title over the same synonym table. One core (workers=1).

    .venv/bin/python bench/titles.py [--titles 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from rapidfuzz import fuzz, process

from matcher.rules.titles import compiled_taxonomy, normalise_titles
from matcher.rules.titles.evaluation import read_labelled
from matcher.synthetic.generator import TITLES

PREFIXES = ("", "", "", "Senior ", "Travel ", "Lead ", "Staff ", "Locum ")
SUFFIXES = (
    "",
    "",
    "",
    " - night shift",
    " Band 6",
    " (m/w/d)",
    " - per diem",
    " II",
    " H/F",
    " CDI",
)


def sample_titles(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 - seeded sampling for a benchmark, not secrets
    pool = sorted(
        {r.title for r in read_labelled()}
        | {t for d in TITLES.values() for ts in d.values() for t in ts}
    )
    rng.shuffle(pool)
    weights = [1.0 / (rank + 1) for rank in range(len(pool))]  # a few titles are very common
    bases = rng.choices(pool, weights=weights, k=n)
    return [rng.choice(PREFIXES) + base + rng.choice(SUFFIXES) for base in bases]


def per_title_loop(titles: list[str]) -> list[tuple[str, float]]:
    """The obvious version: prepare each title and look it up on its own."""
    table = compiled_taxonomy()
    out = []
    for title in titles:
        core = table.rules.core(table.rules.expand(title))
        best = process.extractOne(core, table.choices, scorer=fuzz.token_set_ratio)
        out.append(
            (str(table.choice_occupations[best[2]]), best[1] / 100.0) if best else ("unknown", 0.0)
        )
    return out


def timed(fn: Callable[[], object], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--titles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    titles = sample_titles(args.titles)
    start = time.perf_counter()
    compiled_taxonomy.cache_clear()
    normalise_titles(titles[:1])
    cold = time.perf_counter() - start  # loading and compiling the taxonomy once

    batched = timed(lambda: normalise_titles(titles), args.repeats)
    loop = timed(lambda: per_title_loop(titles), max(1, args.repeats // 2))
    distinct = len(set(titles))
    print(
        f"titles: {len(titles)}  distinct: {distinct}  synonyms: {len(compiled_taxonomy().choices)}"
    )
    print(f"taxonomy load + compile (once):  {cold * 1000:8.1f} ms")
    for name, seconds in (
        ("normalise_titles (batched):", batched),
        ("per-title extractOne loop:", loop),
    ):
        rate = len(titles) / seconds
        print(f"{name:<33}{seconds * 1000:8.1f} ms  {rate:>10,.0f} titles/s")
    print(f"speed-up vs the loop:            {loop / batched:8.1f}x")
    print(f"target < 1 s for {len(titles)} titles: {'met' if batched < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
