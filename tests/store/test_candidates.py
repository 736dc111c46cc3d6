"""The one pool loader: its SQL occupation block is the rule of `matcher.engine.blocking`."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from matcher.domain.codes import Occupation
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.engine.blocking import block_key, blocked_positions
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.service.pool_cache import build_pool
from matcher.store.candidates import (
    UNREAD_BY_MATCHING,
    list_candidates,
    max_candidate_id,
    pool_candidates,
    pool_versions,
    upsert_candidates,
)
from matcher.store.db import read_session, write_session
from tests.factories import sample_records

EVERY_BLOCK: list[Occupation | None] = [*Occupation, None]


def _seed(engine: Engine) -> list[int]:
    """Candidates of every occupation the generator gives, a third with no occupation."""
    raw, _ = sample_records(n_candidates=60, n_requisitions=0, seed=5)
    records = with_derived_occupation([CandidateRecord.model_validate(c) for c in raw])
    records = [
        r.model_copy(update={"occupation": None}) if i % 3 == 0 else r
        for i, r in enumerate(records)
    ]
    assert any(r.occupation is None for r in records)
    assert len({r.occupation for r in records if r.occupation}) >= 2
    with write_session(engine) as session:
        return upsert_candidates(session=session, agency="agency-a", records=records).ids


def _requisition(occupation: Occupation | None) -> RequisitionRecord:
    _, raw = sample_records(n_candidates=0, n_requisitions=1, seed=5)
    record = RequisitionRecord.model_validate(raw[0])
    return record.model_copy(update={"occupation": occupation})


@pytest.mark.parametrize("occupation", EVERY_BLOCK)
def test_the_sql_block_is_the_blocking_rule(engine: Engine, occupation: Occupation | None) -> None:
    _seed(engine)
    requisition = _requisition(occupation)
    with read_session(engine) as session:
        pool = build_pool(pool_candidates(session=session))
        in_sql = pool_candidates(session=session, occupation=block_key(requisition))
        versions = pool_versions(session=session, occupation=block_key(requisition))
    expected = [int(i) for i in pool.ids[blocked_positions(requisition, pool)]]
    assert [c.id for c in in_sql] == expected
    assert list(versions) == expected
    if occupation is None:
        assert len(expected) == len(pool)
    else:
        assert 0 < len(expected) < len(pool)


def test_the_loader_reads_what_matching_reads_up_to_a_bound(engine: Engine) -> None:
    ids = _seed(engine)
    with read_session(engine) as session:
        whole = {c.id: c.record for c in list_candidates(session=session)}
        bound = max_candidate_id(session=session) - 10
        loaded = pool_candidates(session=session, id_max=bound)
        picked = pool_candidates(session=session, ids=[ids[3], ids[1]])
    assert [c.id for c in loaded] == [i for i in ids if i <= bound]
    assert [c.id for c in picked] == sorted([ids[3], ids[1]])
    assert any(whole[i].email or whole[i].phone or whole[i].date_of_birth for i in ids)
    without_contact = dict.fromkeys(UNREAD_BY_MATCHING)
    for candidate in loaded:
        assert candidate.record == whole[candidate.id].model_copy(update=without_contact)
