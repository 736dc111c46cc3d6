"""CLI: ingestion, sample data and the demo data set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.app import SAMPLE_DIR, demo_app, fixtures_app, ingest_app, open_engine
from matcher.domain.records import CandidateRecord, OutcomeRecord, RequisitionRecord
from matcher.service.ingest import (
    IngestReport,
    ingest_candidates,
    ingest_outcomes,
    ingest_requisitions,
    read_rows,
)
from matcher.service.keys import IssuedKey, Role, create_key, revoke_keys_labelled
from matcher.settings import get_settings
from matcher.store.db import Session, write_session

FileArg = Annotated[
    Path, typer.Argument(help="JSON Lines (.jsonl) or CSV (.csv) file; - for stdin")
]
HospitalOpt = Annotated[str, typer.Option(help="Hospital tenant that owns the requisitions")]
DEFAULT_HOSPITAL = "demo-hospital"
DEFAULT_AGENCY = "demo-agency"


def _print_report(report: IngestReport) -> None:
    typer.echo(
        f"{report.kind}s: {report.total} read, {report.inserted} inserted, "
        f"{report.updated} updated, {report.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    for row in report.rejected:
        for err in row.errors:
            typer.echo(f"  line {row.line}: {err.field}: {err.message}", err=True)


def _finish(report: IngestReport) -> None:
    _print_report(report)
    if report.rejected:
        raise typer.Exit(1)


@ingest_app.command("candidates")
def ingest_candidates_cmd(
    file: FileArg,
    agency: Annotated[str, typer.Option(help="Agency that submits these candidates")],
) -> None:
    """Validate and upsert candidates by (agency, external_id); bad rows are named and skipped."""
    rows = read_rows(file, CandidateRecord)
    key = get_settings().pseudonym_key  # to check the erasure ledger, as the API does
    with write_session(open_engine()) as session:
        report = ingest_candidates(session=session, agency=agency, rows=rows, pseudonym_key=key)
    _finish(report)


@ingest_app.command("requisitions")
def ingest_requisitions_cmd(file: FileArg, hospital: HospitalOpt = DEFAULT_HOSPITAL) -> None:
    """Validate and upsert requisitions by (hospital, external_id)."""
    rows = read_rows(file, RequisitionRecord)
    with write_session(open_engine()) as session:
        report = ingest_requisitions(session=session, owner=hospital, rows=rows)
    _finish(report)


@ingest_app.command("outcomes")
def ingest_outcomes_cmd(file: FileArg, hospital: HospitalOpt = DEFAULT_HOSPITAL) -> None:
    """Record placement-pipeline stages for (requisition, candidate) pairs."""
    rows = read_rows(file, OutcomeRecord)
    with write_session(open_engine()) as session:
        report = ingest_outcomes(session=session, owner=hospital, rows=rows)
    _finish(report)


@fixtures_app.command("generate")
def fixtures_generate(
    out: Annotated[Path, typer.Option(help="Directory to write the JSONL files into")] = Path(
        "out/fixtures"
    ),
    candidates: Annotated[int, typer.Option(min=0, help="How many candidates")] = 200,
    requisitions: Annotated[int, typer.Option(min=0, help="How many requisitions")] = 30,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files")] = 7,
) -> None:
    """Write realistic synthetic candidates.jsonl and requisitions.jsonl."""
    from matcher.synthetic.generator import write_fixtures

    paths = write_fixtures(out, n_candidates=candidates, n_requisitions=requisitions, seed=seed)
    for path in paths:
        typer.echo(f"wrote {path}")


@demo_app.command("load")
def demo_load(
    directory: Annotated[
        Path, typer.Option(help="Directory holding the sample files")
    ] = SAMPLE_DIR,
) -> None:
    """Load the committed sample data (idempotent: loading twice changes nothing)."""
    with write_session(open_engine()) as session:
        reports = [
            ingest_candidates(
                session=session,
                agency=DEFAULT_AGENCY,
                rows=read_rows(directory / "candidates.jsonl", CandidateRecord),
                pseudonym_key=get_settings().pseudonym_key,
            ),
            ingest_requisitions(
                session=session,
                owner=DEFAULT_HOSPITAL,
                rows=read_rows(directory / "requisitions.jsonl", RequisitionRecord),
            ),
        ]
        keys = _fresh_demo_keys(session)
    for report in reports:
        _print_report(report)
    typer.echo("\nDemo API keys (new on every load; the previous demo keys are revoked):")
    for issued in keys:
        typer.echo(f"  {issued.role.value:<9} {issued.tenant:<14} {issued.token}")


DEMO_KEY_LABEL = "demo"


def _fresh_demo_keys(session: Session) -> list[IssuedKey]:
    revoke_keys_labelled(session=session, label=DEMO_KEY_LABEL)
    tenants = {
        Role.AGENCY: DEFAULT_AGENCY,
        Role.HOSPITAL: DEFAULT_HOSPITAL,
        Role.AUDITOR: "demo-auditor",
        Role.ADMIN: "demo-admin",
    }
    return [
        create_key(session=session, tenant=tenant, role=role, label=DEMO_KEY_LABEL)
        for role, tenant in tenants.items()
    ]
