"""Cron schedules of stored workflows: list, create, change, pause, resume, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from raikoo.sdk._call import Call, get, model, nothing, segment
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import PageOut
from raikoo_common.api.schedules import MissedPolicy, Schedule

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client


def page(workflow: str | None, page_size: int, cursor: str | None) -> Call[PageOut[Schedule]]:
    params = {"workflow": workflow, "limit": page_size, "cursor": cursor}
    return get("/v1/schedules", PageOut[Schedule], **params)


def create(
    workflow: str,
    cron: str,
    *,
    timezone: str,
    inputs: Mapping[str, Any] | None,
    version: int | None,
    missed: MissedPolicy,
    max_catch_up: int,
    enabled: bool,
    description: str | None,
) -> Call[Schedule]:
    body: dict[str, Any] = {
        "workflow": workflow,
        "cron": cron,
        "timezone": timezone,
        "inputs": dict(inputs or {}),
        "missed": missed,
        "max_catch_up": max_catch_up,
        "enabled": enabled,
    }
    if version is not None:
        body["version"] = version
    if description is not None:
        body["description"] = description
    return Call("POST", "/v1/schedules", model(Schedule), json=body)


def change(schedule_id: str, fields: Mapping[str, Any]) -> Call[Schedule]:
    path = f"/v1/schedules/{segment(schedule_id)}"
    return Call("PATCH", path, model(Schedule), json=dict(fields))


def action(schedule_id: str, verb: str) -> Call[Schedule]:
    return Call("POST", f"/v1/schedules/{segment(schedule_id)}/{verb}", model(Schedule))


def delete(schedule_id: str) -> Call[None]:
    return Call("DELETE", f"/v1/schedules/{segment(schedule_id)}", nothing)


class Schedules:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, workflow: str | None = None, page_size: int = 100) -> Pager[Schedule]:
        return self._client.pager(lambda cursor: page(workflow, page_size, cursor))

    def get(self, schedule_id: str) -> Schedule:
        return self._client.send(get(f"/v1/schedules/{segment(schedule_id)}", Schedule))

    def create(
        self,
        workflow: str,
        cron: str,
        *,
        timezone: str = "UTC",
        inputs: Mapping[str, Any] | None = None,
        version: int | None = None,
        missed: MissedPolicy = "skip",
        max_catch_up: int = 10,
        enabled: bool = True,
        description: str | None = None,
    ) -> Schedule:
        """Run ``workflow`` (its latest version at each tick, or ``version``) at each tick
        of ``cron`` (5 fields) in ``timezone``; ``missed``: what ticks missed while nothing
        ran become (``skip``, or ``catch_up`` at most ``max_catch_up``)."""
        return self._client.send(
            create(
                workflow,
                cron,
                timezone=timezone,
                inputs=inputs,
                version=version,
                missed=missed,
                max_catch_up=max_catch_up,
                enabled=enabled,
                description=description,
            )
        )

    def update(self, schedule_id: str, **fields: Any) -> Schedule:
        return self._client.send(change(schedule_id, fields))

    def pause(self, schedule_id: str) -> Schedule:
        return self._client.send(action(schedule_id, "pause"))

    def resume(self, schedule_id: str) -> Schedule:
        return self._client.send(action(schedule_id, "resume"))

    def delete(self, schedule_id: str) -> None:
        self._client.send(delete(schedule_id))


class AsyncSchedules:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(self, *, workflow: str | None = None, page_size: int = 100) -> AsyncPager[Schedule]:
        return self._client.pager(lambda cursor: page(workflow, page_size, cursor))

    async def get(self, schedule_id: str) -> Schedule:
        return await self._client.send(get(f"/v1/schedules/{segment(schedule_id)}", Schedule))

    async def create(
        self,
        workflow: str,
        cron: str,
        *,
        timezone: str = "UTC",
        inputs: Mapping[str, Any] | None = None,
        version: int | None = None,
        missed: MissedPolicy = "skip",
        max_catch_up: int = 10,
        enabled: bool = True,
        description: str | None = None,
    ) -> Schedule:
        return await self._client.send(
            create(
                workflow,
                cron,
                timezone=timezone,
                inputs=inputs,
                version=version,
                missed=missed,
                max_catch_up=max_catch_up,
                enabled=enabled,
                description=description,
            )
        )

    async def update(self, schedule_id: str, **fields: Any) -> Schedule:
        return await self._client.send(change(schedule_id, fields))

    async def pause(self, schedule_id: str) -> Schedule:
        return await self._client.send(action(schedule_id, "pause"))

    async def resume(self, schedule_id: str) -> Schedule:
        return await self._client.send(action(schedule_id, "resume"))

    async def delete(self, schedule_id: str) -> None:
        await self._client.send(delete(schedule_id))
