"""`matcher pathway`: one candidate file and one requisition file in, the verdict as JSON out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

import matcher.cli.pathway  # noqa: F401 - registers `pathway` even before cli.py lists it
from matcher.cli import app
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import assess

runner = CliRunner()

CANDIDATE = {
    "external_id": "C1",
    "full_name": "Test Person",
    "country": "US",
    "title": "Radiologic Technologist",
    "credentials": [{"body": "ARRT", "credential": "R", "jurisdiction": "US"}],
}
REQUISITION = {
    "external_id": "R1",
    "facility": {"external_id": "F1", "name": "Hospital", "country": "US", "region": "US-CA"},
    "title": "Radiologic Technologist",
    "occupation": "radiographer",
    "start_date": "2027-03-01",
}


def _write(tmp_path: Path, name: str, payload: object, *, pretty: bool = False) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload, indent=2 if pretty else None) + "\n", encoding="utf-8")
    return path


def test_prints_the_same_verdict_as_assess(tmp_path: Path) -> None:
    cand = _write(tmp_path, "c.json", CANDIDATE, pretty=True)
    req = _write(tmp_path, "r.jsonl", REQUISITION)
    result = runner.invoke(
        app,
        ["pathway", "--candidate", str(cand), "--requisition", str(req), "--today", "2026-11-27"],
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    expected = assess(
        CandidateRecord.model_validate(CANDIDATE),
        RequisitionRecord.model_validate(REQUISITION),
        today=date(2026, 11, 27),
    ).to_dict()
    assert printed == json.loads(json.dumps(expected))
    assert printed["status"] == "eligible_by_start"
    assert printed["rule_id"] == "us-ca-arrt-r-diagnostic-crt"


def test_lists_every_problem_of_both_files(tmp_path: Path) -> None:
    cand = _write(tmp_path, "c.json", CANDIDATE | {"country": "XX", "years_experience": -1})
    req = _write(tmp_path, "r.json", REQUISITION | {"openings": 0})
    result = runner.invoke(app, ["pathway", "--candidate", str(cand), "--requisition", str(req)])
    assert result.exit_code == 1
    assert "country" in result.stderr
    assert "years_experience" in result.stderr
    assert "openings" in result.stderr


def test_rejects_a_file_with_more_than_one_record(tmp_path: Path) -> None:
    cand = tmp_path / "c.jsonl"
    cand.write_text(json.dumps(CANDIDATE) + "\n" + json.dumps(CANDIDATE) + "\n", encoding="utf-8")
    req = _write(tmp_path, "r.json", REQUISITION)
    result = runner.invoke(app, ["pathway", "--candidate", str(cand), "--requisition", str(req)])
    assert result.exit_code == 1
    assert "expected one record, found 2 JSON lines" in result.stderr


def test_rejects_a_bad_date(tmp_path: Path) -> None:
    cand = _write(tmp_path, "c.json", CANDIDATE)
    req = _write(tmp_path, "r.json", REQUISITION)
    result = runner.invoke(
        app, ["pathway", "--candidate", str(cand), "--requisition", str(req), "--today", "soon"]
    )
    assert result.exit_code == 2
