"""Accuracy of the title normaliser on the labelled titles (fixtures/titles/labelled.csv)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from matcher.domain.codes import Modality, Occupation
from matcher.errors import DataFileError
from matcher.rules import FIXTURES_DIR
from matcher.rules.titles.normaliser import UNKNOWN, normalise_titles

DEFAULT_LABELLED = FIXTURES_DIR / "titles" / "labelled.csv"
COLUMNS = ("title", "language", "occupation", "modalities", "source", "split")
Split = Literal["tune", "test", "all"]


@dataclass(frozen=True)
class LabelledTitle:
    title: str
    language: str
    occupation: str
    modalities: tuple[str, ...]
    source: str
    split: str


@dataclass(frozen=True)
class Accuracy:
    titles: int
    occupation: float  # share of titles whose occupation (or "unknown") is right
    modality_titles: int
    modality: float  # share of known-occupation titles whose modality set is exactly right


@dataclass(frozen=True)
class EvaluationReport:
    split: str
    overall: Accuracy
    by_language: dict[str, Accuracy]
    errors: tuple[tuple[LabelledTitle, str, tuple[str, ...]], ...]

    def as_dict(self) -> dict[str, object]:
        def acc(a: Accuracy) -> dict[str, object]:
            return {
                "titles": a.titles,
                "occupation_accuracy": round(a.occupation, 4),
                "modality_titles": a.modality_titles,
                "modality_accuracy": round(a.modality, 4),
            }

        return {
            "split": self.split,
            "overall": acc(self.overall),
            "by_language": {lang: acc(a) for lang, a in sorted(self.by_language.items())},
        }


def read_labelled(path: Path = DEFAULT_LABELLED) -> list[LabelledTitle]:
    """Read and check the labelled titles; every bad row is reported at once."""
    occupations = {o.value for o in Occupation} | {UNKNOWN}
    modalities = {m.value for m in Modality}
    problems: list[str] = []
    rows: list[LabelledTitle] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DataFileError(str(path), [f"columns must be {', '.join(COLUMNS)}"])
        for line, row in enumerate(reader, start=2):
            mods = tuple(m for m in row["modalities"].split("|") if m)
            if not row["title"].strip():
                problems.append(f"line {line}: empty title")
            if row["occupation"] not in occupations:
                problems.append(f"line {line}: unknown occupation {row['occupation']!r}")
            if bad := [m for m in mods if m not in modalities]:
                problems.append(f"line {line}: unknown modalities {bad}")
            if row["occupation"] == UNKNOWN and mods:
                problems.append(f"line {line}: an unknown occupation has no modalities")
            if row["split"] not in {"tune", "test"}:
                problems.append(f"line {line}: split must be tune or test")
            if not row["source"].strip():
                problems.append(f"line {line}: no source")
            rows.append(
                LabelledTitle(
                    row["title"],
                    row["language"],
                    row["occupation"],
                    mods,
                    row["source"],
                    row["split"],
                )
            )
    if problems:
        raise DataFileError(str(path), problems)
    return rows


def evaluate(rows: Sequence[LabelledTitle], *, split: Split = "test") -> EvaluationReport:
    """Occupation and modality accuracy on one split, overall and per language."""
    chosen = [r for r in rows if split == "all" or r.split == split]
    predicted = normalise_titles([r.title for r in chosen])
    outcomes = [
        (row, p.occupation == row.occupation, set(p.modalities) == set(row.modalities), p)
        for row, p in zip(chosen, predicted, strict=True)
    ]
    by_language: dict[str, Accuracy] = {}
    for language in sorted({r.language for r in chosen}):
        by_language[language] = _accuracy([o for o in outcomes if o[0].language == language])
    errors = tuple(
        (row, p.occupation, p.modalities)
        for row, occ_ok, mod_ok, p in outcomes
        if not occ_ok or (row.occupation != UNKNOWN and not mod_ok)
    )
    return EvaluationReport(split, _accuracy(outcomes), by_language, errors)


def _accuracy(outcomes: Sequence[tuple[LabelledTitle, bool, bool, object]]) -> Accuracy:
    known = [o for o in outcomes if o[0].occupation != UNKNOWN]
    return Accuracy(
        titles=len(outcomes),
        occupation=sum(o[1] for o in outcomes) / len(outcomes) if outcomes else 0.0,
        modality_titles=len(known),
        modality=sum(o[2] for o in known) / len(known) if known else 0.0,
    )
