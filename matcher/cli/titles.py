"""CLI: job-title normalisation (`normalize-titles`) and its evaluation (`evaluate-titles`)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.app import app
from matcher.rules.titles import CONFIDENCE_THRESHOLD, normalise_titles
from matcher.rules.titles.evaluation import (
    DEFAULT_LABELLED,
    EvaluationReport,
    evaluate,
    read_labelled,
)


class SplitChoice(StrEnum):
    TEST = "test"
    TUNE = "tune"
    ALL = "all"


@app.command("normalize-titles")
def normalize_titles(
    file: Annotated[
        Path | None,
        typer.Argument(help="Text file with one job title per line; stdin when left out or '-'"),
    ] = None,
) -> None:
    """Print one JSON object per title: {"title", "occupation", "modalities", "confidence"}.

    The occupation is "unknown" when the best synonym scores below the confidence threshold.
    """
    if file is None or str(file) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = file.read_text(encoding="utf-8").splitlines()
    titles = [line.strip() for line in lines if line.strip()]
    for match in normalise_titles(titles):
        record = {
            "title": match.title,
            "occupation": match.occupation,
            "modalities": list(match.modalities),
            "confidence": match.confidence,
        }
        typer.echo(json.dumps(record, ensure_ascii=False))


@app.command("evaluate-titles")
def evaluate_titles(
    split: Annotated[
        SplitChoice,
        typer.Option(help="Which labelled titles: the untuned test split, tune, or all"),
    ] = SplitChoice.TEST,
    labelled: Annotated[
        Path,
        typer.Option(
            help="Labelled titles CSV (title,language,occupation,modalities,source,split)"
        ),
    ] = DEFAULT_LABELLED,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON")] = False,
    show_errors: Annotated[
        bool,
        typer.Option("--errors", help="Also list the titles it gets wrong (not on the test split)"),
    ] = False,
) -> None:
    """Occupation and modality accuracy on the labelled titles, overall and per language."""
    report = evaluate(read_labelled(labelled), split=split.value)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        typer.echo(_table(report))
    if show_errors:
        if split is SplitChoice.TEST:
            typer.echo(
                "errors are not listed for the test split: it stays unseen while tuning", err=True
            )
            raise typer.Exit(2)
        for row, occupation, modalities in report.errors:
            typer.echo(
                f"{row.language}\t{row.title}\texpected {row.occupation} {list(row.modalities)}"
                f"\tgot {occupation} {list(modalities)}"
            )


def _table(report: EvaluationReport) -> str:
    lines = [
        f"split: {report.split}   confidence threshold: {CONFIDENCE_THRESHOLD}",
        f"{'language':<10}{'titles':>8}{'occupation':>12}{'modality n':>12}{'modality':>10}",
    ]
    rows = [*sorted(report.by_language.items()), ("overall", report.overall)]
    for name, acc in rows:
        lines.append(
            f"{name:<10}{acc.titles:>8}{acc.occupation:>12.1%}{acc.modality_titles:>12}{acc.modality:>10.1%}"
        )
    return "\n".join(lines)
