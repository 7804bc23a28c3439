"""``raikoo schedules``: list, create, pause, resume and delete a project's cron schedules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from raikoo.client import ApiError
from raikoo.console import say
from raikoo.exit_codes import Exit
from raikoo.running import print_problem
from raikoo.session import Session, in_session

COLUMNS = ("id", "workflow", "cron", "timezone", "state", "next_fire_at")


async def list_schedules(server: str, data_dir: Path | None, workflow: str | None) -> Exit:
    async def go(session: Session) -> Exit:
        try:
            found = await session.client.schedules(workflow)
        except ApiError as exc:
            print_problem("schedules", exc)
            return Exit.FAILED
        sys.stdout.write(table([row(schedule) for schedule in found]))
        return Exit.OK

    return await in_session(server, data_dir, go)


async def create_schedule(server: str, data_dir: Path | None, body: dict[str, Any]) -> Exit:
    """Prints the new schedule's id on stdout (for scripts); when it next fires on stderr."""

    async def go(session: Session) -> Exit:
        try:
            made = await session.client.create_schedule(body)
        except ApiError as exc:
            print_problem("schedule", exc)
            return Exit.INVALID if exc.status in (404, 422) else Exit.FAILED
        sys.stdout.write(f"{made['id']}\n")
        say(_state(made))
        return Exit.OK

    return await in_session(server, data_dir, go)


async def act(server: str, data_dir: Path | None, schedule_id: str, action: str) -> Exit:
    """``pause``, ``resume`` or ``delete`` one schedule."""

    async def go(session: Session) -> Exit:
        try:
            now = await session.client.schedule_action(schedule_id, action)
        except ApiError as exc:
            print_problem(f"schedule {schedule_id}", exc)
            return Exit.INVALID if exc.status in (404, 422) else Exit.FAILED
        say(f"deleted schedule {schedule_id}" if now is None else _state(now))
        return Exit.OK

    return await in_session(server, data_dir, go)


def _state(schedule: dict[str, Any]) -> str:
    what = f"schedule {schedule['id']} of {schedule['workflow']['name']}"
    if not schedule["enabled"]:
        return f"{what} is paused"
    return f"{what} fires next at {schedule['next_fire_at']}"


def row(schedule: dict[str, Any]) -> dict[str, str]:
    workflow = schedule["workflow"]
    pinned = f" v{workflow['version']}" if workflow["version"] else ""
    return {
        "id": schedule["id"],
        "workflow": workflow["name"] + pinned,
        "cron": schedule["cron"],
        "timezone": schedule["timezone"],
        "state": "enabled" if schedule["enabled"] else "paused",
        "next_fire_at": schedule["next_fire_at"] or "-",
    }


def table(rows: list[dict[str, str]]) -> str:
    """Aligned columns with a header line; just the header when there is nothing."""
    widths = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in COLUMNS}
    lines = [[c.upper() for c in COLUMNS], *([r[c] for c in COLUMNS] for r in rows)]
    return "".join(
        "  ".join(cell.ljust(widths[c]) for c, cell in zip(COLUMNS, line, strict=True)).rstrip()
        + "\n"
        for line in lines
    )
