"""Erasure: a candidate leaves everywhere, except a pseudonymous tombstone and a ledger entry."""

from __future__ import annotations

from matcher.store import erasure
from matcher.store.db import Engine, write_session
from matcher.store.erasure import ErasureResult


def erase_candidate(
    *, engine: Engine, agency: str, candidate_id: int, pseudonym_key: str
) -> ErasureResult:
    """Erase one of `agency`'s candidates in one transaction; names the hospitals to notify."""
    with write_session(engine) as session:
        return erasure.erase_candidate(
            session=session, agency=agency, candidate_id=candidate_id, pseudonym_key=pseudonym_key
        )
