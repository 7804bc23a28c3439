"""The secret store as separate processes reach it: the secrets-proxy's HTTP API."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import httpx

from raikoo_common.net.service_client import service_client
from raikoo_common.secrets.port import SecretInfo, SecretUnavailable
from raikoo_common.settings import ServiceSettings


class SecretsProxyClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        self._http = service_client(base_url, token, timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def values(
        self, org_id: uuid.UUID, names: Iterable[str], *, project_id: uuid.UUID | None
    ) -> dict[str, str]:
        body = await self._call(
            "POST",
            f"/v1/orgs/{org_id}/secrets/resolve",
            {"names": sorted(set(names))},
            params=_scope(project_id),
        )
        values: dict[str, str] = body["values"]
        return values

    async def put(
        self, org_id: uuid.UUID, name: str, value: str, *, project_id: uuid.UUID | None
    ) -> None:
        path = f"/v1/orgs/{org_id}/secrets/{name}"
        await self._call("PUT", path, {"value": value}, params=_scope(project_id))

    async def delete(self, org_id: uuid.UUID, name: str, *, project_id: uuid.UUID | None) -> bool:
        path = f"/v1/orgs/{org_id}/secrets/{name}"
        try:
            await self._call("DELETE", path, params=_scope(project_id))
        except _NotFound:
            return False
        return True

    async def entries(
        self,
        org_id: uuid.UUID,
        *,
        project_id: uuid.UUID | None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[SecretInfo]:
        params = _scope(project_id)
        if after is not None:
            params["after"] = after
        if limit is not None:
            params["limit"] = str(limit)
        body = await self._call("GET", f"/v1/orgs/{org_id}/secrets", params=params)
        return [SecretInfo.model_validate(item) for item in body["items"]]

    async def _call(
        self, method: str, path: str, body: Any = None, *, params: dict[str, str]
    ) -> Any:
        try:
            response = await self._http.request(method, path, json=body, params=params)
        except httpx.HTTPError as exc:
            raise SecretUnavailable(f"the secrets-proxy cannot be reached: {exc}") from exc
        if response.status_code < 400:
            return response.json() if response.content else None
        detail = _detail(response)
        if response.status_code == 422:
            raise ValueError(detail)
        if response.status_code == 404:
            raise _NotFound(detail)
        raise SecretUnavailable(detail)


def _detail(response: httpx.Response) -> str:
    """What the proxy said went wrong: its ``detail`` when it gave one as text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    return f"the secrets-proxy answered {response.status_code}" + (f": {detail}" if detail else "")


class _NotFound(SecretUnavailable):
    """The proxy has no such secret (as opposed to: it cannot answer)."""


def _scope(project_id: uuid.UUID | None) -> dict[str, str]:
    """The query naming a project's scope; none for the organization's."""
    return {} if project_id is None else {"project": str(project_id)}


def secrets_client(settings: ServiceSettings) -> SecretsProxyClient | None:
    """The secrets-proxy client a separate process uses; None when none is configured."""
    if not settings.secrets_proxy_url:
        return None
    if settings.secrets_proxy_token is None:
        raise ValueError("RAIKOO_SECRETS_PROXY_URL is set but RAIKOO_SECRETS_PROXY_TOKEN is not")
    return SecretsProxyClient(
        settings.secrets_proxy_url, settings.secrets_proxy_token.get_secret_value()
    )
