"""CLI: `matcher batch run` and `matcher batch status`, overnight matching at scale."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from matcher.cli.app import app, open_engine
from matcher.errors import MatcherError
from matcher.settings import get_settings
from matcher.store.batch_tables import RUN_PAUSED

batch_app = typer.Typer(
    help="Overnight batch matching: every open requisition against every candidate.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")


class _Pairs(ProgressColumn):
    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text("planning")
        return Text(f"{task.completed:,.0f}/{task.total:,.0f} pairs")


class _PairsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        # Rich's own speed needs several updates; one update per chunk is often too few.
        elapsed = task.elapsed or 0.0
        speed = task.speed or (task.completed / elapsed if elapsed > 0 else None)
        return Text(f"{speed:,.0f} pairs/s" if speed else "- pairs/s")


@batch_app.command("run")
def batch_run(
    run_id: Annotated[
        str | None,
        typer.Option(help="Run id; give an existing one to resume it. Default: batch-<UTC time>"),
    ] = None,
    top_k: Annotated[int, typer.Option(help="Candidates kept per requisition")] = 50,
    per_candidate: Annotated[
        int, typer.Option(help="Requisitions ranked per candidate (top-m)")
    ] = 10,
    workers: Annotated[
        int | None, typer.Option(help="Score on a Dask LocalCluster of N processes")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Score on an existing Dask cluster, tcp://HOST:8786")
    ] = None,
    parquet: Annotated[
        Path | None, typer.Option(help="Also write DIR/<run id>.parquet when done")
    ] = None,
    memory_mib: Annotated[
        int, typer.Option(help="Working memory per chunk (sets the checkpoint size)")
    ] = 64,
    today: Annotated[
        str | None, typer.Option(help="Assessment date YYYY-MM-DD (default: today)")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Override: rank with this saved learned ranker directory, recorded with the "
            "run (default: the active model, else each facility's weights, as the API ranks)"
        ),
    ] = None,
    include_ineligible: Annotated[
        bool, typer.Option(help="Keep ineligible and unknown-eligibility candidates")
    ] = False,
) -> None:
    """Score all open requisitions x all candidates; resumable with the same --run-id.

    Refused while ranking is stopped, and outside development without a pseudonym key.
    """
    from matcher.jobs.overnight import BatchOptions, run_batch
    from matcher.jobs.overnight.runner import BatchProgress

    settings = get_settings()  # checked by the CLI's callback: no placeholder key in production

    try:
        as_of = date.fromisoformat(today) if today else None
    except ValueError:
        typer.echo(f"--today must be YYYY-MM-DD, got {today!r}", err=True)
        raise typer.Exit(2) from None
    options = BatchOptions(
        run_id=run_id,
        top_k=top_k,
        per_candidate=per_candidate,
        workers=workers,
        scheduler=scheduler,
        parquet_dir=parquet,
        memory_mib=memory_mib,
        today=as_of,
        model_dir=model,
        include_ineligible=include_ineligible,
    )
    # Progress and log lines go to stderr (configure_logging, in the `matcher` callback), so
    # stdout carries only the final JSON status.
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        _Pairs(),
        _PairsPerSecond(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    task = progress.add_task("batch", total=None)

    def show(event: BatchProgress) -> None:
        progress.update(
            task,
            description=event.run_id,
            total=event.pairs_total,
            completed=event.pairs_done,
        )

    try:
        with progress:
            status = run_batch(
                open_engine(),
                options,
                on_progress=show,
                pseudonym_key=settings.pseudonym_key,
                models_dir=settings.models_dir,
            )
    except MatcherError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(status.to_dict(), indent=2, sort_keys=True))
    if status.status == RUN_PAUSED:
        typer.echo("paused: ranking is stopped; run again with the same --run-id", err=True)
        raise typer.Exit(3)


@batch_app.command("status")
def batch_status(
    run_id: Annotated[str, typer.Argument(help="The run id printed by `matcher batch run`")],
) -> None:
    """Print a run's progress, counts, timings and content hash as JSON."""
    from matcher.service.batch_runs import batch_run_status

    try:
        status = batch_run_status(engine=open_engine(), run_id=run_id)
    except MatcherError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(status.to_dict(), indent=2, sort_keys=True))
