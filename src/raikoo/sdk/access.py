"""Who calls, the organization, its projects and members, and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from raikoo.sdk._call import Call, get, model, nothing, segment
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import Key, KeyCreated, Member, PageOut, Project
from raikoo_common.roles import Role

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client


def keys_page(page_size: int, cursor: str | None) -> Call[PageOut[Key]]:
    return get("/v1/keys", PageOut[Key], limit=page_size, cursor=cursor)


def create_key(
    name: str, role: Role, project: str | None, expires_at: datetime | None
) -> Call[KeyCreated]:
    body: dict[str, Any] = {"name": name, "role": role, "project": project}
    if expires_at is not None:
        body["expires_at"] = expires_at.isoformat()
    return Call("POST", "/v1/keys", model(KeyCreated), json=body)


def revoke_key(key_id: str | uuid.UUID) -> Call[None]:
    return Call("DELETE", f"/v1/keys/{segment(key_id)}", nothing)


def projects_page(page_size: int, cursor: str | None) -> Call[PageOut[Project]]:
    return get("/v1/projects", PageOut[Project], limit=page_size, cursor=cursor)


def create_project(slug: str, name: str) -> Call[Project]:
    return Call("POST", "/v1/projects", model(Project), json={"slug": slug, "name": name})


def members_page(page_size: int, cursor: str | None) -> Call[PageOut[Member]]:
    return get("/v1/members", PageOut[Member], limit=page_size, cursor=cursor)


class Keys:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, page_size: int = 100) -> Pager[Key]:
        return self._client.pager(lambda cursor: keys_page(page_size, cursor))

    def create(
        self,
        name: str,
        role: Role,
        *,
        project: str | None = None,
        expires_at: datetime | None = None,
    ) -> KeyCreated:
        """A new key; its whole value (``key``) is in this answer only."""
        return self._client.send(create_key(name, role, project, expires_at))

    def revoke(self, key_id: str | uuid.UUID) -> None:
        self._client.send(revoke_key(key_id))


class AsyncKeys:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(self, *, page_size: int = 100) -> AsyncPager[Key]:
        return self._client.pager(lambda cursor: keys_page(page_size, cursor))

    async def create(
        self,
        name: str,
        role: Role,
        *,
        project: str | None = None,
        expires_at: datetime | None = None,
    ) -> KeyCreated:
        return await self._client.send(create_key(name, role, project, expires_at))

    async def revoke(self, key_id: str | uuid.UUID) -> None:
        await self._client.send(revoke_key(key_id))


class Projects:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, page_size: int = 100) -> Pager[Project]:
        return self._client.pager(lambda cursor: projects_page(page_size, cursor))

    def create(self, slug: str, name: str) -> Project:
        return self._client.send(create_project(slug, name))


class AsyncProjects:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(self, *, page_size: int = 100) -> AsyncPager[Project]:
        return self._client.pager(lambda cursor: projects_page(page_size, cursor))

    async def create(self, slug: str, name: str) -> Project:
        return await self._client.send(create_project(slug, name))
