"""`matcher normalize-titles` and `matcher evaluate-titles`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from matcher.cli import app

runner = CliRunner()


def test_normalize_titles_reads_stdin_and_writes_json_lines() -> None:
    result = runner.invoke(
        app, ["normalize-titles"], input="CT Radiographer\n\nRadiologist\nMRT-Assistentin\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [set(line) for line in lines] == [
        {"title", "occupation", "modalities", "confidence"}
    ] * 3
    assert [(x["title"], x["occupation"], x["modalities"]) for x in lines] == [
        ("CT Radiographer", "radiographer", ["ct"]),
        ("Radiologist", "unknown", []),
        ("MRT-Assistentin", "mri_technologist", ["mri"]),
    ]


def test_normalize_titles_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "titles.txt"
    path.write_text("Técnico en radiología\nÉchographiste\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize-titles", str(path)])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["occupation"] for x in result.output.splitlines()] == [
        "radiographer",
        "sonographer",
    ]
    assert "Técnico" in result.output  # written as UTF-8, not escaped


def test_evaluate_titles_prints_per_language_table_and_json() -> None:
    table = runner.invoke(app, ["evaluate-titles"])
    assert table.exit_code == 0, table.output
    assert "overall" in table.output
    assert "nl" in table.output
    result = runner.invoke(app, ["evaluate-titles", "--json", "--split", "tune"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["split"] == "tune"
    assert {"en", "es", "fr", "it", "nl", "pt"} <= set(report["by_language"])
    assert 0.0 <= report["overall"]["occupation_accuracy"] <= 1.0


def test_evaluate_titles_refuses_to_list_test_errors() -> None:
    result = runner.invoke(app, ["evaluate-titles", "--errors"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["evaluate-titles", "--split", "tune", "--errors"]).exit_code == 0
