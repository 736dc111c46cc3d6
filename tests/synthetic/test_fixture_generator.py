from __future__ import annotations

from collections import Counter

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.synthetic.generator import generate


def test_generated_records_are_valid_and_diverse() -> None:
    candidates, requisitions = generate(400, 40, seed=1)
    parsed = [CandidateRecord.model_validate(c) for c in candidates]
    for r in requisitions:
        RequisitionRecord.model_validate(r)
    countries = Counter(c.country for c in parsed)
    languages = Counter(c.title_language for c in parsed)
    bodies = Counter(cred.body for c in parsed for cred in c.credentials)
    assert len(countries) >= 8
    assert len(languages) >= 5
    assert {"ARRT", "HCPC", "PRC", "MRPBA", "CAMRT", "HPCSA", "CORU", "MRTB"} <= set(bodies)
