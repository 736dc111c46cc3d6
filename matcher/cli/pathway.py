"""CLI: `matcher pathway`, the eligibility of one candidate for one requisition, as JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from matcher.cli.app import app
from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import Eligibility, assess
from matcher.errors import InvalidInputError, MatcherError
from matcher.rules.titles.occupations import with_derived_occupation

RecordT = TypeVar("RecordT", bound=BaseModel)


def read_one_record(path: Path, model: type[RecordT]) -> RecordT:
    """One record from a JSON file or a one-line JSON Lines file; every problem listed at once."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read: {exc.strerror}") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        try:
            json.loads(text)
        except json.JSONDecodeError:
            raise InvalidInputError(
                f"{path}: expected one record, found {len(lines)} JSON lines"
            ) from None
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        problems = [
            f"  {'.'.join(str(p) for p in error['loc']) or '(record)'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise InvalidInputError(
            f"{path}: {len(problems)} problem(s):\n" + "\n".join(problems)
        ) from None


def pathway_for_files(candidate: Path, requisition: Path, *, today: date) -> Eligibility:
    """Read one candidate and one requisition and assess them; raises InvalidInputError."""
    problems: list[str] = []
    cand = _read_or_note(candidate, CandidateRecord, problems)
    req = _read_or_note(requisition, RequisitionRecord, problems)
    if cand is None or req is None:
        raise InvalidInputError("\n".join(problems))
    # As on ingestion: an occupation left out is derived from the title.
    (cand,) = with_derived_occupation([cand])
    (req,) = with_derived_occupation([req])
    return assess(cand, req, today=today)


def _read_or_note(path: Path, model: type[RecordT], problems: list[str]) -> RecordT | None:
    try:
        return read_one_record(path, model)
    except InvalidInputError as exc:
        problems.append(exc.detail)
        return None


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("must be a date such as 2026-11-27") from None


@app.command("pathway")
def pathway_cmd(
    candidate: Annotated[
        Path, typer.Option(help="File holding one candidate record (JSON, or one JSON line)")
    ],
    requisition: Annotated[
        Path, typer.Option(help="File holding one requisition record (JSON, or one JSON line)")
    ],
    today: Annotated[
        str | None,
        typer.Option(help="Date of assessment, YYYY-MM-DD (default: today)"),
    ] = None,
) -> None:
    """Print whether the candidate can legally work in the requisition's jurisdiction by its
    start date: status, remaining steps with lead times and sources, earliest start, warnings."""
    on = _parse_date(today)
    try:
        verdict = pathway_for_files(candidate, requisition, today=on)
    except MatcherError as exc:
        typer.echo(exc.detail, err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False))
