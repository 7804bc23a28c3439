"""Schedules through the HTTP API of an embedded Raikoo (SQLite and PostgreSQL): created,
listed, changed, paused, resumed and deleted, each audited; bad cron expressions and time
zones are 422 naming the field; a tick fires a run that runs the workflow end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from raikoo.embedded import EmbeddedRaikoo
from tests._embedded import embedded_client
from tests.integration._api import Api

WORKFLOW = {
    "name": "greet",
    "inputs": {"who": {"type": "string"}},
    "operations": {"hi": {"uses": "set", "with": {"text": "Hello, {{ inputs.who }}!"}}},
    "outputs": {"text": "{{ ops.hi.output.text }}"},
}
YEARLY = "0 0 1 1 *"
"""Far enough away that the embedded ticker's own passes never reach it during a test."""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
async def stack(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[EmbeddedRaikoo, Api]]:
    database_url = None
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        database_url = make()
    async with embedded_client(tmp_path, database_url=database_url) as (raikoo, http):
        stored = await http.post("/v1/workflows", json=WORKFLOW)
        assert stored.status_code == 201, stored.text
        yield raikoo, Api(raikoo.base_url, http, raikoo.local_admin_key)


async def _create(http: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await http.post(
        "/v1/schedules", json={"workflow": "greet", "inputs": {"who": "Ada"}} | body
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/schedules/{response.json()['id']}"
    return dict(response.json())


async def test_a_tick_runs_the_workflow_end_to_end(stack: tuple[EmbeddedRaikoo, Api]) -> None:
    raikoo, api = stack
    schedule = await _create(api.http, cron=YEARLY, timezone="Pacific/Auckland")
    tick = datetime.fromisoformat(schedule["next_fire_at"])
    assert tick.utcoffset() is not None
    assert (tick.month, tick.day, tick.hour) == (12, 31, 11), "midnight in Auckland, in UTC"
    assert raikoo.gateway is not None
    [run_id] = await raikoo.gateway.ticker.tick(tick)
    run, _ = await api.finish(str(run_id))
    assert run["state"] == "succeeded"
    assert run["trigger"] == "schedule"
    assert run["outputs"] == {"text": "Hello, Ada!"}
    fired = (await api.http.get(f"/v1/schedules/{schedule['id']}")).json()
    assert fired["last_run_id"] == str(run_id)
    assert fired["last_fired_at"] == schedule["next_fire_at"]
    assert datetime.fromisoformat(fired["next_fire_at"]).year == tick.year + 1
    assert await raikoo.gateway.ticker.tick(tick) == [], "a tick fires once"


async def test_create_list_change_pause_resume_delete_each_audited(
    stack: tuple[EmbeddedRaikoo, Api],
) -> None:
    _, api = stack
    http = api.http
    first = await _create(http, cron="*/15 * * * *", missed="catch_up", max_catch_up=2)
    second = await _create(http, cron=YEARLY, description="new year")
    assert first["workflow"] == {"name": "greet", "version": None}
    assert first["enabled"] is True
    assert first["missed"] == "catch_up"

    page = (await http.get("/v1/schedules", params={"limit": 1})).json()
    assert [s["id"] for s in page["items"]] == [second["id"]], "newest first"
    rest = (await http.get("/v1/schedules", params={"cursor": page["next_cursor"]})).json()
    assert [s["id"] for s in rest["items"]] == [first["id"]]
    assert rest["next_cursor"] is None
    none = (await http.get("/v1/schedules", params={"workflow": "other"})).json()
    assert none["items"] == []

    changed = await http.patch(
        f"/v1/schedules/{first['id']}", json={"cron": "0 9 * * 1-5", "timezone": "Europe/Paris"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["cron"] == "0 9 * * 1-5"
    assert changed.json()["next_fire_at"] != first["next_fire_at"]

    paused = (await http.post(f"/v1/schedules/{first['id']}/pause")).json()
    assert (paused["enabled"], paused["next_fire_at"]) == (False, None)
    resumed = (await http.post(f"/v1/schedules/{first['id']}/resume")).json()
    assert resumed["enabled"] is True
    assert resumed["next_fire_at"] is not None

    assert (await http.delete(f"/v1/schedules/{first['id']}")).status_code == 204
    assert (await http.get(f"/v1/schedules/{first['id']}")).status_code == 404
    assert (await http.delete(f"/v1/schedules/{first['id']}")).status_code == 404

    audit = (await http.get("/v1/audit")).json()["items"]
    actions = [e["action"] for e in audit if e["action"].startswith("schedule.")]
    assert actions == [
        "schedule.deleted",
        "schedule.resumed",
        "schedule.paused",
        "schedule.updated",
        "schedule.created",
        "schedule.created",
    ]


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"cron": "61 * * * *"}, "body.cron", "not a valid cron expression"),
        ({"cron": "* * * *"}, "body.cron", "5 fields"),
        ({"cron": YEARLY, "timezone": "Mars/Olympus"}, "body.timezone", "IANA"),
        ({"cron": YEARLY, "missed": "sometimes"}, "body.missed", ""),
        ({"cron": YEARLY, "max_catch_up": -1}, "body.max_catch_up", ""),
        ({"cron": YEARLY, "inputs": {"who": 3}}, "inputs.who", ""),
        ({"cron": YEARLY, "inputs": {"who": "A", "whom": "x"}}, "inputs.whom", "no such input"),
    ],
)
async def test_bad_input_is_422_naming_the_field(
    stack: tuple[EmbeddedRaikoo, Api], body: dict[str, Any], path: str, message: str
) -> None:
    _, api = stack
    response = await api.http.post(
        "/v1/schedules", json={"workflow": "greet", "inputs": {"who": "Ada"}} | body
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == [path], errors
    assert message in errors[0]["message"]


async def test_changes_are_checked_like_a_new_schedule(stack: tuple[EmbeddedRaikoo, Api]) -> None:
    _, api = stack
    schedule = await _create(api.http, cron=YEARLY)
    where = f"/v1/schedules/{schedule['id']}"
    for body, path in [
        ({"timezone": "Nowhere/City"}, "body.timezone"),
        ({"cron": None}, "body.cron"),
        ({"inputs": {"who": 7}}, "inputs.who"),
    ]:
        response = await api.http.patch(where, json=body)
        assert response.status_code == 422, response.text
        assert [e["path"] for e in response.json()["errors"]] == [path]
    missing = await api.http.post("/v1/schedules", json={"workflow": "nope", "cron": YEARLY})
    assert missing.status_code == 404
    unchanged = (await api.http.get(where)).json()
    assert unchanged == schedule
