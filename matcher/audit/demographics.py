"""Agencies pass on their candidates' voluntary self-reports, kept apart for bias audits.

Storage and the auditor-only read are `matcher.store.demographics`; the vocabularies are
`matcher.domain.demographics`. Nothing on the ranking path imports any of them.
"""

from __future__ import annotations

from matcher.domain.demographics import Demographics
from matcher.store.candidates import require_owned_candidate
from matcher.store.db import Engine, write_session
from matcher.store.demographics import store_demographics


def record_self_report(
    *,
    engine: Engine,
    agency: str,
    candidate_id: int,
    sex: str | None = None,
    race_ethnicity: str | None = None,
    country_of_training: str | None = None,
) -> Demographics:
    """Store a self-report for one of `agency`'s candidates (another agency's is not found)."""
    with write_session(engine) as session:
        require_owned_candidate(session=session, agency=agency, candidate_id=candidate_id)
        return store_demographics(
            session=session,
            candidate_id=candidate_id,
            sex=sex,
            race_ethnicity=race_ethnicity,
            country_of_training=country_of_training,
        )
