"""The CLI end to end on a real SQLite file (ingestion itself runs on both databases elsewhere)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.service.erasure import erase_candidate
from matcher.settings import get_settings
from matcher.store.candidates import list_candidates
from matcher.store.db import make_engine, read_session
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


def test_ingest_refuses_a_person_erased_since_the_file_was_written(
    db_url: str, tmp_path: Path
) -> None:
    candidates, _ = sample_records(n_candidates=3)
    path = write_jsonl(tmp_path / "candidates.jsonl", candidates)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (
        runner.invoke(app, ["ingest", "candidates", str(path), "--agency", "acme"]).exit_code == 0
    )
    engine = make_engine(db_url)
    with read_session(engine) as session:
        erased = next(
            c
            for c in list_candidates(session=session)
            if c.record.external_id == candidates[1]["external_id"]
        )
    erase_candidate(
        engine=engine,
        agency="acme",
        candidate_id=erased.id,
        pseudonym_key=get_settings().pseudonym_key,
    )

    replay = runner.invoke(app, ["ingest", "candidates", str(path), "--agency", "acme"])

    assert replay.exit_code == 1
    assert "1 rejected" in replay.output
    assert "line 2: external_id: erased_subject" in replay.output
    with read_session(engine) as session:
        stored = {c.record.external_id for c in list_candidates(session=session)}
    engine.dispose()
    assert candidates[1]["external_id"] not in stored
    assert len(stored) == 2
