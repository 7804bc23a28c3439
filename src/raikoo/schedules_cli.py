"""``raikoo schedules``: list, create, pause, resume and delete a project's cron schedules."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from raikoo.options import Output, Profile, Server

if TYPE_CHECKING:
    from raikoo_common.api.schedules import Schedule

app = typer.Typer(
    help="Cron schedules of stored workflows.", no_args_is_help=True, rich_markup_mode=None
)

ScheduleId = Annotated[str, typer.Argument(help="The schedule's id (see `schedules list`)")]


@app.command("list")
def list_schedules(
    workflow: Annotated[str | None, typer.Option(help="Only this workflow's schedules")] = None,
    output: Output = "text",
    server: Server = None,
    profile: Profile = None,
) -> None:
    """The project's schedules, newest first: id, workflow, cron, time zone, next tick."""
    from raikoo.remote import client, show, table

    with client(server, profile) as api:
        found = list(api.schedules.list(workflow=workflow))
    if output != "text":
        show(found, output)
        return
    table([_row(s) for s in found], ["ID", "WORKFLOW", "CRON", "TIMEZONE", "STATE", "NEXT_FIRE_AT"])


@app.command("create")
def create_schedule(
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
    server: Server = None,
    profile: Profile = None,
) -> None:
    """Run WORKFLOW at each tick of CRON; prints the schedule's id (when it fires next on
    stderr)."""
    from raikoo.cli import parse_inputs
    from raikoo.console import say
    from raikoo.remote import client

    if missed not in ("skip", "catch_up"):
        raise typer.BadParameter("choose skip or catch_up", param_hint="--missed")
    with client(server, profile) as api:
        made = api.schedules.create(
            workflow,
            cron,
            timezone=timezone,
            inputs=parse_inputs(input_ or []),
            version=version,
            missed="skip" if missed == "skip" else "catch_up",
            max_catch_up=max_catch_up,
            enabled=not paused,
        )
    sys.stdout.write(f"{made.id}\n")
    say(_state(made))


def _act(action: str, help_text: str) -> None:
    def command(schedule_id: ScheduleId, server: Server = None, profile: Profile = None) -> None:
        from raikoo.console import say
        from raikoo.remote import client

        with client(server, profile) as api:
            if action == "delete":
                api.schedules.delete(schedule_id)
                say(f"deleted schedule {schedule_id}")
                return
            now = api.schedules.pause(schedule_id) if action == "pause" else None
            now = now or api.schedules.resume(schedule_id)
        say(_state(now))

    command.__doc__ = help_text
    app.command(action)(command)


_act("pause", "Stop a schedule firing until it is resumed.")
_act("resume", "Fire again, from the next tick after now.")
_act("delete", "Delete a schedule (the runs it started stay).")


def _state(schedule: Schedule) -> str:
    what = f"schedule {schedule.id} of {schedule.workflow.name}"
    if not schedule.enabled:
        return f"{what} is paused"
    when = schedule.next_fire_at.isoformat() if schedule.next_fire_at else "-"
    return f"{what} fires next at {when}"


def _row(schedule: Schedule) -> list[str]:
    workflow = schedule.workflow
    pinned = f" v{workflow.version}" if workflow.version else ""
    return [
        str(schedule.id),
        workflow.name + pinned,
        schedule.cron,
        schedule.timezone,
        "enabled" if schedule.enabled else "paused",
        schedule.next_fire_at.isoformat() if schedule.next_fire_at else "-",
    ]
