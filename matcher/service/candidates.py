"""An agency's own candidates, read back as stored (contact details included: they are its own)."""

from __future__ import annotations

from matcher.store.candidates import StoredCandidate, get_owned_candidate
from matcher.store.db import Engine, read_session


def read_candidate(*, engine: Engine, agency: str, candidate_id: int) -> StoredCandidate:
    """One of `agency`'s candidates; another agency's is not found."""
    with read_session(engine) as session:
        return get_owned_candidate(session=session, agency=agency, candidate_id=candidate_id)
