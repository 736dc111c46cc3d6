"""Load benchmark: shortlist requests against 100,000 candidates over real HTTP.

For each database (SQLite file, PostgreSQL schema at 127.0.0.1:5432/test) it loads the pool,
serves the real app with uvicorn in a subprocess, warms the pool cache, then drives
`GET /v1/requisitions/{id}/shortlist` open-loop at a fixed rate across many requisitions:

1. read only;
2. with an agency posting a 1-candidate batch every second. Each posted candidate is a copy
   of a requisition's current top match, so it must appear in that requisition's very next
   shortlist: a missing one is counted as stale.

Latency is measured from each request's scheduled start (open loop: a slow server cannot
hide its queue). The baseline, measured in the same run, is building the pool from the
database without the cache; figures are printed as ratios of it.

    python bench/api_load.py            # 100,000 candidates, 10 req/s for 30 s per phase
    python bench/api_load.py --quick    # 10,000 candidates, 10 s per phase
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from matcher.service.ingest import RawRow, ingest_candidates, ingest_requisitions
from matcher.service.keys import Role, create_key
from matcher.service.pool_cache import PoolCache
from matcher.settings import DEV_PSEUDONYM_KEY
from matcher.store.db import make_engine, read_session, upgrade, write_session
from matcher.synthetic.generator import generate

POSTGRES_URL = os.environ.get(
    "MATCHER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REPO_ROOT = Path(__file__).resolve().parent.parent
AGENCY, HOSPITAL = "bench-agency", "bench-hospital"
TARGET_P95_MS = 300.0


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, from scheduled start
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)  # status code or exception
    elapsed: float = 0.0
    writes: list[float] = field(default_factory=list)  # batch POST latency
    after_write: list[float] = field(default_factory=list)  # the shortlist right after
    stale: int = 0
    write_errors: int = 0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


# Data ------------------------------------------------------------------------------------


def _candidates(n: int, seed: int) -> list[dict[str, Any]]:
    """n candidates: a generated base of up to 5,000, copied with new ids and varied experience."""
    base, _ = generate(min(n, 5000), 0, seed=seed)
    out: list[dict[str, Any]] = []
    for copy in range(-(-n // len(base))):
        for record in base:
            if len(out) == n:
                break
            clone = json.loads(json.dumps(record))
            clone["external_id"] = f"{record['external_id']}-{copy}"
            clone["years_experience"] = round(record["years_experience"] + 0.1 * copy, 1)
            out.append(clone)
    return out


def load(
    engine: Engine, n_candidates: int, n_requisitions: int
) -> tuple[list[int], dict[str, Any]]:
    """Store the pool and the requisitions; returns requisition ids and records by external id."""
    records = _candidates(n_candidates, seed=7)
    for start in range(0, len(records), 10_000):
        chunk = records[start : start + 10_000]
        with write_session(engine) as session:
            report = ingest_candidates(
                session=session,
                agency=AGENCY,
                rows=[RawRow(i, i + 1, r) for i, r in enumerate(chunk)],
                pseudonym_key=DEV_PSEUDONYM_KEY,
            )
            assert not report.rejected, report.rejected[:3]
    _, requisitions = generate(0, n_requisitions, seed=8)
    with write_session(engine) as session:
        report = ingest_requisitions(
            session=session,
            owner=HOSPITAL,
            rows=[RawRow(i, i + 1, r) for i, r in enumerate(requisitions)],
        )
    return [rid for _, _, rid in report.stored], {r["external_id"]: r for r in records}


def keys(engine: Engine) -> dict[Role, str]:
    with write_session(engine) as session:
        return {
            role: create_key(session=session, tenant=tenant, role=role).token
            for role, tenant in ((Role.AGENCY, AGENCY), (Role.HOSPITAL, HOSPITAL))
        }


def cold_build_seconds(engine: Engine, occupations: list[str | None], repeats: int = 1) -> float:
    """Baseline: what a shortlist would pay without the cache, building its block's pool."""
    times = []
    for occupation in occupations:
        for _ in range(repeats):
            with read_session(engine) as session:
                started = time.perf_counter()
                PoolCache().get(session=session, occupation=occupation)
                times.append(time.perf_counter() - started)
    return statistics.median(times)


def requisition_occupations(engine: Engine) -> list[str | None]:
    with engine.connect() as conn:
        rows = conn.execute(text("select distinct occupation from requisition")).all()
    return [r[0] for r in rows]


# Databases and the server ----------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str) -> Iterator[tuple[str, Engine]]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            engine = make_engine(url)
            upgrade(engine)
            yield url, engine
            engine.dispose()
        return
    schema = f"bench_{secrets.token_hex(5)}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield url, engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(url: str, log: Path) -> Iterator[str]:
    """The real app under uvicorn in its own process; its log (tracebacks) goes to `log`."""
    port = _free_port()
    # Warnings only, as `--log-level warning` asks of uvicorn: the app's own access lines
    # (MATCHER_LOG_LEVEL, INFO by default) would otherwise fill the log file.
    env = {**os.environ, "MATCHER_DATABASE_URL": url, "MATCHER_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    # Longer than a driver thread ever idles (64 threads at 10 req/s: ~6 s between requests):
    # with uvicorn's default 5 s the server closed pooled connections just as a client reused
    # them, and the driver counted those ReadErrors as failed requests.
    command += ["--timeout-keep-alive", "30"]
    sink = log.open("w")
    process = subprocess.Popen(  # noqa: S603  (our own argv)
        command, cwd=REPO_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        sink.close()


# The driver ------------------------------------------------------------------------------


class Client:
    """One httpx client per thread (connection reuse, no sharing across threads)."""

    def __init__(self, base: str, tokens: dict[Role, str]) -> None:
        self.base = base
        self.tokens = tokens
        self._local = threading.local()

    def http(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = httpx.Client(base_url=self.base, timeout=20)
            self._local.client = client
        return client

    def shortlist(self, rid: int, limit: int = 20) -> httpx.Response:
        return self.http().get(
            f"/v1/requisitions/{rid}/shortlist",
            params={"limit": limit},
            headers={"Authorization": f"Bearer {self.tokens[Role.HOSPITAL]}"},
        )

    def post_batch(self, record: dict[str, Any], key: str) -> httpx.Response:
        return self.http().post(
            "/v1/candidates:batch",
            content=json.dumps([record]),
            headers={
                "Authorization": f"Bearer {self.tokens[Role.AGENCY]}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            },
        )


def _write_and_check(
    client: Client, phase: Phase, rid: int, records: dict[str, Any], n: int
) -> None:
    top = client.shortlist(rid, limit=1)
    if top.status_code != 200 or not top.json()["matches"]:
        return
    source = records.get(top.json()["matches"][0]["external_id"])
    if source is None:  # the top match is an earlier write; copy it from the pool instead
        return
    clone = json.loads(json.dumps(source))
    clone["external_id"] = f"bench-write-{n}-{secrets.token_hex(3)}"
    started = time.perf_counter()
    response = client.post_batch(clone, key=clone["external_id"])
    phase.writes.append(time.perf_counter() - started)
    if response.status_code != 200:
        phase.write_errors += 1
        return
    new_id = response.json()["rows"][0]["id"]
    started = time.perf_counter()
    after = client.shortlist(rid, limit=50)
    phase.after_write.append(time.perf_counter() - started)
    if after.status_code != 200:
        phase.write_errors += 1
    elif new_id not in {m["candidate_id"] for m in after.json()["matches"]}:
        phase.stale += 1


def _writer(
    client: Client,
    phase: Phase,
    requisitions: list[int],
    records: dict[str, Any],
    stop: threading.Event,
) -> None:
    """Every second (or as soon as the last one finished): copy a requisition's top match as
    a new candidate, then check that the very next shortlist of that requisition shows it."""
    n = 0
    next_at = time.monotonic()
    while not stop.is_set():
        next_at += 1.0
        try:
            _write_and_check(client, phase, requisitions[n % len(requisitions)], records, n)
        except httpx.HTTPError:
            phase.write_errors += 1
        n += 1
        stop.wait(max(0.0, next_at - time.monotonic()))


def drive(
    client: Client,
    requisitions: list[int],
    *,
    name: str,
    rate: float,
    seconds: float,
    records: dict[str, Any] | None = None,
) -> Phase:
    """Open loop: request i is due at start + i / rate whatever happened before it."""
    phase = Phase(name)
    stop = threading.Event()
    writer = None
    if records is not None:
        writer = threading.Thread(
            target=_writer, args=(client, phase, requisitions, records, stop), daemon=True
        )
        writer.start()
    lock = threading.Lock()

    def one(due: float, rid: int) -> None:
        try:
            status = str(client.shortlist(rid).status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        with lock:
            phase.latencies.append(time.perf_counter() - due)
            if status != "200":
                phase.errors += 1
                phase.error_kinds[status] = phase.error_kinds.get(status, 0) + 1

    count = int(rate * seconds)
    started = time.perf_counter()
    futures: list[Future[None]] = []
    with ThreadPoolExecutor(max_workers=64) as pool:
        for i in range(count):
            due = started + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            futures.append(pool.submit(one, due, requisitions[(i * 7) % len(requisitions)]))
        for future in futures:
            future.result()
    phase.elapsed = time.perf_counter() - started
    stop.set()
    if writer is not None:
        writer.join(timeout=60)
    return phase


# Report ----------------------------------------------------------------------------------


def report(kind: str, n: int, baseline: float, phases: list[Phase], rate: float) -> None:
    print(f"\n== {kind}: {n:,} candidates; target {rate:g} req/s; baseline = cold pool build")
    print(
        f"   baseline (build the block's pool from the database, no cache): {baseline * 1e3:.0f} ms"
    )
    for phase in phases:
        achieved = len(phase.latencies) / phase.elapsed if phase.elapsed else 0.0
        p50, p95, p99 = (phase.quantile(q) for q in (0.5, 0.95, 0.99))
        verdict = "meets" if p95 * 1e3 < TARGET_P95_MS else "MISSES"
        print(
            f"   {phase.name:<12} {len(phase.latencies)} requests, {achieved:.2f} req/s, "
            f"errors {phase.errors} {phase.error_kinds or ''}; "
            f"p50 {p50 * 1e3:.1f} ms ({p50 / baseline:.3f}x baseline), "
            f"p95 {p95 * 1e3:.1f} ms ({p95 / baseline:.3f}x), p99 {p99 * 1e3:.1f} ms "
            f"({p99 / baseline:.3f}x); p95 {verdict} the {TARGET_P95_MS:.0f} ms target"
        )
        if phase.writes or phase.write_errors:
            w50 = statistics.median(phase.writes) if phase.writes else float("nan")
            a50 = statistics.median(phase.after_write) if phase.after_write else float("nan")
            amax = max(phase.after_write, default=float("nan"))
            print(
                f"   {'':<12} {len(phase.writes)} writes (median {w50 * 1e3:.1f} ms); "
                f"{len(phase.after_write)} shortlists right after a write: median "
                f"{a50 * 1e3:.1f} ms ({a50 / baseline:.3f}x baseline), max {amax * 1e3:.1f} ms; "
                f"stale shortlists: {phase.stale}; write errors: {phase.write_errors}"
            )


def run(kind: str, *, n: int, n_requisitions: int, rate: float, seconds: float) -> list[Phase]:
    with database(kind) as (url, engine):
        started = time.perf_counter()
        requisitions, records = load(engine, n, n_requisitions)
        print(f"{kind}: loaded {n:,} candidates in {time.perf_counter() - started:.0f} s")
        tokens = keys(engine)
        baseline = cold_build_seconds(engine, requisition_occupations(engine))
        log = Path(tempfile.gettempdir()) / f"api_load_{kind}_{os.getpid()}.log"
        with server(url, log) as base:
            client = Client(base, tokens)
            for rid in requisitions:  # warm up: one pool per occupation block
                assert client.shortlist(rid).status_code == 200
            phases = [
                drive(client, requisitions, name="read-only", rate=rate, seconds=seconds),
                drive(
                    client,
                    requisitions,
                    name="with-writes",
                    rate=rate,
                    seconds=seconds,
                    records=records,
                ),
            ]
        report(kind, n, baseline, phases, rate)
        logged = log.read_text().count("Traceback")
        print(f"   server tracebacks logged: {logged} (log: {log})")
        return phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 candidates, 10 s phases")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument("--rate", type=float, default=10.0, help="shortlist requests per second")
    args = parser.parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):  # figures appear as they are measured
        sys.stdout.reconfigure(line_buffering=True)
    n, seconds = (10_000, 10.0) if args.quick else (100_000, 30.0)
    for kind in args.databases.split(","):
        run(kind, n=n, n_requisitions=50, rate=args.rate, seconds=seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
