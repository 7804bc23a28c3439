"""``raikoo secrets``: write, list and delete secrets; values go in and never come out."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from raikoo.options import Output, Profile, Server

app = typer.Typer(
    help="Secrets (templates read them as secrets.NAME). Values are never shown.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Name = Annotated[str, typer.Argument(help="The secret's name")]
Scope = Annotated[
    str,
    typer.Option(
        help="organization (every project's runs read it) or project (the project's own, "
        "read instead of an organization-wide one of the same name)"
    ),
]
Project = Annotated[
    str | None, typer.Option(help="The project (slug) for --scope project [default: the key's]")
]


def _scope(value: str) -> Literal["organization", "project"]:
    if value == "organization":
        return "organization"
    if value == "project":
        return "project"
    raise typer.BadParameter("choose organization or project", param_hint="--scope")


@app.command("set")
def set_secret(
    name: Name,
    scope: Scope = "organization",
    project: Project = None,
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Write a secret. The value is read from stdin when it is piped, else asked for
    without being echoed; it is never an argument (shells keep those in history)."""
    from raikoo.console import say
    from raikoo.remote import client, secret_text

    where = _scope(scope)
    value = secret_text(f"value of {name}")
    with client(server, profile, project) as api:
        api.secrets.set(name, value, scope=where)
    say(f"secret {name} written ({where})")


@app.command("list")
def list_secrets(
    scope: Scope = "organization",
    project: Project = None,
    output: Output = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """The secrets of a scope, by name (never their values)."""
    from raikoo.remote import client, show, table

    where = _scope(scope)
    with client(server, profile, project) as api:
        found = list(api.secrets.list(scope=where))
    if output != "text":
        show(found, output)
        return
    rows = [
        [
            secret.name,
            secret.scope,
            secret.project or "",
            secret.updated_at.isoformat(timespec="seconds") if secret.updated_at else "",
        ]
        for secret in found
    ]
    table(rows, ["NAME", "SCOPE", "PROJECT", "UPDATED"])


@app.command("delete")
def delete_secret(
    name: Name,
    scope: Scope = "organization",
    project: Project = None,
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Delete a secret of a scope."""
    from raikoo.console import say
    from raikoo.remote import client

    where = _scope(scope)
    with client(server, profile, project) as api:
        api.secrets.delete(name, scope=where)
    say(f"secret {name} deleted ({where})")
