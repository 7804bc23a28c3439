"""Inbound hooks: create (the secret is shown once), list, get, change, rotate, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from raikoo.sdk._call import Call, get, model, nothing, segment
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import PageOut
from raikoo_common.api.hooks import Hook, HookWithSecret

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client


def page(page_size: int, cursor: str | None) -> Call[PageOut[Hook]]:
    return get("/v1/hooks", PageOut[Hook], limit=page_size, cursor=cursor)


def create(
    name: str, workflow: str, version: int | None, mapping: Mapping[str, Any] | None
) -> Call[HookWithSecret]:
    body: dict[str, Any] = {"name": name, "workflow": workflow}
    if version is not None:
        body["version"] = version
    if mapping is not None:
        body["mapping"] = dict(mapping)
    return Call("POST", "/v1/hooks", model(HookWithSecret), json=body)


def change(hook_id: str, fields: Mapping[str, Any]) -> Call[Hook]:
    return Call("PATCH", f"/v1/hooks/{segment(hook_id)}", model(Hook), json=dict(fields))


def rotate(hook_id: str) -> Call[HookWithSecret]:
    return Call("POST", f"/v1/hooks/{segment(hook_id)}/rotate-secret", model(HookWithSecret))


def delete(hook_id: str) -> Call[None]:
    return Call("DELETE", f"/v1/hooks/{segment(hook_id)}", nothing)


class Hooks:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, page_size: int = 100) -> Pager[Hook]:
        return self._client.pager(lambda cursor: page(page_size, cursor))

    def get(self, hook_id: str) -> Hook:
        return self._client.send(get(f"/v1/hooks/{segment(hook_id)}", Hook))

    def create(
        self,
        name: str,
        workflow: str,
        *,
        version: int | None = None,
        mapping: Mapping[str, Any] | None = None,
    ) -> HookWithSecret:
        """A hook starting runs of ``workflow``; its ``secret`` is in this answer only."""
        return self._client.send(create(name, workflow, version, mapping))

    def update(self, hook_id: str, **fields: Any) -> Hook:
        return self._client.send(change(hook_id, fields))

    def rotate_secret(self, hook_id: str) -> HookWithSecret:
        return self._client.send(rotate(hook_id))

    def delete(self, hook_id: str) -> None:
        self._client.send(delete(hook_id))


class AsyncHooks:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(self, *, page_size: int = 100) -> AsyncPager[Hook]:
        return self._client.pager(lambda cursor: page(page_size, cursor))

    async def get(self, hook_id: str) -> Hook:
        return await self._client.send(get(f"/v1/hooks/{segment(hook_id)}", Hook))

    async def create(
        self,
        name: str,
        workflow: str,
        *,
        version: int | None = None,
        mapping: Mapping[str, Any] | None = None,
    ) -> HookWithSecret:
        return await self._client.send(create(name, workflow, version, mapping))

    async def update(self, hook_id: str, **fields: Any) -> Hook:
        return await self._client.send(change(hook_id, fields))

    async def rotate_secret(self, hook_id: str) -> HookWithSecret:
        return await self._client.send(rotate(hook_id))

    async def delete(self, hook_id: str) -> None:
        await self._client.send(delete(hook_id))
