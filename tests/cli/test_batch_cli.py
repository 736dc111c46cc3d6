"""The batch from outside: the CLI on a SQLite file, and a real SIGKILL mid-transaction."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from matcher.cli import app
from matcher.jobs.overnight import run_status
from matcher.settings import get_settings
from matcher.store.batch_tables import BatchRunRow
from matcher.store.db import make_engine, read_session, upgrade, write_session
from matcher.store.oversight import set_stop
from tests.api.test_models import models_dir  # noqa: F401  (a fixture: a trained model "m1")
from tests.jobs.test_overnight import options, results, run, seed

REPO_ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

# Runs a batch in a child process that SIGKILLs itself at a checkpoint: no handler, no
# rollback, no "failed" status; only what the database made durable survives.
KILLER = """
import os, signal, sys
from matcher.store.db import make_engine
from tests.jobs.test_overnight import options, run
url, run_id, stage, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def hook(at_stage, at_chunk):
    if (at_stage, at_chunk) == (stage, chunk):
        os.kill(os.getpid(), signal.SIGKILL)
run(make_engine(url), options(run_id), hook=hook)
"""


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'batch.db'}"
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, n_candidates=120, n_requisitions=16)
    engine.dispose()
    yield url
    get_settings.cache_clear()


@pytest.mark.slow
def test_a_process_killed_inside_a_chunk_transaction_resumes_identically(db_url: str) -> None:
    engine = make_engine(db_url)
    whole = run(engine, options("whole"))
    assert whole.chunks_total >= 3
    killed = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", KILLER, db_url, "killed", "written", "2"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    with read_session(engine) as session:
        assert run_status(session, "killed").chunks_done == 2  # chunk 2 rolled back
    resumed = run(engine, options("killed"))
    assert resumed.content_hash == whole.content_hash
    assert results(engine, "killed") == results(engine, "whole")
    engine.dispose()


def test_cli_runs_reports_and_exports(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    ran = runner.invoke(
        app,
        ["batch", "run", "--run-id", "cli", "--top-k", "3", "--today", "2026-02-01",
         "--parquet", str(out)],
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.stdout)["run_id"] == "cli"  # logs and progress stay on stderr
    assert "batch.finished" in ran.stderr
    status = runner.invoke(app, ["batch", "status", "cli"])
    assert status.exit_code == 0
    report = json.loads(status.stdout)
    assert report["status"] == "done"
    assert report["pairs_done"] == report["pairs_blocked"]
    assert report["params"]["top_k"] == 3
    assert (out / "cli.parquet").exists()


def test_cli_refuses_bad_input_with_a_clear_error(db_url: str) -> None:
    bad_date = runner.invoke(app, ["batch", "run", "--today", "27/11/2026"])
    assert bad_date.exit_code == 2
    assert "YYYY-MM-DD" in bad_date.stderr
    both = runner.invoke(app, ["batch", "run", "--workers", "2", "--scheduler", "tcp://x:8786"])
    assert both.exit_code == 1
    assert "either workers or scheduler" in both.stderr
    unknown = runner.invoke(app, ["batch", "status", "no-such-run"])
    assert unknown.exit_code == 1
    assert "not found" in unknown.stderr


def _runs(url: str) -> int:
    engine = make_engine(url)
    with read_session(engine) as session:
        count = int(session.scalar(select(func.count()).select_from(BatchRunRow)) or 0)
    engine.dispose()
    return count


def test_cli_model_is_an_override_recorded_with_the_run(
    db_url: str,
    models_dir: Path,  # noqa: F811  (the fixture imported above)
) -> None:
    model = models_dir / "m1"
    ran = runner.invoke(app, ["batch", "run", "--run-id", "o", "--model", str(model)])
    assert ran.exit_code == 0, ran.output
    status = runner.invoke(app, ["batch", "status", "o"])
    report = json.loads(status.stdout)
    assert report["model_version"] == "learned:m1"
    assert report["params"]["model_override"] == str(model.resolve())
    again = runner.invoke(app, ["batch", "run", "--run-id", "o"])  # without its override
    assert again.exit_code == 1
    assert "model_override" in again.stderr


def test_cli_refuses_the_placeholder_pseudonym_key_outside_development(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATCHER_ENVIRONMENT", "production")
    monkeypatch.delenv("MATCHER_PSEUDONYM_KEY", raising=False)
    get_settings.cache_clear()
    refused = runner.invoke(app, ["batch", "run", "--run-id", "prod"])
    assert refused.exit_code == 1
    assert "MATCHER_PSEUDONYM_KEY" in refused.stderr
    assert _runs(db_url) == 0
    monkeypatch.setenv("MATCHER_PSEUDONYM_KEY", "a-secret-from-the-vault")
    get_settings.cache_clear()
    ran = runner.invoke(app, ["batch", "run", "--run-id", "prod"])
    assert ran.exit_code == 0, ran.output


def test_cli_does_not_start_a_run_while_ranking_is_stopped(db_url: str) -> None:
    engine = make_engine(db_url)
    with write_session(engine) as session:
        set_stop(session, stopped=True, reason="bias review", actor="admin")
    engine.dispose()
    refused = runner.invoke(app, ["batch", "run", "--run-id", "stopped"])
    assert refused.exit_code == 1
    assert "ranking is stopped" in refused.stderr
    assert _runs(db_url) == 0
