"""``raikoo runs``: list, inspect, follow, cancel and retry runs on a server."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from raikoo.exit_codes import Exit
from raikoo.options import Output, Profile, Server

app = typer.Typer(help="Runs on a server.", no_args_is_help=True, rich_markup_mode=None)

RunId = Annotated[str, typer.Argument(help="The run's id")]


@app.command("list")
def list_runs(
    state: Annotated[
        str | None, typer.Option(help="Only runs in this state (queued, running, failed, …)")
    ] = None,
    workflow: Annotated[str | None, typer.Option(help="Only runs of this workflow")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first")] = 20,
    output: Output = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """The project's runs, newest first."""
    from itertools import islice

    from raikoo.remote import client, show, table

    with client(server, profile) as api:
        pager = api.runs.list(state=state, workflow=workflow, page_size=min(limit, 500))
        runs = list(islice(pager, limit))
    if output != "text":
        show(runs, output)
        return
    rows = [
        [
            str(run.id),
            run.state,
            f"{run.workflow.name} v{run.workflow.version}",
            run.trigger,
            run.created_at.isoformat(timespec="seconds"),
        ]
        for run in runs
    ]
    table(rows, ["ID", "STATE", "WORKFLOW", "TRIGGER", "CREATED"])


@app.command("get")
def get_run(
    run_id: RunId,
    operations: Annotated[
        bool, typer.Option("--operations", help="With its operation runs")
    ] = False,
    output: Output = "yaml",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """A run: its state, inputs, outputs, error and progress."""
    from raikoo.remote import client, plain, show

    with client(server, profile) as api:
        run = plain(api.runs.get(run_id))
        if operations:
            run["operation_runs"] = plain(list(api.runs.operations(run_id)))
    show(run, output)


@app.command("logs")
def logs(
    run_id: RunId,
    after: Annotated[int, typer.Option(min=0, help="Start after this event number")] = 0,
    output: Annotated[
        str, typer.Option("--output", "-o", help="text, or json (one event per line)")
    ] = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """A run's events, replayed then followed until the run ends (Ctrl-C stops following).
    Exits as the run ended: 0 succeeded, 1 failed, 130 cancelled."""
    import json

    from raikoo.remote import client

    if output not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--output")
    final = None
    with client(server, profile) as api:
        try:
            for event in api.runs.events(run_id, after=after):
                if output == "json":
                    line = json.dumps(
                        {"id": event.id, "type": event.type, "data": event.data},
                        ensure_ascii=False,
                    )
                else:
                    line = describe(event.id, event.type, event.data)
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
                if event.final:
                    final = event.data.get("state")
        except KeyboardInterrupt:
            raise typer.Exit(Exit.CANCELLED) from None
    raise typer.Exit(Exit.OK if final == "succeeded" else _code(final))


def _code(state: str | None) -> Exit:
    return Exit.CANCELLED if state == "cancelled" else Exit.FAILED


def describe(seq: int | None, kind: str, data: dict[str, object]) -> str:
    """One event as a line: its number, time, what changed and why."""
    at = str(data.get("at", ""))
    head = f"{seq if seq is not None else '-':>5} {at}"
    if kind == "run.state_changed":
        line = f"{head} run {data.get('state')}"
    elif kind == "operation.output_delta":
        return f"{head} {data.get('op_key')} wrote {data.get('text')!r}"
    else:
        line = f"{head} {data.get('op_key')} {data.get('state')}"
        attempt = data.get("attempt")
        if isinstance(attempt, int) and attempt > 1:
            line += f" (attempt {attempt})"
    error = data.get("error")
    if isinstance(error, dict):
        line += f" — [{error.get('kind')}] {error.get('message')}"
    return line


@app.command()
def cancel(
    run_id: RunId,
    reason: Annotated[str | None, typer.Option(help="Why; recorded with the run")] = None,
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Ask a run to stop: queued operations never start, running ones are cut."""
    from raikoo.console import say
    from raikoo.remote import client

    with client(server, profile) as api:
        api.runs.cancel(run_id, reason)
    say(f"cancel requested for run {run_id}")


@app.command()
def retry(
    run_id: RunId,
    output: Output = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Start a failed run again from its failure: the operations that succeeded keep
    their results; the failed ones and what depends on them run again."""
    from raikoo.console import say
    from raikoo.remote import client, show

    with client(server, profile) as api:
        run = api.runs.retry(run_id)
    if output == "text":
        sys.stdout.write(f"{run.id}\n")
        say(f"run {run.id} retries run {run_id} ({run.workflow.name} v{run.workflow.version})")
    else:
        show(run, output)
