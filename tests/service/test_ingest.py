from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from matcher.domain.records import CandidateRecord, OutcomeRecord, RequisitionRecord
from matcher.service.erasure import erase_candidate
from matcher.service.ingest import (
    ERASED_SUBJECT,
    ingest_candidates,
    ingest_outcomes,
    ingest_requisitions,
    read_rows,
)
from matcher.settings import DEV_PSEUDONYM_KEY
from matcher.store.candidates import list_candidates
from matcher.store.db import read_session, write_session
from matcher.store.requisitions import list_requisitions
from matcher.store.rows import count_rows
from tests.factories import raw_rows as read_rows_from
from tests.factories import sample_records, write_jsonl


def _malformed_candidate_file(tmp_path: Path) -> tuple[Path, dict[int, set[str]]]:
    """10 rows; rows at lines 3, 5, 6, 8 and 10 are bad, each in known fields."""
    candidates, _ = sample_records(n_candidates=10)
    rows: list[dict[str, object] | str] = list(candidates)
    bad_country = dict(candidates[2], country="XX")
    bad_modality = dict(candidates[4], modalities=[{"modality": "xray-ish", "years": 2}])
    missing_title = {k: v for k, v in candidates[5].items() if k != "title"}
    typo_field = dict(candidates[7], titel="Radiographer")
    rows[2], rows[4], rows[5], rows[7] = bad_country, bad_modality, missing_title, typo_field
    rows[9] = '{"external_id": "broken json",'
    expected = {
        3: {"country"},
        5: {"modalities.0.modality"},
        6: {"title"},
        8: {"titel"},
        10: {"(row)"},
    }
    return write_jsonl(tmp_path / "candidates.jsonl", rows), expected  # type: ignore[arg-type]


def test_ingest_stores_exactly_the_valid_rows_and_names_each_bad_row(
    engine: Engine, tmp_path: Path
) -> None:
    path, expected = _malformed_candidate_file(tmp_path)
    rows = read_rows(path, CandidateRecord)
    with write_session(engine) as session:
        report = ingest_candidates(
            session=session, agency="acme", rows=rows, pseudonym_key=DEV_PSEUDONYM_KEY
        )

    assert {e.line: {f.field for f in e.errors} for e in report.rejected} == expected
    assert report.inserted == 5
    assert [index for index, _, _ in report.stored] == [0, 1, 3, 6, 8]
    with read_session(engine) as session:
        stored = {c.record.external_id for c in list_candidates(session=session)}
    assert stored == {ext for _, ext, _ in report.stored}


def test_ingesting_the_same_file_twice_creates_no_duplicates(
    engine: Engine, tmp_path: Path
) -> None:
    candidates, requisitions = sample_records(n_candidates=15, n_requisitions=4)
    cpath = write_jsonl(tmp_path / "c.jsonl", candidates)
    rpath = write_jsonl(tmp_path / "r.jsonl", requisitions)
    reports = []
    for _ in range(2):
        with write_session(engine) as session:
            reports.append(
                (
                    ingest_candidates(
                        session=session,
                        agency="acme",
                        rows=read_rows(cpath, CandidateRecord),
                        pseudonym_key=DEV_PSEUDONYM_KEY,
                    ),
                    ingest_requisitions(
                        session=session, owner="h1", rows=read_rows(rpath, RequisitionRecord)
                    ),
                )
            )
    first, second = reports
    assert (first[0].inserted, first[1].inserted) == (15, 4)
    assert (second[0].inserted, second[0].updated, second[0].unchanged) == (0, 0, 15)
    assert [s[2] for s in first[0].stored] == [s[2] for s in second[0].stored]
    with read_session(engine) as session:
        assert count_rows(session=session) == {
            "candidate": 15,
            "requisition": 4,
            "outcome": 0,
        }


def test_the_same_external_id_at_two_agencies_is_two_people(engine: Engine) -> None:
    candidates, _ = sample_records(n_candidates=1)
    rows = read_rows_from(candidates)
    with write_session(engine) as session:
        ingest_candidates(session=session, agency="a", rows=rows, pseudonym_key=DEV_PSEUDONYM_KEY)
        ingest_candidates(session=session, agency="b", rows=rows, pseudonym_key=DEV_PSEUDONYM_KEY)
    with read_session(engine) as session:
        assert count_rows(session=session)["candidate"] == 2


def test_an_update_changes_the_stored_record(engine: Engine) -> None:
    candidates, _ = sample_records(n_candidates=1)
    with write_session(engine) as session:
        ingest_candidates(
            session=session,
            agency="a",
            rows=read_rows_from(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )
    changed = [dict(candidates[0], years_experience=33.0)]
    with write_session(engine) as session:
        report = ingest_candidates(
            session=session,
            agency="a",
            rows=read_rows_from(changed),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )
    assert (report.inserted, report.updated) == (0, 1)
    with read_session(engine) as session:
        (stored,) = list_candidates(session=session)
    assert stored.record.years_experience == 33.0


def test_duplicate_external_id_within_one_batch_is_rejected_not_merged(engine: Engine) -> None:
    candidates, _ = sample_records(n_candidates=2)
    candidates[1]["external_id"] = candidates[0]["external_id"]
    with write_session(engine) as session:
        report = ingest_candidates(
            session=session,
            agency="a",
            rows=read_rows_from(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )
    assert report.inserted == 1
    (error,) = report.rejected
    assert (error.line, error.errors[0].field) == (2, "external_id")
    assert "first at line 1" in error.errors[0].message


def test_requisitions_from_csv_with_nested_and_list_columns(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "reqs.csv"
    path.write_text(
        "external_id,title,facility.external_id,facility.name,facility.country,facility.region,"
        "required_modalities,min_years_experience,salary.min,salary.currency,salary.period,"
        "visa_sponsorship,start_date\n"
        "R1,CT Radiographer,F1,Royal Harbour,AU,AU-NSW,radiography|ct,2,90000,AUD,year,true,"
        "2027-03-01\n"
        "R2,MRI Technologist,F1,Royal Harbour,AU,,mri,abc,,,,,\n",
        encoding="utf-8",
    )
    rows = read_rows(path, RequisitionRecord)
    with write_session(engine) as session:
        report = ingest_requisitions(session=session, owner="h1", rows=rows)
    assert report.inserted == 1
    assert [(e.line, e.errors[0].field) for e in report.rejected] == [(3, "min_years_experience")]
    with read_session(engine) as session:
        (stored,) = list_requisitions(session=session)
    assert [m.value for m in stored.record.required_modalities] == ["radiography", "ct"]
    assert stored.record.salary is not None
    assert stored.record.salary.min == 90000
    assert stored.record.visa_sponsorship is True


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_outcomes_resolve_external_ids_and_report_unknown_ones(
    engine: Engine, tmp_path: Path, fmt: str
) -> None:
    candidates, requisitions = sample_records(n_candidates=3, n_requisitions=2)
    with write_session(engine) as session:
        ingest_candidates(
            session=session,
            agency="a",
            rows=read_rows_from(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )
        ingest_requisitions(session=session, owner="h1", rows=read_rows_from(requisitions))
    c0, c1 = candidates[0]["external_id"], candidates[1]["external_id"]
    r0 = requisitions[0]["external_id"]
    outcomes = [
        (r0, c0, "placed", "2026-02-01"),
        (r0, c1, "interviewed", "2026-02-01"),
        ("R-nope", c0, "placed", "2026-02-01"),
        (r0, "C-nope", "offered", "2026-02-01"),
    ]
    if fmt == "csv":
        path = tmp_path / "o.csv"
        path.write_text(
            "requisition_id,candidate_id,stage,at\n"
            + "".join(",".join(o) + "\n" for o in outcomes),
            encoding="utf-8",
        )
    else:
        keys = ("requisition_id", "candidate_id", "stage", "at")
        path = write_jsonl(
            tmp_path / "o.jsonl", [dict(zip(keys, o, strict=True)) for o in outcomes]
        )
    with write_session(engine) as session:
        report = ingest_outcomes(session=session, owner="h1", rows=read_rows(path, OutcomeRecord))
    assert report.inserted == 2
    assert [(e.index, e.errors[0].field) for e in report.rejected] == [
        (2, "requisition_id"),
        (3, "candidate_id"),
    ]


def test_ingest_refuses_a_person_erased_at_the_agency(engine: Engine) -> None:
    # The API batch and the CLI both store candidates through ingest_candidates, so the ledger
    # check lives there: a replayed old file cannot bring an erased person back.
    candidates, _ = sample_records(n_candidates=3)
    with write_session(engine) as session:
        first = ingest_candidates(
            session=session,
            agency="a",
            rows=read_rows_from(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )
    _, erased_ext, erased_id = first.stored[1]
    erase_candidate(
        engine=engine, agency="a", candidate_id=erased_id, pseudonym_key=DEV_PSEUDONYM_KEY
    )

    with write_session(engine) as session:
        replay = ingest_candidates(
            session=session,
            agency="a",
            rows=read_rows_from(candidates),
            pseudonym_key=DEV_PSEUDONYM_KEY,
        )

    assert [(e.index, [(f.field, f.message) for f in e.errors]) for e in replay.rejected] == [
        (1, [("external_id", ERASED_SUBJECT)])
    ]
    assert [index for index, _, _ in replay.stored] == [0, 2]
    with read_session(engine) as session:
        stored = {c.record.external_id for c in list_candidates(session=session)}
    assert erased_ext not in stored
    assert len(stored) == 2
