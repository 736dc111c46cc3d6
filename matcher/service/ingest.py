"""Ingestion: read JSON Lines or CSV, validate every row on its own, store the valid rows.

Bad rows never stop good ones: each is reported by 0-based index, 1-based line and field.
All valid rows of one call are stored in the caller's single transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

from pydantic import BaseModel, ValidationError

from matcher.domain.pseudonyms import subject_hash
from matcher.domain.records import CandidateRecord, OutcomeRecord, Record, RequisitionRecord
from matcher.errors import FieldError, InvalidInputError, RowError, rule_message
from matcher.rules.titles.occupations import with_derived_occupation
from matcher.store.candidates import candidate_ids_by_external, upsert_candidates
from matcher.store.db import Session
from matcher.store.erasure import erased_subjects
from matcher.store.outcomes import upsert_outcomes
from matcher.store.requisitions import requisition_ids_by_external, upsert_requisitions

CSV_LIST_SEPARATOR = "|"
ERASED_SUBJECT = "erased_subject"  # the per-row error for a person erased at this agency
R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class RawRow:
    """One parsed input row, or why it could not be parsed."""

    index: int
    line: int
    data: dict[str, Any] | None
    parse_error: str | None = None


@dataclass
class IngestReport:
    kind: str
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stored: list[tuple[int, str, int]] = field(default_factory=list)  # (index, external_id, id)
    rejected: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


# JSON text carries a lone surrogate or a NUL only as a `\uD800`-`\uDFFF` or `\u0000` escape,
# so rows without one skip the walk.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_UNICODE = "holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not valid Unicode"
NUL_IN_NAME = "a field name holds a NUL character"


def _unstorable_part(value: Any) -> str | None:
    # NUL in a value is the record's to report, on its field; a name has no field to name.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return NOT_UNICODE
        elif isinstance(item, dict):
            if any(isinstance(key, str) and "\x00" in key for key in item):
                return NUL_IN_NAME
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def decode_json(text: str) -> Any:
    """`json.loads`, with every way it fails on hostile input as a ValueError whose message
    names the problem but never the input."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ValueError("not valid JSON: nested too deeply") from None
    except ValueError:  # Python's int-string conversion limit
        raise ValueError("not valid JSON: a number has more than 4300 digits") from None


def text_problem(text: str, value: Any) -> str | None:
    """Why `value`, decoded from `text`, cannot be stored or echoed back, if it cannot: a lone
    surrogate anywhere, or a NUL in a field name."""
    if _SUSPECT_ESCAPE.search(text):
        return _unstorable_part(value)
    return None


def _jsonl_row(index: int, line_no: int, line: str) -> RawRow:
    try:
        data = decode_json(line)
    except ValueError as exc:
        return RawRow(index, line_no, None, str(exc))
    if not isinstance(data, dict):
        return RawRow(index, line_no, None, "each line must be one JSON object")
    problem = text_problem(line, data)
    return RawRow(index, line_no, None, problem) if problem else RawRow(index, line_no, data)


def read_jsonl(stream: TextIO) -> Iterator[RawRow]:
    index = 0
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        yield _jsonl_row(index, line_no, line)
        index += 1


def _field_annotation(model: type[BaseModel], path: list[str]) -> Any:
    annotation: Any = model
    for part in path:
        annotation = _unwrap_optional(annotation)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        info = annotation.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
    return _unwrap_optional(annotation)


def _unwrap_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _set_path(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def read_csv(stream: TextIO, model: type[BaseModel]) -> Iterator[RawRow]:
    """CSV with dotted headers for nested fields (`facility.country`) and `|` inside lists."""
    reader = csv.DictReader(stream)
    for index, row in enumerate(reader):
        data: dict[str, Any] = {}
        for header, cell in row.items():
            if header is None:
                yield RawRow(index, reader.line_num, None, "more cells than header columns")
                break
            if cell is None or cell.strip() == "":
                continue
            path = header.strip().split(".")
            annotation = _field_annotation(model, path)
            value: Any = cell.strip()
            if typing.get_origin(annotation) is list:
                value = [v.strip() for v in value.split(CSV_LIST_SEPARATOR) if v.strip()]
            _set_path(data, path, value)
        else:
            yield RawRow(index, reader.line_num, data)


def read_rows(
    source: Path | str, model: type[BaseModel], *, fmt: str | None = None
) -> list[RawRow]:
    """Read a file (or '-' for stdin) as JSON Lines or CSV, chosen by `fmt` or the suffix."""
    import sys

    fmt = fmt or ("csv" if str(source).lower().endswith(".csv") else "jsonl")
    from_stdin = str(source) == "-"
    text = sys.stdin.read() if from_stdin else Path(source).read_text(encoding="utf-8-sig")
    stream = io.StringIO(text)
    return list(read_csv(stream, model) if fmt == "csv" else read_jsonl(stream))


def _field_errors(exc: ValidationError) -> tuple[FieldError, ...]:
    # Messages only: submitted values never travel back in an error.
    return tuple(
        FieldError(".".join(str(p) for p in err["loc"]) or "(row)", rule_message(err))
        for err in exc.errors(include_url=False)
    )


def validate_rows(
    rows: Iterable[RawRow], model: type[R], *, unique_key: str | None = "external_id"
) -> tuple[list[tuple[RawRow, R]], list[RowError]]:
    valid: list[tuple[RawRow, R]] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for raw in rows:
        ext = raw.data.get(unique_key) if (raw.data and unique_key) else None
        ext_str = ext if isinstance(ext, str) else None
        if raw.data is None:
            errors.append(
                RowError(raw.index, raw.line, (FieldError("(row)", raw.parse_error or ""),))
            )
            continue
        try:
            record = model.model_validate(raw.data)
        except ValidationError as exc:
            errors.append(RowError(raw.index, raw.line, _field_errors(exc), ext_str))
            continue
        if unique_key is not None:
            key = str(getattr(record, unique_key))
            if key in first_seen:
                message = f"duplicate in this batch; first at line {first_seen[key]}"
                errors.append(
                    RowError(raw.index, raw.line, (FieldError(unique_key, message),), key)
                )
                continue
            first_seen[key] = raw.line
        valid.append((raw, record))
    return valid, errors


def _refuse_erased(
    session: Session, agency: str, valid: list[tuple[RawRow, CandidateRecord]], key: str
) -> tuple[list[tuple[RawRow, CandidateRecord]], list[RowError]]:
    """Splits off the rows naming a person erased at `agency`, as `erased_subject` errors.

    Hashed from the validated record, so the ledger sees the id exactly as it would be stored.
    """
    digests = [subject_hash(key, agency, record.external_id) for _, record in valid]
    erased = erased_subjects(session=session, subject_hashes=set(digests))
    kept = [pair for pair, digest in zip(valid, digests, strict=True) if digest not in erased]
    refused = [
        RowError(raw.index, raw.line, (FieldError("external_id", ERASED_SUBJECT),))
        for (raw, _), digest in zip(valid, digests, strict=True)
        if digest in erased
    ]
    return kept, refused


def ingest_candidates(
    *, session: Session, agency: str, rows: Sequence[RawRow], pseudonym_key: str
) -> IngestReport:
    """Every write of candidates (API batches, the CLI, the demo) comes through here, so the
    erasure ledger is checked for all of them in the transaction that stores the rows."""
    valid, errors = validate_rows(rows, CandidateRecord)
    valid, erased = _refuse_erased(session, agency, valid, pseudonym_key)
    errors = sorted([*errors, *erased], key=lambda e: e.index)
    records = with_derived_occupation([record for _, record in valid])
    report = IngestReport("candidate", total=len(rows), rejected=errors)
    if records:
        result = upsert_candidates(session=session, agency=agency, records=records)
        report.inserted, report.updated = result.inserted, result.updated
        report.unchanged = result.unchanged
        report.stored = [
            (raw.index, rec.external_id, i) for (raw, rec), i in zip(valid, result.ids, strict=True)
        ]
    return report


def ingest_requisitions(*, session: Session, owner: str, rows: Sequence[RawRow]) -> IngestReport:
    valid, errors = validate_rows(rows, RequisitionRecord)
    records = with_derived_occupation([record for _, record in valid])
    report = IngestReport("requisition", total=len(rows), rejected=errors)
    if records:
        result = upsert_requisitions(session=session, owner=owner, records=records)
        report.inserted, report.updated = result.inserted, result.updated
        report.unchanged = result.unchanged
        report.stored = [
            (raw.index, rec.external_id, i) for (raw, rec), i in zip(valid, result.ids, strict=True)
        ]
    return report


def ingest_outcomes(*, session: Session, owner: str, rows: Sequence[RawRow]) -> IngestReport:
    """Outcomes name `owner`'s requisitions, and candidates by external id (plus agency)."""
    valid, errors = validate_rows(rows, OutcomeRecord, unique_key=None)
    report = IngestReport("outcome", total=len(rows), rejected=errors)
    req_ids = requisition_ids_by_external(
        session=session, owner=owner, external_ids=[r.requisition_id for _, r in valid]
    )
    cand_ids = candidate_ids_by_external(
        session=session, external_ids=[r.candidate_id for _, r in valid]
    )
    resolved: list[tuple[int, int, str, Any]] = []
    for raw, record in valid:
        problems: list[FieldError] = []
        req_id = req_ids.get(record.requisition_id)
        if req_id is None:
            problems.append(
                FieldError("requisition_id", f"no requisition of '{owner}' has this id")
            )
        matches = [
            cid
            for cid, agency in cand_ids.get(record.candidate_id, [])
            if record.agency is None or agency == record.agency
        ]
        if not matches:
            problems.append(FieldError("candidate_id", "no candidate has this id"))
        elif len(matches) > 1:
            problems.append(
                FieldError("agency", "candidate id exists at several agencies; name one")
            )
        if problems:
            report.rejected.append(RowError(raw.index, raw.line, tuple(problems)))
            continue
        assert req_id is not None  # noqa: S101  (narrowing for mypy; checked above)
        resolved.append((req_id, matches[0], record.stage.value, record.at))
    report.rejected.sort(key=lambda e: e.index)
    if resolved:
        report.inserted, report.updated = upsert_outcomes(session=session, outcomes=resolved)
    return report


def require_all_valid(report: IngestReport) -> None:
    """For all-or-nothing callers: raise with every row problem so the transaction rolls back."""
    if report.rejected:
        raise InvalidInputError(f"{len(report.rejected)} row(s) rejected", rows=report.rejected)
