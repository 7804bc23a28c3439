"""The ``raikoo`` command line."""

from __future__ import annotations

import asyncio
import json
import re
import runpy
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

from raikoo.client import ApiError, RaikooClient, server_alive
from raikoo.embedded import DataDirInUse, EmbeddedRaikoo
from raikoo.progress import Progress
from raikoo_common.logging import configure_logging
from raikoo_common.runtime import run as run_loop
from raikoo_common.workflow import DefinitionInvalid, load_definition

app = typer.Typer(
    help="Raikoo: durable AI workflow automation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
err = Console(stderr=True)

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_CANCELLED = 0, 1, 2, 130
SERVICES = {
    "gateway": "raikoo_gateway",
    "scheduler": "raikoo_scheduler",
    "op-runner": "raikoo_op_runner",
    "ai-runner": "raikoo_ai_runner",
    "secrets-proxy": "raikoo_secrets_proxy",
}
DEFAULT_SERVER = "http://127.0.0.1:8000"

DataDir = Annotated[
    Path | None, typer.Option(help="Where embedded mode keeps its database [default: ~/.raikoo]")
]


@app.command()
def up(
    host: Annotated[str, typer.Option(help="Interface to serve the API on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve the API on")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Run Raikoo in ONE process: API, scheduler and runners, SQLite, in-memory bus."""
    configure_logging()

    async def serve() -> None:
        from raikoo_common.runtime import until_signalled

        raikoo = EmbeddedRaikoo(data_dir=data_dir, host=host, port=port)
        try:
            url = await raikoo.start()
        except DataDirInUse as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(EXIT_FAILED) from None
        err.print(f"Raikoo is up at [bold]{url}[/] (API docs: {url}/docs). Ctrl-C stops it.")
        try:
            await until_signalled()
        finally:
            await raikoo.stop()

    run_loop(serve())


def _parse_inputs(pairs: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"{pair!r}: write inputs as name=value", param_hint="--input")
        inputs[name.strip()] = value
    return inputs


@app.command()
def run(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="Workflow definition (YAML or JSON)"
        ),
    ],
    input_: Annotated[
        list[str] | None, typer.Option("--input", "-i", help="An input as name=value (repeatable)")
    ] = None,
    watch: Annotated[bool, typer.Option(help="Show each operation's progress live")] = False,
    server: Annotated[
        str, typer.Option(envvar="RAIKOO_SERVER_URL", help="API to use when it is running")
    ] = DEFAULT_SERVER,
    data_dir: DataDir = None,
) -> None:
    """Run a workflow and print its outputs as JSON; the exit code tells how it ended.

    Uses the server at --server when one answers there, otherwise starts Raikoo in-process.
    Exit codes: 0 succeeded, 1 failed, 2 invalid definition or inputs, 130 cancelled.
    """
    text = file.read_text(encoding="utf-8")
    inputs = _parse_inputs(input_ or [])
    code = run_loop(_run(text, str(file), inputs, watch, server, data_dir))
    raise typer.Exit(code)


async def _run(
    text: str, source: str, inputs: dict[str, Any], watch: bool, server: str, data_dir: Path | None
) -> int:
    async with AsyncExitStack() as stack:
        if await server_alive(server):
            base_url = server
        else:
            configure_logging(level="warning")
            raikoo = EmbeddedRaikoo(data_dir=data_dir, port=0)
            try:
                base_url = await raikoo.start()
            except DataDirInUse as exc:
                err.print(f"[red]{exc}[/]", highlight=False)
                return EXIT_FAILED
            stack.push_async_callback(raikoo.stop)
            if watch:
                err.print(f"[dim]no server at {server}; running in-process[/]")
        client = await stack.enter_async_context(RaikooClient(base_url))
        try:
            created = await client.create_run(
                {"definition": text, "inputs": inputs, "trigger": "cli"}
            )
        except ApiError as exc:
            _print_problem(source, exc)
            return EXIT_INVALID if exc.status in (404, 409, 422) else EXIT_FAILED
        run_id = created["id"]
        if watch:
            err.print(
                f"run [bold]{run_id}[/] of {created['workflow']['name']} "
                f"v{created['workflow']['version']}",
                highlight=False,
            )
        progress = Progress(err) if watch else None
        try:
            async for event, data in client.events(run_id):
                if progress is not None:
                    progress.show(event, data)
                    if data.get("state") == "waiting" and data.get("op_key"):
                        await _hint_approval(client, base_url, run_id, data["op_key"])
        except asyncio.CancelledError:
            await client.cancel_run(run_id)
            err.print(f"cancel requested for run {run_id}")
            return EXIT_CANCELLED
        final = await client.get_run(run_id)
    if final["state"] == "succeeded":
        sys.stdout.write(json.dumps(final["outputs"], indent=2, default=str) + "\n")
        return EXIT_OK
    error = final.get("error") or {}
    err.print(f"[red]run {final['state']}[/]: {error.get('message', 'no detail')}", highlight=False)
    return EXIT_CANCELLED if final["state"] == "cancelled" else EXIT_FAILED


async def _hint_approval(client: RaikooClient, base_url: str, run_id: str, op_key: str) -> None:
    """Say how to decide an approval the run now waits for (an in-process run's API listens
    on a port of its own, which the user cannot guess)."""
    for approval in await client.approvals(run_id):
        if approval["op_key"] == op_key:
            asked = f": {approval['message']}" if approval.get("message") else ""
            err.print(
                f"    waiting for a decision{asked}\n"
                f"    raikoo approve {run_id} {op_key} --server {base_url}   (or --reject)",
                highlight=False,
                markup=False,
                soft_wrap=True,  # one line, however narrow the terminal: it is a command
            )


@app.command()
def approve(
    run_id: Annotated[str, typer.Argument(help="The waiting run")],
    op_key: Annotated[str, typer.Argument(help="The wait.approval operation")],
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of approve")] = False,
    comment: Annotated[str | None, typer.Option(help="Why; recorded with the decision")] = None,
    server: Annotated[
        str, typer.Option(envvar="RAIKOO_SERVER_URL", help="The API the run is on")
    ] = DEFAULT_SERVER,
) -> None:
    """Approve (or reject) an operation that waits for a decision."""
    decision = "reject" if reject else "approve"

    async def send() -> int:
        async with RaikooClient(server) as client:
            try:
                await client.decide(run_id, op_key, decision, comment)
            except ApiError as exc:
                err.print(f"[red]{exc}[/]", highlight=False)
                return EXIT_FAILED
            except httpx.HTTPError as exc:
                err.print(f"[red]no Raikoo API at {server}: {exc}[/]", highlight=False)
                return EXIT_FAILED
        done = "approved" if decision == "approve" else "rejected"
        err.print(f"{done} {op_key} of run {run_id}", highlight=False)
        return EXIT_OK

    raise typer.Exit(run_loop(send()))


def _print_problem(source: str, exc: ApiError) -> None:
    err.print(f"[red]{source}: {exc.problem.get('title', 'error')}[/] — {exc}", highlight=False)
    for problem in exc.problem.get("errors", []):
        line = f" (line {problem['line']})" if problem.get("line") else ""
        err.print(
            f"  - {problem.get('path') or '(document)'}: {problem['message']}{line}",
            highlight=False,
        )


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check a workflow definition without running it; lists every problem with its path."""
    from raikoo_gateway.catalog import full_catalog

    text = file.read_text(encoding="utf-8")
    kinds: dict[str, Any] = {name: kind.config for name, kind in full_catalog().items()}
    # Project operations live on a server: offline, only their use is checked.
    project = sorted(set(re.findall(r"""\buses:\s*["']?(op/[A-Za-z0-9._-]+)""", text)))
    kinds.update(dict.fromkeys(project))
    try:
        definition = load_definition(text, kinds=kinds, source=str(file))
    except DefinitionInvalid as exc:
        err.print(str(exc), style="red", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    count = len(definition.operations)
    err.print(f"{file}: valid ({count} operation{'s' if count != 1 else ''})", style="green")
    if project:
        err.print(
            f"  project operations ({', '.join(project)}) and their inputs are checked by the "
            "server when the workflow is stored",
            highlight=False,
        )


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
    from raikoo_common.db import create_engine, current_revision, upgrade
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

    err.print(f"database at revision {asyncio.run(go())}")


def main() -> None:
    app()
