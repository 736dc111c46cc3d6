"""The hash-chained decision log on SQLite and PostgreSQL: append, verify, tamper, prune."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text, update
from sqlmodel import col

from matcher.domain.decisions import (
    GENESIS_HASH,
    MIN_RETENTION_DAYS,
    Decision,
    pseudonym,
    record_hash,
)
from matcher.domain.pseudonyms import candidate_pseudonym
from matcher.errors import ConflictError, InvalidInputError
from matcher.store.audit_tables import DecisionLogHeadRow, DecisionLogRow
from matcher.store.db import read_session, write_session
from matcher.store.decision_log import append_decisions, prune, verify_log

KEY = "test-pseudonym-key"


@dataclass(frozen=True)
class Match:
    candidate_id: int
    rank: int
    score: float


def decision(i: int, *, run_id: str = "run-1") -> Decision:
    return Decision(
        run_id=run_id,
        kind="shortlist",
        tenant="hospital-a",
        requisition_id=f"req-{i}",
        model_version="weighted-1",
        model_hash="ab" * 32,
        ranked=[Match(candidate_id=i * 10 + r, rank=r + 1, score=1.0 / (r + 2)) for r in range(3)],
    )


def append(engine: Engine, n: int, *, at: datetime | None = None, start: int = 0) -> list[int]:
    with write_session(engine) as session:
        return append_decisions(
            session, [decision(start + i) for i in range(n)], pseudonym_key=KEY, at=at
        )


def verify(engine: Engine) -> tuple[bool, int | None, str | None]:
    with read_session(engine) as session:
        result = verify_log(session)
    return result.ok, result.broken_seq, result.problem


def test_appended_records_verify_and_hide_candidate_ids(engine: Engine) -> None:
    assert append(engine, 3) == [1, 2, 3]
    assert append(engine, 2, start=3) == [4, 5]
    with read_session(engine) as session:
        result = verify_log(session)
        first = session.get(DecisionLogRow, 1)
    assert (result.ok, result.checked, result.head_seq) == (True, 5, 5)
    assert first is not None
    assert first.candidates[0] == {"pseudonym": pseudonym(0, key=KEY), "rank": 1, "score": 0.5}
    assert "0" not in {str(c["pseudonym"]) for c in first.candidates}
    assert pseudonym(0, key=KEY) != pseudonym(0, key="another key")
    assert pseudonym(0, key=KEY) == candidate_pseudonym(KEY, 0)  # erasure tombstones match


def test_editing_a_record_with_sql_is_detected_and_named(engine: Engine) -> None:
    append(engine, 5)
    with engine.begin() as conn:
        conn.execute(text("UPDATE decision_log SET tenant = 'hospital-b' WHERE seq = 3"))
    ok, seq, problem = verify(engine)
    assert (ok, seq) == (False, 3)
    assert problem == "record 3 does not match its hash (edited)"


def test_editing_a_score_is_detected(engine: Engine) -> None:
    append(engine, 4)
    with read_session(engine) as session:
        row = session.get(DecisionLogRow, 2)
        assert row is not None
        changed = [{**row.candidates[0], "score": 0.99}, *row.candidates[1:]]
    with engine.begin() as conn:
        conn.execute(
            update(DecisionLogRow).where(col(DecisionLogRow.seq) == 2).values(candidates=changed)
        )
    assert verify(engine)[:2] == (False, 2)


def test_rehashing_an_edited_record_still_breaks_the_next_link(engine: Engine) -> None:
    append(engine, 4)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE decision_log SET tenant = 'x', hash = :h WHERE seq = 2"), {"h": "f" * 64}
        )
    ok, seq, _ = verify(engine)
    assert (ok, seq) == (False, 2)
    # Recompute record 2's hash honestly: the chain now breaks at record 3.
    with write_session(engine) as session:
        row = session.get(DecisionLogRow, 2)
        assert row is not None
        row.hash = record_hash(row)
    ok, seq, problem = verify(engine)
    assert (ok, seq) == (False, 3)
    assert problem is not None
    assert problem.startswith("record 3 does not link to record 2")


@pytest.mark.parametrize("removed", [1, 3, 5])
def test_removing_a_record_is_detected(engine: Engine, removed: int) -> None:
    append(engine, 5)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM decision_log WHERE seq = :s"), {"s": removed})
    ok, seq, problem = verify(engine)
    assert (ok, seq) == (False, removed)
    assert problem == f"record {removed} is missing"


def test_reordering_records_is_detected(engine: Engine) -> None:
    append(engine, 4)
    with engine.begin() as conn:
        conn.execute(text("UPDATE decision_log SET seq = 100 WHERE seq = 2"))
        conn.execute(text("UPDATE decision_log SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE decision_log SET seq = 3 WHERE seq = 100"))
    assert verify(engine)[:2] == (False, 2)


def test_prune_keeps_the_chain_verifiable(engine: Engine) -> None:
    now = datetime.now(UTC)
    append(engine, 3, at=now - timedelta(days=400))
    append(engine, 2, at=now - timedelta(days=10), start=3)
    with write_session(engine) as session:
        assert prune(session, older_than_days=365, now=now) == 3
    with read_session(engine) as session:
        result = verify_log(session)
    assert (result.ok, result.checked, result.head_seq) == (True, 2, 5)
    append(engine, 1, start=5)
    assert verify(engine)[0]
    # Removing the first kept record is still caught after pruning.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM decision_log WHERE seq = 4"))
    assert verify(engine)[:2] == (False, 4)


def test_prune_of_everything_leaves_an_empty_verifiable_log(engine: Engine) -> None:
    now = datetime.now(UTC)
    append(engine, 2, at=now - timedelta(days=200))
    with write_session(engine) as session:
        assert prune(session, older_than_days=MIN_RETENTION_DAYS, now=now) == 2
        assert prune(session, older_than_days=MIN_RETENTION_DAYS, now=now) == 0
    assert verify(engine)[0]
    assert append(engine, 1) == [3]
    assert verify(engine)[0]


def test_prune_below_the_floor_is_refused(engine: Engine) -> None:
    with write_session(engine) as session, pytest.raises(InvalidInputError, match="183"):
        prune(session, older_than_days=182)


def test_prune_refuses_a_broken_log(engine: Engine) -> None:
    append(engine, 2, at=datetime.now(UTC) - timedelta(days=300))
    with engine.begin() as conn:
        conn.execute(text("UPDATE decision_log SET tenant = 'x' WHERE seq = 1"))
    with write_session(engine) as session, pytest.raises(ConflictError, match="record 1"):
        prune(session, older_than_days=200)


def test_bad_decisions_are_all_reported(engine: Engine) -> None:
    bad = Decision("", "batch", "", "r", "v", "h", [Match(1, 1, float("nan"))])
    with write_session(engine) as session, pytest.raises(InvalidInputError) as caught:
        append_decisions(session, [bad], pseudonym_key=KEY)
    assert {"run_id", "tenant", "finite"} <= set(caught.value.detail.replace(":", " ").split())
    with pytest.raises(InvalidInputError, match="key"):
        pseudonym(1, key="")


def test_concurrent_writers_build_one_unbroken_chain(engine: Engine) -> None:
    writers, per_writer = 4, 5
    errors: list[BaseException] = []

    def work(w: int) -> None:
        try:
            for i in range(per_writer):
                with write_session(engine) as session:
                    append_decisions(
                        session, [decision(w * 100 + i, run_id=f"w{w}")], pseudonym_key=KEY
                    )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(engine) as session:
        result = verify_log(session)
    assert (result.ok, result.checked) == (True, writers * per_writer)


def test_a_checkpoint_catches_a_chain_rewritten_wholesale(engine: Engine) -> None:
    append(engine, 4)
    with read_session(engine) as session:
        before = verify_log(session)
        checkpoint = (2, session.get(DecisionLogRow, 2).hash)  # type: ignore[union-attr]
        assert verify_log(session, checkpoint=(before.head_seq, before.head_hash)).ok
        assert verify_log(session, checkpoint=checkpoint).ok
    # Someone with write access edits record 2 and re-hashes every record and the head.
    with write_session(engine) as session:
        prev = GENESIS_HASH
        for seq in range(1, 5):
            row = session.get(DecisionLogRow, seq)
            assert row is not None
            if seq == 2:
                row.tenant = "hospital-b"
            row.prev_hash = prev
            row.hash = record_hash(row)
            prev = row.hash
        head = session.get(DecisionLogHeadRow, 1)
        assert head is not None
        head.last_hash = prev
    with read_session(engine) as session:
        assert verify_log(session).ok  # the chain alone cannot tell
        caught = verify_log(session, checkpoint=checkpoint)
        beyond = verify_log(session, checkpoint=(9, "0" * 64))
    assert (caught.ok, caught.broken_seq) == (False, 2)
    assert caught.problem == "record 2 differs from the checkpoint (the chain was rewritten)"
    assert (beyond.ok, beyond.broken_seq) == (False, 9)


def test_a_pruned_checkpoint_is_reported_not_ignored(engine: Engine) -> None:
    now = datetime.now(UTC)
    append(engine, 3, at=now - timedelta(days=400))
    append(engine, 1, at=now, start=3)
    with write_session(engine) as session:
        first = session.get(DecisionLogRow, 1)
        third = session.get(DecisionLogRow, 3)
        assert first is not None
        assert third is not None
        old, anchor = (1, first.hash), (3, third.hash)
        prune(session, older_than_days=365, now=now)
    with read_session(engine) as session:
        assert verify_log(session, checkpoint=anchor).ok  # the anchor keeps the last pruned hash
        stale = verify_log(session, checkpoint=old)
    assert not stale.ok
    assert stale.problem is not None
    assert "pruned" in stale.problem
