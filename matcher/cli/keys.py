"""CLI: API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from matcher.cli.app import app, open_engine
from matcher.service.keys import Role, create_key, revoke_key
from matcher.store.db import write_session

keys_app = typer.Typer(help="API keys for agencies, hospitals, auditors and admins.")
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option(help="Tenant name: the agency or hospital")],
    role: Annotated[Role, typer.Option(help="What the key may do")],
    label: Annotated[str | None, typer.Option(help="A note to recognise the key by")] = None,
) -> None:
    """Create a key and print it once; only its hash is stored."""
    with write_session(open_engine()) as session:
        issued = create_key(session=session, tenant=tenant, role=role, label=label)
    typer.echo(issued.token)
    typer.echo(f"key id {issued.key_id} for tenant {tenant!r} as {role.value}", err=True)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id (second part)")]) -> None:
    """Revoke a key at once; requests with it answer 401."""
    with write_session(open_engine()) as session:
        revoke_key(session=session, key_id=key_id)
    typer.echo(f"revoked {key_id}")
