"""Cost of the hash-chained decision log against plain inserts and reads, in the same run.

Baselines: the same rows inserted without hashing or the head lock, and read back with a
plain streamed SELECT. Figures are ratios to those baselines (these machines are noisy).

    .venv/bin/python -m bench.bench_decision_log [--records 5000] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, select

from matcher.domain.decisions import Decision
from matcher.store.audit_tables import DecisionLogHeadRow, DecisionLogRow
from matcher.store.db import make_engine, read_session, upgrade, write_session
from matcher.store.decision_log import append_decisions, verify_log
from matcher.store.tables import utcnow

KEY = "bench-key"


@dataclass(frozen=True)
class Match:
    candidate_id: int
    rank: int
    score: float


def _decisions(n: int, shortlist: int) -> list[Decision]:
    return [
        Decision(
            run_id=f"run-{i // 100}",
            kind="batch",
            tenant="hospital-a",
            requisition_id=f"req-{i}",
            model_version="weighted-1",
            model_hash="ab" * 32,
            ranked=[Match(i * 1000 + r, r + 1, 1.0 / (r + 2)) for r in range(shortlist)],
        )
        for i in range(n)
    ]


def _plain_rows(decisions: list[Decision]) -> list[DecisionLogRow]:
    now = utcnow()
    return [
        DecisionLogRow(
            seq=i + 1,
            run_id=d.run_id,
            kind=d.kind,
            recorded_at=now,
            tenant=d.tenant,
            requisition_id=d.requisition_id,
            model_version=d.model_version,
            model_hash=d.model_hash,
            candidates=[
                {"pseudonym": str(r.candidate_id), "rank": r.rank, "score": r.score}
                for r in d.ranked
            ],
            prev_hash="0" * 64,
            hash=f"{i:064d}",
        )
        for i, d in enumerate(decisions)
    ]


def _clear(engine: Engine) -> None:
    with write_session(engine) as session:
        session.execute(delete(DecisionLogRow))
        session.execute(delete(DecisionLogHeadRow))


def _timed(run: Callable[[], object], setup: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--shortlist", type=int, default=20)
    parser.add_argument("--single", type=int, default=300, help="one-transaction-each appends")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        decisions = _decisions(args.records, args.shortlist)

        def plain_insert() -> None:
            with write_session(engine) as session:
                session.add_all(_plain_rows(decisions))

        def chained_insert() -> None:
            with write_session(engine) as session:
                append_decisions(session, decisions, pseudonym_key=KEY)

        def per_request_plain() -> None:
            for row in _plain_rows(decisions[: args.single]):
                with write_session(engine) as session:
                    session.add(row)

        def per_request_chained() -> None:
            for d in decisions[: args.single]:
                with write_session(engine) as session:
                    append_decisions(session, [d], pseudonym_key=KEY)

        def clear() -> None:
            _clear(engine)

        def plain_read() -> None:
            with read_session(engine) as session:
                rows = session.execute(
                    select(*DecisionLogRow.__table__.columns)  # type: ignore[attr-defined]
                    .order_by(DecisionLogRow.seq)  # type: ignore[arg-type]
                    .execution_options(yield_per=1000)
                )
                sum(1 for _ in rows)

        def verify() -> None:
            with read_session(engine) as session:
                assert verify_log(session).ok

        batch_plain = _timed(plain_insert, clear, args.repeats)
        batch_chained = _timed(chained_insert, clear, args.repeats)
        single_plain = _timed(per_request_plain, clear, args.repeats)
        single_chained = _timed(per_request_chained, clear, args.repeats)
        chained_insert()  # leave a chain of args.records records to read and verify
        read = _timed(plain_read, lambda: None, args.repeats)
        check = _timed(verify, lambda: None, args.repeats)
        clear()
        engine.dispose()
    n, m = args.records, args.single
    print(f"database: {engine.dialect.name}; {n} records of {args.shortlist} candidates each")
    print(
        f"batch append:       {n / batch_chained:9.0f} records/s "
        f"= {batch_chained / batch_plain:.2f}x the time of plain inserts"
    )
    print(
        f"one-per-request:    {1000 * single_chained / m:9.2f} ms/append "
        f"= {single_chained / single_plain:.2f}x a plain one-row transaction"
    )
    print(
        f"verify:             {n / check:9.0f} records/s "
        f"= {check / read:.2f}x the time of reading the rows"
    )


if __name__ == "__main__":
    main()
