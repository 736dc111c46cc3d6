"""The selection-rate audit over stored outcomes, shortlist disclosures and demographics."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from matcher.audit.from_records import audit_from_records
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.errors import ForbiddenError, InvalidInputError
from matcher.store.api_tables import DisclosureRow
from matcher.store.candidates import upsert_candidates
from matcher.store.db import write_session
from matcher.store.demographics import store_demographics
from matcher.store.outcomes import upsert_outcomes
from matcher.store.requisitions import upsert_requisitions
from tests.factories import sample_records

# candidate index: (sex or None, hospital-a events, hospital-b events); "shown" = disclosure
PEOPLE: list[tuple[str | None, list[str], list[str]]] = [
    ("F", ["submitted"], []),
    ("F", ["shown"], []),
    ("F", ["submitted", "interviewed"], []),
    ("M", ["submitted", "rejected"], []),
    ("M", ["placed"], []),
    ("M", ["submitted"], []),
    (None, ["shortlisted"], []),
    ("M", [], ["shortlisted"]),
]


def seed_outcomes(engine: Engine) -> None:
    candidates, requisitions = sample_records(n_candidates=len(PEOPLE), n_requisitions=2)
    with write_session(engine) as session:
        cids = upsert_candidates(
            session=session,
            agency="agency-a",
            records=[CandidateRecord.model_validate(c) for c in candidates],
        ).ids
        rids = [
            upsert_requisitions(
                session=session, owner=owner, records=[RequisitionRecord.model_validate(r)]
            ).ids[0]
            for owner, r in zip(("hospital-a", "hospital-b"), requisitions, strict=True)
        ]
        outcomes = []
        for cid, (sex, events_a, events_b) in zip(cids, PEOPLE, strict=True):
            if sex is not None:
                store_demographics(session=session, candidate_id=cid, sex=sex)
            plan = [(rids[0], "hospital-a", events_a), (rids[1], "hospital-b", events_b)]
            for rid, hospital, events in plan:
                for event in events:
                    if event == "shown":
                        shown = DisclosureRow(
                            requisition_id=rid, candidate_id=cid, hospital=hospital
                        )
                        session.add(shown)
                    else:
                        outcomes.append((rid, cid, event, date(2026, 3, 1)))
        upsert_outcomes(session=session, outcomes=outcomes)


def test_selection_by_stage_and_tenant(engine: Engine) -> None:
    seed_outcomes(engine)
    report = audit_from_records(
        engine=engine, role="auditor", owner="hospital-a", dimensions=["sex"]
    )
    sex = report.dimension("sex")
    assert (sex.category("Female").positives, sex.category("Female").count) == (2, 3)
    assert (sex.category("Male").positives, sex.category("Male").count) == (1, 3)
    assert sex.category("Male").impact_ratio == pytest.approx(0.5)
    assert (sex.unknown, sex.unknown_positives) == (1, 1)

    later = audit_from_records(
        engine=engine, role="auditor", owner="hospital-a", stage="interviewed"
    ).dimension("sex")
    assert [c.positives for c in later.categories] == [1, 1]  # Male, Female

    everywhere = audit_from_records(engine=engine, role="auditor").dimension("sex")
    assert (everywhere.category("Male").positives, everywhere.category("Male").count) == (2, 4)
    assert everywhere.category("Male").impact_ratio == pytest.approx(0.75)


def test_only_auditors_and_only_progress_stages(engine: Engine) -> None:
    with pytest.raises(ForbiddenError):
        audit_from_records(engine=engine, role="hospital")
    with pytest.raises(InvalidInputError, match="stage must be one of"):
        audit_from_records(engine=engine, role="auditor", stage="submitted")
