"""The ``raikoo`` command line.

Only typer is imported up front: each command imports what it needs (embedded mode loads
every service, validation the kinds' schemas), so ``raikoo --help`` answers at once. Help
texts are plain text, not rich markup, which would swallow ``[default: …]``.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Annotated, Any

import typer

from raikoo import dead_letters, hooks_cli, keys_cli, login, runs_cli, schedules_cli, secrets_cli
from raikoo.exit_codes import HELP as EXIT_CODES
from raikoo.exit_codes import Exit
from raikoo.options import Profile, Server
from raikoo.output import OutputFormat

app = typer.Typer(
    help="Raikoo: durable AI workflow automation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True, rich_markup_mode=None)
workflows_app = typer.Typer(
    help="Stored workflow definitions.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(db_app, name="db")
app.add_typer(dead_letters.app, name="dead-letters")
app.add_typer(workflows_app, name="workflows")
app.add_typer(keys_cli.app, name="keys")
app.add_typer(runs_cli.app, name="runs")
app.add_typer(secrets_cli.app, name="secrets")
app.add_typer(schedules_cli.app, name="schedules")
app.add_typer(hooks_cli.app, name="hooks")

SERVICES = {
    "gateway": "raikoo_gateway",
    "scheduler": "raikoo_scheduler",
    "op-runner": "raikoo_op_runner",
    "ai-runner": "raikoo_ai_runner",
    "secrets-proxy": "raikoo_secrets_proxy",
}

DataDir = Annotated[
    Path | None,
    typer.Option(
        help="Where in-process Raikoo keeps its database and its local admin key (sent to "
        "a Raikoo on this machine) [default: ~/.raikoo]"
    ),
]
Definition = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, readable=True, help="Workflow definition (YAML or JSON)"
    ),
]


def _run(main: Any) -> Exit:
    import asyncio

    from raikoo_common.event_loop import run as run_loop

    try:
        code: Exit = run_loop(main)
    except (asyncio.CancelledError, KeyboardInterrupt):
        return Exit.CANCELLED  # interrupted before it had anything to cancel
    return code


@app.command()
def up(
    host: Annotated[str, typer.Option(help="Interface to serve the API on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve the API on")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Run Raikoo in ONE process: API, scheduler and runners, SQLite, in-memory bus.

    Logs a line when a run starts and when it ends. Exits 3 when another Raikoo process
    holds the data directory.
    """
    from raikoo.serving import serve

    raise typer.Exit(_run(serve(host, port, data_dir)))


def parse_inputs(pairs: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"{pair!r}: write inputs as name=value", param_hint="--input")
        inputs[name.strip()] = value
    return inputs


@app.command(epilog=EXIT_CODES)
def run(
    file: Definition,
    input_: Annotated[
        list[str] | None, typer.Option("--input", "-i", help="An input as name=value (repeatable)")
    ] = None,
    watch: Annotated[bool, typer.Option(help="Show each operation's progress live")] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="AI operations return their mock (or one made from their output schema) "
            "and tools theirs: no model or tool is called",
        ),
    ] = False,
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--output", "-o", help="How to print the outputs: json, yaml or text (key: value)"
        ),
    ] = "json",
    server: Server = None,
    profile: Profile = None,
    data_dir: DataDir = None,
) -> None:
    """Run a workflow and print its outputs; the exit code tells how it ended.

    Uses the server at --server when one answers there, otherwise starts Raikoo in-process.
    Workflows it calls (workflow.call) that are defined in files beside it are stored
    first.
    """
    from raikoo.credentials import server_for
    from raikoo.running import prepare_run, run_file

    inputs = parse_inputs(input_ or [])
    url = server_for(server, profile)
    request = prepare_run(
        file,
        inputs=inputs,
        watch=watch,
        server=url,
        data_dir=data_dir,
        output=output,
        dry_run=dry_run,
    )
    raise typer.Exit(_run(run_file(request)))


@app.command()
def approve(
    run_id: Annotated[str, typer.Argument(help="The waiting run")],
    op_key: Annotated[str, typer.Argument(help="The wait.approval operation")],
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of approve")] = False,
    comment: Annotated[str | None, typer.Option(help="Why; recorded with the decision")] = None,
    server: Server = None,
    profile: Profile = None,
    data_dir: DataDir = None,
) -> None:
    """Approve (or reject) an operation that waits for a decision."""
    from raikoo.credentials import server_for
    from raikoo.deciding import decide

    decided = decide(
        server_for(server, profile),
        run_id,
        op_key,
        reject=reject,
        comment=comment,
        data_dir=data_dir,
    )
    raise typer.Exit(_run(decided))


@app.command()
def validate(file: Definition, server: Server = None, profile: Profile = None) -> None:
    """Check a workflow definition without running it; lists every problem with its path.

    Workflows it calls must be defined beside it or stored on the server at --server
    (asked only when one answers and a called workflow is not beside the file).
    Exits 2 when it is invalid.
    """
    from raikoo.credentials import server_for
    from raikoo.validating import validate_file

    raise typer.Exit(validate_file(file, server_for(server, profile)))


@workflows_app.command("push")
def workflows_push(
    files: Annotated[
        list[Path],
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="Workflow definitions to store"
        ),
    ],
    server: Server = None,
    profile: Profile = None,
    data_dir: DataDir = None,
) -> None:
    """Store definitions as new versions of their workflows (POST /v1/workflows).

    A definition identical to its workflow's latest version stores nothing. Without a
    server at --server, they are stored in the data directory, where in-process runs find
    them. Exits 2 when one is invalid (the others are stored).
    """
    from raikoo.credentials import server_for
    from raikoo.running import Definition, push_files

    definitions = [Definition.read(path) for path in files]
    raise typer.Exit(_run(push_files(definitions, server_for(server, profile), data_dir)))


@app.command()
def apply(
    files: Annotated[
        list[Path],
        typer.Option(
            "--file",
            "-f",
            exists=True,
            readable=True,
            help="A definition, or a directory of them (*.yaml, *.yml, *.json, recursively)",
        ),
    ],
    server: Server = None,
    profile: Profile = None,
    data_dir: DataDir = None,
) -> None:
    """Make the stored workflows match these files: a new version only for a definition that
    changed, so applying a git checkout again changes nothing.

    Exits 2 when a definition is invalid (it says where; the valid ones are stored, and
    applying again once it is fixed stores just the rest).
    """
    from raikoo.credentials import server_for
    from raikoo.running import Definition, definition_files, push_files

    found = definition_files(files)
    if not found:
        raise typer.BadParameter("no *.yaml, *.yml or *.json file there", param_hint="--file")
    definitions = [Definition.read(p) for p in found]
    raise typer.Exit(_run(push_files(definitions, server_for(server, profile), data_dir)))


@app.command()
def service(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}")],
) -> None:
    """Run one service as its own process (distributed mode; configured by RAIKOO_* env)."""
    module = SERVICES.get(name)
    if module is None:
        raise typer.BadParameter(f"unknown service {name!r}; choose one of {', '.join(SERVICES)}")
    runpy.run_module(module, run_name="__main__", alter_sys=True)


@db_app.command("upgrade")
def db_upgrade(
    database_url: Annotated[str | None, typer.Option(envvar="RAIKOO_DATABASE_URL")] = None,
) -> None:
    """Upgrade the database schema to the latest revision."""
    import asyncio

    from raikoo.console import say
    from raikoo_common.db import create_engine
    from raikoo_common.db.migrate import current_revision, upgrade
    from raikoo_common.settings import ServiceSettings

    settings = ServiceSettings(database_url=database_url or "")

    async def go() -> str | None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings.resolved_database_url())
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    say(f"database at revision {asyncio.run(go())}")


app.command()(login.login)
app.command()(login.logout)


def main() -> None:
    app()
