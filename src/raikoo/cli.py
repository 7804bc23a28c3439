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

from raikoo import dead_letters
from raikoo.exit_codes import HELP as EXIT_CODES
from raikoo.exit_codes import Exit
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
keys_app = typer.Typer(help="API keys.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(keys_app, name="keys")
schedules_app = typer.Typer(
    help="Cron schedules of stored workflows.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(schedules_app, name="schedules")

SERVICES = {
    "gateway": "raikoo_gateway",
    "scheduler": "raikoo_scheduler",
    "op-runner": "raikoo_op_runner",
    "ai-runner": "raikoo_ai_runner",
    "secrets-proxy": "raikoo_secrets_proxy",
}
DEFAULT_SERVER = "http://127.0.0.1:8000"

DataDir = Annotated[
    Path | None,
    typer.Option(
        help="Where in-process Raikoo keeps its database and its local admin key (sent to "
        "a Raikoo on this machine) [default: ~/.raikoo]"
    ),
]
Server = Annotated[
    str,
    typer.Option(envvar="RAIKOO_SERVER_URL", help="The API to use when one answers there"),
]
Output = Annotated[
    OutputFormat,
    typer.Option(
        "--output", "-o", help="How to print the outputs: json, yaml or text (key: value)"
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


def _parse_inputs(pairs: list[str]) -> dict[str, Any]:
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
    output: Output = "json",
    server: Server = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Run a workflow and print its outputs; the exit code tells how it ended.

    Uses the server at --server when one answers there, otherwise starts Raikoo in-process.
    Workflows it calls (workflow.call) that are defined in files beside it are stored
    first.
    """
    from raikoo.running import prepare_run, run_file

    inputs = _parse_inputs(input_ or [])
    request = prepare_run(
        file, inputs=inputs, watch=watch, server=server, data_dir=data_dir, output=output
    )
    raise typer.Exit(_run(run_file(request)))


@app.command(epilog=EXIT_CODES)
def retry(
    run_id: Annotated[str, typer.Argument(help="The failed (or cancelled) run")],
    watch: Annotated[bool, typer.Option(help="Show each operation's progress live")] = False,
    output: Output = "json",
    server: Annotated[
        str, typer.Option(envvar="RAIKOO_SERVER_URL", help="The API the run is on")
    ] = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Retry a failed run: the results of its succeeded operations are reused, what failed
    and what depends on it runs again. Prints the new run's outputs."""
    from raikoo.running import retry_run

    retried = retry_run(run_id, watch=watch, output=output, server=server, data_dir=data_dir)
    raise typer.Exit(_run(retried))


@app.command()
def approve(
    run_id: Annotated[str, typer.Argument(help="The waiting run")],
    op_key: Annotated[str, typer.Argument(help="The wait.approval operation")],
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of approve")] = False,
    comment: Annotated[str | None, typer.Option(help="Why; recorded with the decision")] = None,
    server: Annotated[
        str, typer.Option(envvar="RAIKOO_SERVER_URL", help="The API the run is on")
    ] = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Approve (or reject) an operation that waits for a decision."""
    from raikoo.deciding import decide

    decided = decide(server, run_id, op_key, reject=reject, comment=comment, data_dir=data_dir)
    raise typer.Exit(_run(decided))


@app.command()
def validate(file: Definition, server: Server = DEFAULT_SERVER) -> None:
    """Check a workflow definition without running it; lists every problem with its path.

    Workflows it calls must be defined beside it or stored on the server at --server
    (asked only when one answers and a called workflow is not beside the file).
    Exits 2 when it is invalid.
    """
    from raikoo.validating import validate_file

    raise typer.Exit(validate_file(file, server))


@workflows_app.command("push")
def workflows_push(
    files: Annotated[
        list[Path],
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="Workflow definitions to store"
        ),
    ],
    server: Server = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Store definitions as new versions of their workflows (POST /v1/workflows).

    A definition identical to its workflow's latest version stores nothing. Without a
    server at --server, they are stored in the data directory, where in-process runs find
    them. Exits 2 when one is invalid (the others are stored).
    """
    from raikoo.running import Definition, push_files

    definitions = [Definition.read(path) for path in files]
    raise typer.Exit(_run(push_files(definitions, server, data_dir)))


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
    server: Server = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Make the stored workflows match these files: a new version only for a definition that
    changed, so applying a git checkout again changes nothing.

    Exits 2 when a definition is invalid (it says where; the valid ones are stored, and
    applying again once it is fixed stores just the rest).
    """
    from raikoo.running import Definition, definition_files, push_files

    found = definition_files(files)
    if not found:
        raise typer.BadParameter("no *.yaml, *.yml or *.json file there", param_hint="--file")
    raise typer.Exit(_run(push_files([Definition.read(p) for p in found], server, data_dir)))


ScheduleId = Annotated[str, typer.Argument(help="The schedule's id (see `schedules list`)")]


@schedules_app.command("list")
def schedules_list(
    workflow: Annotated[str | None, typer.Option(help="Only this workflow's schedules")] = None,
    server: Server = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """The project's schedules, newest first: id, workflow, cron, time zone, next tick."""
    from raikoo.scheduling import list_schedules

    raise typer.Exit(_run(list_schedules(server, data_dir, workflow)))


@schedules_app.command("create", epilog=EXIT_CODES)
def schedules_create(
    workflow: Annotated[str, typer.Argument(help="A stored workflow's name")],
    cron: Annotated[str, typer.Argument(help="5 fields, e.g. '0 9 * * 1-5'")],
    timezone: Annotated[str, typer.Option(help="An IANA time zone")] = "UTC",
    input_: Annotated[
        list[str] | None, typer.Option("--input", "-i", help="An input as name=value (repeatable)")
    ] = None,
    version: Annotated[
        int | None, typer.Option(help="Pin a version (default: the latest at each tick)")
    ] = None,
    missed: Annotated[
        str, typer.Option(help="Missed ticks: skip, or catch_up (the latest --max-catch-up)")
    ] = "skip",
    max_catch_up: Annotated[int, typer.Option(help="Missed ticks caught up at most")] = 10,
    paused: Annotated[bool, typer.Option("--paused", help="Create it paused")] = False,
    server: Server = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Run WORKFLOW at each tick of CRON; prints the schedule's id."""
    from raikoo.scheduling import create_schedule

    body: dict[str, Any] = {
        "workflow": workflow,
        "cron": cron,
        "timezone": timezone,
        "inputs": _parse_inputs(input_ or []),
        "missed": missed,
        "max_catch_up": max_catch_up,
        "enabled": not paused,
    }
    if version is not None:
        body["version"] = version
    raise typer.Exit(_run(create_schedule(server, data_dir, body)))


def _schedule_action(action: str, help_text: str) -> None:
    def command(
        schedule_id: ScheduleId, server: Server = DEFAULT_SERVER, data_dir: DataDir = None
    ) -> None:
        from raikoo.scheduling import act

        raise typer.Exit(_run(act(server, data_dir, schedule_id, action)))

    command.__doc__ = help_text
    schedules_app.command(action)(command)


_schedule_action("pause", "Stop a schedule firing until it is resumed.")
_schedule_action("resume", "Fire again, from the next tick after now.")
_schedule_action("delete", "Delete a schedule (the runs it started stay).")


@keys_app.command("generate")
def keys_generate() -> None:
    """Print a new random API key, for RAIKOO_BOOTSTRAP_ADMIN_KEY (a gateway makes it the
    first owner key of its default organization). Contacts no server; keys for an
    installation that runs are made with POST /v1/keys."""
    from raikoo_gateway.auth.keys import new_key

    typer.echo(new_key().value)


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


def main() -> None:
    app()
