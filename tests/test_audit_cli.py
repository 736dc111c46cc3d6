"""`matcher audit impact` on an auditor's CSV prints the same figures as the library."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.audit.subjects_csv import COLUMNS
from matcher.cli import app
from tests.test_audit_impact import issue_example

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
