"""Read an auditor's own CSV into audit subjects, reporting every bad cell at once.

Columns: candidate_id, selected, score, sex, race_ethnicity, country_of_training.
`selected` is true/false (also 1/0, yes/no); `score` a number; blank demographics are unknown.
Only the outcome column of the chosen metric must be filled (the audit checks that).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from matcher.audit.impact import AuditSubject, Metric
from matcher.domain.demographics import (
    parse_country_of_training,
    parse_race_ethnicity,
    parse_sex,
)
from matcher.errors import FieldError, InvalidInputError, RowError

COLUMNS = ("candidate_id", "selected", "score", "sex", "race_ethnicity", "country_of_training")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})


def parse_selected(value: str) -> bool | None:
    key = value.strip().lower()
    if key == "":
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"must be true or false (or 1/0, yes/no), not {value!r}")


def parse_score(value: str) -> float | None:
    if value.strip() == "":
        return None
    try:
        score = float(value)
    except ValueError:
        raise ValueError(f"must be a number, not {value!r}") from None
    if not math.isfinite(score):
        raise ValueError("must be a finite number")
    return score


_PARSERS: dict[str, Callable[[str], Any]] = {
    "selected": parse_selected,
    "score": parse_score,
    "sex": parse_sex,
    "race_ethnicity": parse_race_ethnicity,
    "country_of_training": parse_country_of_training,
}


def read_subjects(stream: TextIO, *, metric: Metric | None = None) -> list[AuditSubject]:
    """Parse CSV text; raises InvalidInputError listing every problem of every row.

    With `metric`, its outcome column (selected or score) must be filled in every row.
    """
    required = {Metric.SELECTION: "selected", Metric.SCORING: "score", None: None}[metric]
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        problems = [f"missing column {c!r}" for c in missing]
        problems += [f"unknown column {c!r}" for c in unknown]
        raise InvalidInputError("bad CSV header: " + "; ".join(problems))
    subjects: list[AuditSubject] = []
    bad: list[RowError] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(reader):
        line = reader.line_num
        errors, values = _parse_row(row)
        if required is not None and values.get(required, False) is None:
            errors.append(FieldError(required, f"is required for a {metric} audit"))
        candidate = (row.get("candidate_id") or "").strip()
        if not candidate:
            errors.append(FieldError("candidate_id", "is required"))
        elif candidate in seen:
            errors.append(FieldError("candidate_id", f"repeats line {seen[candidate]}"))
        else:
            seen[candidate] = line
        if errors:
            bad.append(
                RowError(index=index, line=line, errors=tuple(errors), external_id=candidate)
            )
        else:
            subjects.append(AuditSubject(**values))
    if bad:
        raise InvalidInputError(f"{len(bad)} bad row(s) in the audit CSV", rows=bad)
    return subjects


def _parse_row(row: dict[str, str | None]) -> tuple[list[FieldError], dict[str, Any]]:
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for name, parse in _PARSERS.items():
        try:
            values[name] = parse(row.get(name) or "")
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    return errors, values


def read_subjects_file(path: Path, *, metric: Metric | None = None) -> list[AuditSubject]:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return read_subjects(stream, metric=metric)


def problems_text(error: InvalidInputError) -> Iterable[str]:
    """One line per problem, for the CLI."""
    if not error.rows:
        yield error.detail
    for row in error.rows:
        for problem in row.errors:
            yield f"line {row.line}: {problem.field}: {problem.message}"
