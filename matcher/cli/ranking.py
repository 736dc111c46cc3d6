"""CLI: train, rank and evaluate on interchange files alone (no database), and outcome fixtures."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.app import app, fixtures_app

CandidatesOpt = Annotated[Path, typer.Option(help="Candidates file (JSON Lines or CSV)")]
RequisitionsOpt = Annotated[Path, typer.Option(help="Requisitions file (JSON Lines or CSV)")]
OutcomesOpt = Annotated[Path, typer.Option(help="Outcome events file (JSON Lines or CSV)")]
TodayOpt = Annotated[
    str | None,
    typer.Option(help="Date the pathway lead times count from (YYYY-MM-DD); default today"),
]
FoldsOpt = Annotated[
    int, typer.Option(min=2, help="Cross-validation folds, grouped by requisition")
]


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-01-05") from None


@app.command("train")
def train_cmd(
    candidates: CandidatesOpt,
    requisitions: RequisitionsOpt,
    outcomes: OutcomesOpt,
    out: Annotated[Path, typer.Option(help="Model directory to write")],
    folds: FoldsOpt = 5,
    today: TodayOpt = None,
) -> None:
    """Train the learned ranker on placement outcomes and save it as a model directory."""
    from matcher.jobs.offline.training import train_files

    result = train_files(candidates, requisitions, outcomes, out, today=_today(today), folds=folds)
    for name in ("learned", "weighted"):
        m = result.metrics[name]
        typer.echo(f"{name:<9} NDCG@10 {m['ndcg@10']:.4f}  MAP {m['map']:.4f}  (cross-validated)")
    typer.echo(f"model written to {result.directory}")


@app.command("rank")
def rank_cmd(
    candidates: CandidatesOpt,
    requisitions: RequisitionsOpt,
    out: Annotated[Path, typer.Option(help="CSV file to write")],
    model: Annotated[
        Path | None, typer.Option(help="Model directory; default: the weighted score")
    ] = None,
    top_k: Annotated[int, typer.Option(min=1, help="Candidates per requisition")] = 20,
    include_ineligible: Annotated[
        bool, typer.Option(help="Also list ineligible and unknown-eligibility candidates")
    ] = False,
    today: TodayOpt = None,
) -> None:
    """Rank every requisition's candidates and write requisition_id, candidate_id, rank, score,
    eligibility."""
    from matcher.jobs.offline.rank_files import rank_files

    rows = rank_files(
        candidates=candidates,
        requisitions=requisitions,
        out=out,
        top_k=top_k,
        model_dir=model,
        today=_today(today),
        include_ineligible=include_ineligible,
    )
    typer.echo(f"wrote {rows} rows to {out}")


@app.command("evaluate")
def evaluate_cmd(
    candidates: CandidatesOpt,
    requisitions: RequisitionsOpt,
    outcomes: OutcomesOpt,
    folds: FoldsOpt = 5,
    seed: Annotated[int, typer.Option(help="Seed for the random baseline and LightGBM")] = 0,
    lightgbm: Annotated[
        bool, typer.Option(help="Include LightGBM LambdaRank (needs the dev extra)")
    ] = True,
    json_out: Annotated[Path | None, typer.Option(help="Also write the figures as JSON")] = None,
    today: TodayOpt = None,
) -> None:
    """NDCG@5, NDCG@10, MAP and recall@20 on held-out requisitions for random, weighted,
    learned and LightGBM LambdaRank."""
    from matcher.jobs.offline.dataset import (
        labelled_data,
        load_candidates,
        load_outcomes,
        load_requisitions,
    )
    from matcher.jobs.offline.evaluation import evaluate, format_reports, format_targets

    data = labelled_data(
        load_candidates(candidates),
        load_requisitions(requisitions),
        load_outcomes(outcomes),
        today=_today(today),
    )
    reports = evaluate(data, folds=folds, seed=seed, with_lightgbm=lightgbm)
    typer.echo(
        f"{len(data.requisition_ids)} requisitions, {data.y.shape[0]} labelled pairs, "
        f"each requisition held out once (GroupKFold {folds})"
    )
    typer.echo(format_reports(reports))
    typer.echo(format_targets(reports))
    if json_out is not None:
        json_out.write_text(
            json.dumps({k: v.as_dict() for k, v in reports.items()}, indent=2) + "\n"
        )


@fixtures_app.command("outcomes")
def fixtures_outcomes(
    candidates: CandidatesOpt,
    requisitions: RequisitionsOpt,
    out: Annotated[Path, typer.Option(help="Outcome events JSON Lines file to write")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same file")] = 3,
    per_requisition: Annotated[
        int, typer.Option(min=1, help="Candidates submitted per requisition")
    ] = 40,
) -> None:
    """Write synthetic placement outcomes drawn from a hidden utility (for training and tests)."""
    from matcher.jobs.offline.dataset import load_candidates, load_requisitions
    from matcher.synthetic.generator import write_jsonl
    from matcher.synthetic.outcomes import generate_outcomes

    events = generate_outcomes(
        load_candidates(candidates),
        load_requisitions(requisitions),
        seed=seed,
        per_requisition=per_requisition,
    )
    write_jsonl(out, (e.model_dump(mode="json", exclude_none=True) for e in events))
    typer.echo(f"wrote {len(events)} outcome events to {out}")
