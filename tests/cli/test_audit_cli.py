"""`matcher audit impact` on an auditor's CSV prints the same figures as the library."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from matcher.audit.subjects_csv import COLUMNS
from matcher.cli import app
from matcher.settings import get_settings
from matcher.store.db import make_engine, upgrade, write_session
from matcher.store.decision_log import append_decisions
from tests.audit.test_from_records import seed_outcomes
from tests.audit.test_impact import issue_example
from tests.store.test_decision_log import decision

runner = CliRunner()


def _write_issue_csv(path: Path) -> Path:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for i, s in enumerate(issue_example()):
            selected = "true" if s.selected else "false"
            writer.writerow([f"c{i}", selected, "", s.sex or "", s.race_ethnicity or "", ""])
    return path


def test_impact_prints_the_issue_figures_as_json(tmp_path: Path) -> None:
    path = _write_issue_csv(tmp_path / "audit.csv")
    result = runner.invoke(
        app, ["audit", "impact", "--input", str(path), "--dimension", "race_ethnicity"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    (race,) = body["dimensions"]
    ratios = {c["category"]: c["impact_ratio"] for c in race["categories"]}
    assert ratios["Black or African American"] == pytest.approx(0.5833, abs=5e-5)
    assert ratios["Native Hawaiian or Other Pacific Islander"] is None
    small = runner.invoke(
        app,
        [
            "audit",
            "impact",
            "--input",
            str(path),
            "--include-small",
            "--dimension",
            "race_ethnicity",
        ],
    )
    (race,) = json.loads(small.stdout)["dimensions"]
    ratios = {c["category"]: c["impact_ratio"] for c in race["categories"]}
    assert ratios["Hispanic or Latino"] == pytest.approx(0.625, abs=5e-5)


def test_impact_names_every_bad_row_and_exits_non_zero(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        ",".join(COLUMNS) + "\nc1,,0.5,F,White,GB\nc2,true,0.5,Q,White,GB\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["audit", "impact", "--input", str(path)])
    assert result.exit_code == 1
    assert "line 2: selected: is required" in result.stderr
    assert "line 3: sex: must be one of" in result.stderr


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    get_settings.cache_clear()


def test_verify_log_passes_then_names_the_edited_record(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with write_session(engine) as session:
        append_decisions(session, [decision(i) for i in range(3)], pseudonym_key="k")
    ok = runner.invoke(app, ["audit", "verify-log"])
    assert ok.exit_code == 0, ok.output
    assert "3 record(s) verified" in ok.stdout
    head = ok.stdout.rsplit("head ", 1)[1].strip()
    assert runner.invoke(app, ["audit", "verify-log", "--checkpoint", head]).exit_code == 0
    assert runner.invoke(app, ["audit", "verify-log", "--checkpoint", "3:abc"]).exit_code == 2
    with engine.begin() as conn:
        conn.execute(text("UPDATE decision_log SET model_version = 'other' WHERE seq = 2"))
    engine.dispose()
    broken = runner.invoke(app, ["audit", "verify-log"])
    assert broken.exit_code == 1
    assert "BROKEN at record 2" in broken.stderr


def test_prune_log_refuses_a_short_retention(sqlite_url: str) -> None:
    result = runner.invoke(app, ["audit", "prune-log", "--older-than-days", "30"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["audit", "prune-log", "--older-than-days", "183"]).exit_code == 0


def test_oversight_stop_and_resume(sqlite_url: str) -> None:
    stop = runner.invoke(app, ["oversight", "stop", "--actor", "admin", "--reason", "audit"])
    assert stop.exit_code == 0, stop.output
    assert json.loads(runner.invoke(app, ["oversight", "status"]).stdout)["stopped"] is True
    runner.invoke(app, ["oversight", "resume", "--actor", "admin", "--reason", "fixed"])
    status = json.loads(runner.invoke(app, ["oversight", "status"]).stdout)
    assert (status["stopped"], status["reason"]) == (False, "fixed")
    refused = runner.invoke(app, ["oversight", "stop", "--actor", "admin", "--reason", " "])
    assert refused.exit_code == 1


def test_impact_from_the_database(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    seed_outcomes(engine)
    engine.dispose()
    args = ["audit", "impact", "--from-db", "--owner", "hospital-a", "--dimension", "sex"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (sex,) = json.loads(result.stdout)["dimensions"]
    assert {c["category"]: c["impact_ratio"] for c in sex["categories"]} == {
        "Male": pytest.approx(0.5),
        "Female": 1.0,
    }
    scoring = runner.invoke(app, [*args, "--metric", "scoring"])
    assert scoring.exit_code == 1
    assert "not stored per candidate" in scoring.stderr
    assert runner.invoke(app, ["audit", "impact"]).exit_code == 2


def test_verify_log_names_a_record_it_cannot_read_instead_of_a_traceback(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with write_session(engine) as session:
        append_decisions(session, [decision(i) for i in range(3)], pseudonym_key="k")
    with engine.begin() as conn:
        conn.execute(text("UPDATE decision_log SET recorded_at = 'noon' WHERE seq = 2"))
    engine.dispose()
    broken = runner.invoke(app, ["audit", "verify-log"])
    assert broken.exit_code == 1, broken.output
    assert "BROKEN at record 2" in broken.stderr
    assert "Traceback" not in broken.output
