"""``raikoo keys``: API keys of the organization, and new random keys for bootstrapping."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated, cast

import typer

from raikoo.options import Output, Profile, Server

app = typer.Typer(help="API keys.", no_args_is_help=True, rich_markup_mode=None)


@app.command("generate")
def generate() -> None:
    """Print a new random API key, for RAIKOO_BOOTSTRAP_ADMIN_KEY (a gateway makes it the
    first owner key of its default organization). Contacts no server; keys for an
    installation that runs are made with raikoo keys create."""
    from raikoo_gateway.auth.keys import new_key

    typer.echo(new_key().value)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the key is for (ci-deploy, …)")],
    role: Annotated[
        str, typer.Option(help="viewer, editor, admin or owner (at most your own)")
    ] = "editor",
    project: Annotated[str | None, typer.Option(help="Bind the key to this project (slug)")] = None,
    expires_at: Annotated[
        datetime | None, typer.Option(help="When it stops working (ISO 8601)")
    ] = None,
    output: Output = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Create an API key. The key is printed once, on stdout; only its prefix is kept."""
    from raikoo.console import say
    from raikoo.remote import client, show
    from raikoo_common.roles import ROLE_RANK, Role

    if role not in ROLE_RANK:
        raise typer.BadParameter("choose viewer, editor, admin or owner", param_hint="--role")
    with client(server, profile) as api:
        created = api.keys.create(name, cast("Role", role), project=project, expires_at=expires_at)
    if output != "text":
        show(created, output)
        return
    sys.stdout.write(created.key + "\n")
    say(f"key {created.name} ({created.role}, id {created.id}): shown this once, keep it safe")


@app.command("list")
def list_keys(output: Output = "text", server: Server = None, profile: Profile = None) -> None:
    """The organization's keys (their prefixes, never the keys)."""
    from raikoo.remote import client, show, table

    with client(server, profile) as api:
        keys = list(api.keys.list())
    if output != "text":
        show(keys, output)
        return

    def when(at: datetime | None) -> str:
        return at.isoformat(timespec="seconds") if at else ""

    rows = [
        [
            str(key.id),
            key.name,
            key.role,
            key.prefix,
            key.project or "",
            when(key.expires_at),
            "revoked" if key.revoked_at else "active",
        ]
        for key in keys
    ]
    table(rows, ["ID", "NAME", "ROLE", "PREFIX", "PROJECT", "EXPIRES", "STATUS"])


@app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (raikoo keys list)")],
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Revoke a key: refused at once."""
    from raikoo.console import say
    from raikoo.remote import client

    with client(server, profile) as api:
        api.keys.revoke(key_id)
    say(f"key {key_id} revoked")
