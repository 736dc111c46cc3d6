"""CLI: bias audits (`matcher audit impact`)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from matcher.audit.impact import Dimension, Metric, audit_impact
from matcher.audit.subjects_csv import COLUMNS, problems_text, read_subjects_file
from matcher.cli import app
from matcher.errors import InvalidInputError

audit_app = typer.Typer(
    help="Accountability: bias audits and the tamper-evident decision log.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")


class DimensionChoice(StrEnum):
    SEX = "sex"
    RACE_ETHNICITY = "race_ethnicity"
    INTERSECTIONAL = "intersectional"
    COUNTRY_OF_TRAINING = "country_of_training"
    ALL = "all"


@audit_app.command("impact")
def impact_cmd(
    input_file: Annotated[
        Path,
        typer.Option(
            "--input",
            exists=True,
            dir_okay=False,
            help=f"CSV with columns {', '.join(COLUMNS)}",
        ),
    ],
    metric: Annotated[
        Metric,
        typer.Option(help="selection: selected / applicants; scoring: share above the median"),
    ] = Metric.SELECTION,
    include_small: Annotated[
        bool,
        typer.Option(
            "--include-small",
            help="Keep categories under 2% of the data in the impact ratios",
        ),
    ] = False,
    dimension: Annotated[
        DimensionChoice, typer.Option(help="Which breakdown to report")
    ] = DimensionChoice.ALL,
) -> None:
    """Print impact ratios by the NYC Local Law 144 method as JSON (exit 1 on bad input)."""
    chosen = list(Dimension) if dimension is DimensionChoice.ALL else [Dimension(dimension.value)]
    try:
        subjects = read_subjects_file(input_file, metric=metric)
        report = audit_impact(
            subjects, metric=metric, dimensions=chosen, include_small=include_small
        )
    except InvalidInputError as exc:
        typer.echo(exc.detail, err=True)
        for line in problems_text(exc):
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(report.to_dict(), indent=2))
