"""The CLI end to end on a real SQLite file (ingestion itself runs on both databases elsewhere)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.settings import get_settings
from tests.factories import sample_records, write_jsonl

runner = CliRunner()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_ingest_exits_nonzero_and_names_every_bad_row(db_url: str, tmp_path: Path) -> None:
    candidates, _ = sample_records(n_candidates=4)
    candidates[1]["country"] = "Narnia"
    candidates[3]["modalities"] = [{"modality": "ct", "years": -1}]
    path = write_jsonl(tmp_path / "c.jsonl", candidates)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0

    result = runner.invoke(app, ["ingest", "candidates", str(path), "--agency", "acme"])

    assert result.exit_code == 1
    assert "4 read, 2 inserted" in result.stdout
    assert "line 2: country:" in result.stderr
    assert "line 4: modalities.0.years:" in result.stderr
    assert "Narnia" not in result.stderr  # messages, never the submitted values


def test_demo_load_is_idempotent(db_url: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(app, ["demo", "load"])
    second = runner.invoke(app, ["demo", "load"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert "0 rejected" in first.stdout
    assert "0 inserted, 0 updated" in second.stdout


@pytest.mark.parametrize("kind", ["candidate", "requisition", "outcome"])
def test_schema_prints_json_schema(kind: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "object"


def test_schema_rejects_unknown_type() -> None:
    result = runner.invoke(app, ["schema", "hospital"])
    assert result.exit_code == 2
    assert "unknown record type" in result.stderr


def test_fixtures_generate_is_seeded_and_valid(tmp_path: Path) -> None:
    args = ["fixtures", "generate", "--candidates", "50", "--requisitions", "5", "--seed", "3"]
    runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    for name in ("candidates.jsonl", "requisitions.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    from matcher.cli.app import SAMPLE_DIR
    from matcher.synthetic.generator import write_fixtures

    write_fixtures(tmp_path, n_candidates=200, n_requisitions=30, seed=7)
    for name in ("candidates.jsonl", "requisitions.jsonl"):
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), (
            "regenerate: matcher fixtures generate --out fixtures/sample --seed 7"
        )
