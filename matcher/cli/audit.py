"""CLI: bias audits and the decision log (`matcher audit`); the stop switch (`oversight`)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from matcher.audit.decision_log import prune_decision_log, verify_decision_log
from matcher.audit.from_records import audit_from_records
from matcher.audit.impact import Dimension, ImpactReport, Metric, audit_impact
from matcher.audit.oversight import current_ranking_status, set_ranking_stopped
from matcher.audit.subjects_csv import COLUMNS, problems_text, read_subjects_file
from matcher.cli.app import app, open_engine
from matcher.domain.decisions import MIN_RETENTION_DAYS
from matcher.domain.demographics import AUDITOR_ROLE
from matcher.domain.oversight import RankingStatus
from matcher.errors import InvalidInputError
from matcher.settings import get_settings

audit_app = typer.Typer(
    help="Accountability: bias audits and the tamper-evident decision log.", no_args_is_help=True
)
oversight_app = typer.Typer(
    help="Human oversight: the admin stop switch for ranking.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")
app.add_typer(oversight_app, name="oversight")


class DimensionChoice(StrEnum):
    SEX = "sex"
    RACE_ETHNICITY = "race_ethnicity"
    INTERSECTIONAL = "intersectional"
    COUNTRY_OF_TRAINING = "country_of_training"
    ALL = "all"


class StageChoice(StrEnum):
    SHORTLISTED = "shortlisted"
    INTERVIEWED = "interviewed"
    OFFERED = "offered"
    PLACED = "placed"


@audit_app.command("impact")
def impact_cmd(
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            exists=True,
            dir_okay=False,
            help=f"CSV with columns {', '.join(COLUMNS)}",
        ),
    ] = None,
    from_db: Annotated[
        bool,
        typer.Option(
            "--from-db",
            help="Audit the stored outcomes and self-reported demographics instead of a CSV",
        ),
    ] = False,
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
    stage: Annotated[
        StageChoice, typer.Option(help="With --from-db: selected = reached this stage or later")
    ] = StageChoice.SHORTLISTED,
    owner: Annotated[
        str | None, typer.Option(help="With --from-db: only this hospital's requisitions")
    ] = None,
) -> None:
    """Print impact ratios by the NYC Local Law 144 method as JSON (exit 1 on bad input)."""
    chosen = list(Dimension) if dimension is DimensionChoice.ALL else [Dimension(dimension.value)]
    if (input_file is None) == (not from_db):
        typer.echo("give exactly one of --input FILE or --from-db", err=True)
        raise typer.Exit(2)
    try:
        if input_file is not None:
            subjects = read_subjects_file(input_file, metric=metric)
            report = audit_impact(
                subjects, metric=metric, dimensions=chosen, include_small=include_small
            )
        else:
            report = _audit_database(metric, chosen, include_small, stage, owner)
    except InvalidInputError as exc:
        typer.echo(exc.detail, err=True)
        for line in problems_text(exc):
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(report.to_dict(), indent=2))


def _audit_database(
    metric: Metric,
    dimensions: list[Dimension],
    include_small: bool,
    stage: StageChoice,
    owner: str | None,
) -> ImpactReport:
    if metric is not Metric.SELECTION:
        raise InvalidInputError(
            "scores are not stored per candidate: audit scoring rates from a CSV or model card"
        )
    # The command line is an operator's tool, run with database access: an auditor's.
    return audit_from_records(
        engine=open_engine(),
        role=AUDITOR_ROLE,
        stage=stage.value,
        owner=owner,
        dimensions=dimensions,
        include_small=include_small,
    )


@audit_app.command("verify-log")
def verify_log_cmd(
    checkpoint: Annotated[
        str | None,
        typer.Option(
            help="SEQ:HASH of a head recorded earlier outside the database; must still match"
        ),
    ] = None,
) -> None:
    """Recompute the decision log's hash chain; exit 1 naming the first edited or missing record."""
    expected: tuple[int, str] | None = None
    if checkpoint is not None:
        seq, _, digest = checkpoint.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            typer.echo("--checkpoint must be SEQ:HASH, as verify-log prints it", err=True)
            raise typer.Exit(2)
        expected = (int(seq), digest.lower())
    result = verify_decision_log(engine=open_engine(), checkpoint=expected)
    if not result.ok:
        where = f"record {result.broken_seq}" if result.broken_seq is not None else "log"
        typer.echo(f"decision log BROKEN at {where}: {result.problem}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"decision log ok: {result.checked} record(s) verified; "
        f"head {result.head_seq}:{result.head_hash}"
    )


@audit_app.command("prune-log")
def prune_log_cmd(
    older_than_days: Annotated[
        int | None,
        typer.Option(
            min=MIN_RETENTION_DAYS,
            help="Delete records older than this many days (at least "
            f"{MIN_RETENTION_DAYS}); default: MATCHER_DECISION_LOG_RETENTION_DAYS",
        ),
    ] = None,
) -> None:
    """Apply the retention period to the decision log, keeping the rest verifiable."""
    if older_than_days is None:
        older_than_days = get_settings().decision_log_retention_days
    pruned = prune_decision_log(engine=open_engine(), older_than_days=older_than_days)
    typer.echo(f"pruned {pruned} decision-log record(s) older than {older_than_days} days")


ActorOpt = Annotated[str, typer.Option(help="Who is making the change (recorded)")]
ReasonOpt = Annotated[str, typer.Option(help="Why (recorded)")]


@oversight_app.command("stop")
def stop_cmd(actor: ActorOpt, reason: ReasonOpt) -> None:
    """Stop ranking: the API answers with its fallback and batch runs pause at their checkpoint."""
    _set_stop(stopped=True, actor=actor, reason=reason)


@oversight_app.command("resume")
def resume_cmd(actor: ActorOpt, reason: ReasonOpt) -> None:
    """Resume ranking after a stop."""
    _set_stop(stopped=False, actor=actor, reason=reason)


@oversight_app.command("status")
def status_cmd() -> None:
    """Print whether ranking is stopped, by whom, when and why, as JSON."""
    status = current_ranking_status(engine=open_engine())
    typer.echo(json.dumps(_status_dict(status)))


def _set_stop(*, stopped: bool, actor: str, reason: str) -> None:
    try:
        status = set_ranking_stopped(
            engine=open_engine(), stopped=stopped, reason=reason, actor=actor
        )
    except InvalidInputError as exc:
        typer.echo(exc.detail, err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(_status_dict(status)))


def _status_dict(status: RankingStatus) -> dict[str, object]:
    return {
        "stopped": status.stopped,
        "reason": status.reason,
        "changed_by": status.changed_by,
        "changed_at": status.changed_at.isoformat() if status.changed_at else None,
    }
