"""Secrets: names are listed, values written and never read back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from raikoo.sdk._call import Call, get, nothing, segment
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import PageOut, Secret, SecretScope

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client


def page(scope: SecretScope, page_size: int, cursor: str | None) -> Call[PageOut[Secret]]:
    return get("/v1/secrets", PageOut[Secret], scope=scope, limit=page_size, cursor=cursor)


def put(name: str, value: str, scope: SecretScope) -> Call[None]:
    path = f"/v1/secrets/{segment(name)}"
    return Call("PUT", path, nothing, params={"scope": scope}, json={"value": value})


def delete(name: str, scope: SecretScope) -> Call[None]:
    return Call("DELETE", f"/v1/secrets/{segment(name)}", nothing, params={"scope": scope})


class Secrets:
    """``scope="organization"``: every project's runs read it; ``"project"``: the client's
    project's own, read instead of an organization-wide secret of the same name."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, scope: SecretScope = "organization", page_size: int = 100) -> Pager[Secret]:
        return self._client.pager(lambda cursor: page(scope, page_size, cursor))

    def set(self, name: str, value: str, *, scope: SecretScope = "organization") -> None:
        self._client.send(put(name, value, scope))

    def delete(self, name: str, *, scope: SecretScope = "organization") -> None:
        self._client.send(delete(name, scope))


class AsyncSecrets:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(
        self, *, scope: SecretScope = "organization", page_size: int = 100
    ) -> AsyncPager[Secret]:
        return self._client.pager(lambda cursor: page(scope, page_size, cursor))

    async def set(self, name: str, value: str, *, scope: SecretScope = "organization") -> None:
        await self._client.send(put(name, value, scope))

    async def delete(self, name: str, *, scope: SecretScope = "organization") -> None:
        await self._client.send(delete(name, scope))
