"""The `matcher` command line. Thin: each command parses options and calls a plain function."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from matcher.domain.records import RECORD_TYPES
from matcher.logs import configure_logging
from matcher.settings import get_settings

if TYPE_CHECKING:  # the database stack loads only for the commands that use it
    from matcher.store.db import Engine

app = typer.Typer(
    name="matcher",
    help="Match medical imaging professionals with hospital requisitions across borders.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)
ingest_app = typer.Typer(help="Load interchange files (JSON Lines or CSV).", no_args_is_help=True)
fixtures_app = typer.Typer(help="Synthetic sample data.", no_args_is_help=True)
demo_app = typer.Typer(help="The committed demo data set.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(ingest_app, name="ingest")
app.add_typer(fixtures_app, name="fixtures")
app.add_typer(demo_app, name="demo")


@app.callback()
def main_callback() -> None:
    # Before any command: one log format for the whole process, at MATCHER_LOG_LEVEL, on
    # stderr (stdout carries the commands' own output).
    try:
        settings = get_settings()
    except ValidationError as exc:  # e.g. the placeholder pseudonym key outside development
        typer.echo("error: " + "; ".join(e["msg"] for e in exc.errors()), err=True)
        raise typer.Exit(1) from None
    try:
        configure_logging(level=settings.log_level)
    except ValueError as exc:
        typer.echo(f"MATCHER_LOG_LEVEL: {exc}", err=True)
        raise typer.Exit(2) from None


REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO_ROOT / "fixtures" / "sample"


def open_engine() -> Engine:
    from matcher.store.db import make_engine

    return make_engine(get_settings().database_url)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "heads",
) -> None:
    """Create or migrate the database named by MATCHER_DATABASE_URL (default: ./matcher.db)."""
    from matcher.store.db import upgrade

    upgrade(open_engine(), revision)
    typer.echo(f"database at {revision}: {get_settings().database_url}")


@app.command("schema")
def schema(
    kind: Annotated[str, typer.Argument(help="candidate | requisition | outcome")],
) -> None:
    """Print the JSON Schema of one interchange record type."""
    model = RECORD_TYPES.get(kind)
    if model is None:
        typer.echo(f"unknown record type {kind!r}; choose from {', '.join(RECORD_TYPES)}", err=True)
        raise typer.Exit(2)
    typer.echo(json.dumps(model.model_json_schema(), indent=2, sort_keys=True))


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) on the configured database."""
    import uvicorn

    # Named by import string, not imported: nothing in the engine imports the api package.
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="info")


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
