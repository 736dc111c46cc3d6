"""A damaged decision-log record (a value that is not JSON, a timestamp that does not parse)
is named by verification, never a traceback: the store's reader and the chain walk both."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from matcher.store.db import read_session, write_session
from matcher.store.decision_log import verify_log
from tests.api_support import Api
from tests.store.test_decision_log import append

INFINITE_SCORE = '[{"pseudonym": "p", "rank": 1, "score": %s}]'
# What each database can be made to hold, by someone with write access to the table.
DAMAGE = {
    "sqlite": {
        "infinity": ("candidates", f"'{INFINITE_SCORE % 'Infinity'}'"),
        "invalid_json": ("candidates", "'[{\"pseudonym\": '"),
        "timestamp": ("recorded_at", "'yesterday at noon'"),
    },
    "postgresql": {
        # jsonb keeps any number; 1e400 reads back as a float infinity.
        "infinity": ("candidates", f"'{INFINITE_SCORE % '1e400'}'::jsonb"),
        "timestamp": ("recorded_at", "'infinity'::timestamp"),
    },
}
CASES = [
    pytest.param(dialect, kind, marks=[pytest.mark.postgres] if dialect == "postgresql" else [])
    for dialect, kinds in DAMAGE.items()
    for kind in kinds
]


@pytest.mark.parametrize(("dialect", "kind"), CASES)
def test_a_damaged_record_is_named_not_a_crash(
    request: pytest.FixtureRequest, dialect: str, kind: str
) -> None:
    engine: Engine = request.getfixturevalue(f"{dialect}_engine")
    with write_session(engine) as session:
        session.execute(text("DELETE FROM decision_log"))
        session.execute(text("DELETE FROM decision_log_head"))
    append(engine, 4)
    column, value = DAMAGE[dialect][kind]
    with write_session(engine) as session:
        session.execute(text(f"UPDATE decision_log SET {column} = {value} WHERE seq = 3"))  # noqa: S608
    with read_session(engine) as session:
        result = verify_log(session, batch_size=2)
    assert not result.ok
    assert result.broken_seq == 3
    assert result.problem is not None
    assert "record 3" in result.problem
    assert result.checked == 2


def test_the_api_names_a_damaged_record(api: Api) -> None:
    append(api.engine, 3)
    column, value = DAMAGE[api.engine.dialect.name]["timestamp"]
    with write_session(api.engine) as session:
        session.execute(text(f"UPDATE decision_log SET {column} = {value} WHERE seq = 2"))  # noqa: S608
    response = api.call("GET", "/v1/audit/decision-log:verify", "auditor")
    assert response.status_code == 200, response.text[:300]
    assert (response.json()["ok"], response.json()["broken_seq"]) == (False, 2)
