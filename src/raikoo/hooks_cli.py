"""``raikoo hooks``: inbound webhooks that start runs (create, list, rotate, disable, delete)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from raikoo.options import Output, Profile, Server

app = typer.Typer(
    help="Inbound webhooks: signed POSTs that start runs of a workflow.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

HookId = Annotated[str, typer.Argument(help="The hook's id (see `hooks list`)")]


@app.command("list")
def list_hooks(output: Output = "text", server: Server = None, profile: Profile = None) -> None:
    """The project's hooks: id, name, workflow, state, URL."""
    from raikoo.remote import client, show, table

    with client(server, profile) as api:
        found = list(api.hooks.list())
    if output != "text":
        show(found, output)
        return
    rows = [
        [
            str(hook.id),
            hook.name,
            hook.workflow + (f" v{hook.version}" if hook.version else ""),
            "enabled" if hook.enabled else "disabled",
            hook.url,
        ]
        for hook in found
    ]
    table(rows, ["ID", "NAME", "WORKFLOW", "STATE", "URL"])


@app.command("create")
def create_hook(
    name: Annotated[str, typer.Argument(help="A name for the hook")],
    workflow: Annotated[str, typer.Argument(help="The stored workflow its calls start")],
    version: Annotated[
        int | None, typer.Option(help="Pin a version (default: the latest at each call)")
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            help='Inputs from the call, as JSON: {"input": "{{ body.field }}"} (default: the '
            "JSON body's fields are the inputs)"
        ),
    ] = None,
    output: Output = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Create a hook. Prints its secret (whsec_…) on stdout, once: senders sign with it."""
    from raikoo.console import say
    from raikoo.remote import client, show

    try:
        fields = json.loads(mapping) if mapping is not None else None
    except ValueError as exc:
        raise typer.BadParameter(f"not JSON: {exc}", param_hint="--mapping") from None
    with client(server, profile) as api:
        made = api.hooks.create(name, workflow, version=version, mapping=fields)
    if output != "text":
        show(made, output)
        return
    sys.stdout.write(f"{made.secret}\n")
    say(f"hook {made.id} ({made.name}) starts {made.workflow}: POST {made.url}")


@app.command("rotate-secret")
def rotate_secret(hook_id: HookId, server: Server = None, profile: Profile = None) -> None:
    """A new secret (printed once); the old one stays valid for a day."""
    from raikoo.console import say
    from raikoo.remote import client

    with client(server, profile) as api:
        made = api.hooks.rotate_secret(hook_id)
    sys.stdout.write(f"{made.secret}\n")
    until = made.previous_secret_expires_at
    say(f"the previous secret is accepted until {until.isoformat() if until else '-'}")


def _switch(enabled: bool, help_text: str) -> None:
    def command(hook_id: HookId, server: Server = None, profile: Profile = None) -> None:
        from raikoo.console import say
        from raikoo.remote import client

        with client(server, profile) as api:
            hook = api.hooks.update(hook_id, enabled=enabled)
        say(f"hook {hook.id} ({hook.name}) {'enabled' if hook.enabled else 'disabled'}")

    command.__doc__ = help_text
    app.command("enable" if enabled else "disable")(command)


_switch(True, "Accept calls again.")
_switch(False, "Refuse calls (404) until enabled.")


@app.command("delete")
def delete_hook(hook_id: HookId, server: Server = None, profile: Profile = None) -> None:
    """Delete a hook (the runs it started stay)."""
    from raikoo.console import say
    from raikoo.remote import client

    with client(server, profile) as api:
        api.hooks.delete(hook_id)
    say(f"deleted hook {hook_id}")
