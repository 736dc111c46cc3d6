"""configure_logging: one format, the level honoured, personal fields never written."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

import pytest
import structlog
from typer.testing import CliRunner

from matcher.cli import app
from matcher.domain.records import CandidateRecord
from matcher.logs import PERSONAL_FIELDS, configure_logging, drop_personal_fields
from matcher.settings import get_settings
from tests.factories import sample_records
from tests.logs_support import json_lines, restore_logging  # noqa: F401  (fixture)

log = structlog.get_logger("tests.logs")

PERSON = {
    "full_name": "Ana Reyes",
    "name": "Ana",
    "first_name": "Ana",
    "last_name": "Reyes",
    "email": "ana.reyes@example.org",
    "phone": "+639171234567",
    "date_of_birth": "1990-04-01",
    "dob": "1990-04-01",
    "licence_number": "PRC-0123456",
    "License-Number": "ARRT-555",
    "address": "12 Rizal St, Manila",
}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _captured(level: str = "INFO") -> io.StringIO:
    stream = io.StringIO()
    configure_logging(level=level, stream=stream)
    return stream


def test_personal_fields_are_dropped_at_every_depth(caplog: pytest.LogCaptureFixture) -> None:
    stream = _captured()
    log.info(
        "candidate.seen",
        candidate_id=7,
        **PERSON,
        record={"country": "PH", **PERSON, "credentials": [{"number": "PRC-0123456"}]},
        rows=[{"index": 0, "contact": {**PERSON, "kept": True}}],
    )
    text = stream.getvalue()
    for value in PERSON.values():
        assert value not in text
        assert value not in caplog.text  # nor does any other handler on the root logger see it
    (line,) = json_lines(text)
    assert line["candidate_id"] == 7
    assert line["record"] == {"country": "PH"}
    assert line["rows"] == [{"index": 0, "contact": {"kept": True}}]


def test_bound_context_and_whole_records_are_cleaned_too() -> None:
    stream = _captured()
    record = CandidateRecord.model_validate(sample_records(n_candidates=1)[0][0])
    with structlog.contextvars.bound_contextvars(email=PERSON["email"], tenant="agency-a"):
        log.info("candidate.parsed", record=record)
    (line,) = json_lines(stream.getvalue())
    assert line["tenant"] == "agency-a"
    assert "email" not in line
    assert line["record"]["external_id"] == record.external_id
    assert record.full_name not in stream.getvalue()
    assert not {"full_name", "email", "phone", "date_of_birth", "credentials"} & set(line["record"])


def test_the_processor_leaves_other_fields_alone() -> None:
    event = {"event": "x", "run_id": "r1", "counts": {"pairs": 3}, "Email": "a@b.c"}
    assert drop_personal_fields(None, "info", event) == {
        "event": "x",
        "run_id": "r1",
        "counts": {"pairs": 3},
    }
    assert {"name", "email", "phone", "date_of_birth", "licence_number"} <= PERSONAL_FIELDS


def test_stdlib_lines_share_the_format_and_the_bound_context() -> None:
    stream = _captured()
    with structlog.contextvars.bound_contextvars(run_id="nightly"):
        logging.getLogger("some.library").warning("disk %s%% full", 91)
    (line,) = json_lines(stream.getvalue())
    assert line["event"] == "disk 91% full"
    assert line["run_id"] == "nightly"
    assert line["logger"] == "some.library"
    assert line["level"] == "warning"
    stamp = datetime.fromisoformat(line["timestamp"])
    assert stamp.utcoffset() == UTC.utcoffset(None)


def test_json_lines_unless_on_a_terminal() -> None:
    piped = _captured()
    log.info("piped", n=1)
    assert json_lines(piped.getvalue())[0]["n"] == 1

    terminal = _Terminal()
    configure_logging(level="INFO", stream=terminal)
    log.info("on.a.terminal", n=1)
    text = terminal.getvalue()
    assert "on.a.terminal" in text
    assert not text.startswith("{")

    asked = _Terminal()
    configure_logging(level="INFO", json=True, stream=asked)
    log.info("asked.for.json")
    assert json_lines(asked.getvalue())[0]["event"] == "asked.for.json"


def test_the_level_is_honoured_and_an_unknown_level_refused() -> None:
    stream = _captured("warning")
    log.info("quiet")
    logging.getLogger("some.library").info("quiet too")
    log.warning("loud")
    assert [line["event"] for line in json_lines(stream.getvalue())] == ["loud"]
    with pytest.raises(ValueError, match="unknown log level 'LOUD'; choose from DEBUG, INFO"):
        configure_logging(level="LOUD")


def test_configuring_twice_is_harmless() -> None:
    first = _captured()
    second = _captured()
    log.info("once")
    assert first.getvalue() == ""
    assert len(json_lines(second.getvalue())) == 1


def test_the_cli_honours_matcher_log_level(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.setenv("MATCHER_LOG_LEVEL", "LOUD")
    get_settings.cache_clear()
    try:
        refused = runner.invoke(app, ["schema", "candidate"])
        assert refused.exit_code == 2
        assert "MATCHER_LOG_LEVEL: unknown log level 'LOUD'" in refused.stderr

        monkeypatch.setenv("MATCHER_LOG_LEVEL", "WARNING")
        get_settings.cache_clear()
        assert runner.invoke(app, ["schema", "candidate"]).exit_code == 0
        assert logging.getLogger().level == logging.WARNING
    finally:
        get_settings.cache_clear()
