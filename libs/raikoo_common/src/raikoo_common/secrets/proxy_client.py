"""The secret store as separate processes reach it: the secrets-proxy's HTTP API."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import httpx

from raikoo_common.secrets.store import SecretUnavailable
from raikoo_common.settings import ServiceSettings


class SecretsProxyClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"authorization": f"Bearer {token}"},
            timeout=timeout,
            trust_env=False,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def values(self, org_id: uuid.UUID, names: Iterable[str]) -> dict[str, str]:
        body = await self._call(
            "POST", f"/v1/orgs/{org_id}/secrets/resolve", {"names": sorted(set(names))}
        )
        values: dict[str, str] = body["values"]
        return values

    async def put(self, org_id: uuid.UUID, name: str, value: str) -> None:
        await self._call("PUT", f"/v1/orgs/{org_id}/secrets/{name}", {"value": value})

    async def delete(self, org_id: uuid.UUID, name: str) -> bool:
        try:
            await self._call("DELETE", f"/v1/orgs/{org_id}/secrets/{name}")
        except SecretUnavailable:
            return False
        return True

    async def names(self, org_id: uuid.UUID) -> list[str]:
        body = await self._call("GET", f"/v1/orgs/{org_id}/secrets")
        names: list[str] = body["names"]
        return names

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise SecretUnavailable(f"the secrets-proxy cannot be reached: {exc}") from exc
        if response.status_code == 422:
            raise ValueError(response.json().get("detail", "invalid secret"))
        if response.status_code >= 400:
            detail = response.json().get("detail") if response.content else None
            raise SecretUnavailable(detail or f"the secrets-proxy answered {response.status_code}")
        return response.json() if response.content else None


def secrets_client(settings: ServiceSettings) -> SecretsProxyClient | None:
    """The secrets-proxy client a separate process uses; None when none is configured."""
    if not settings.secrets_proxy_url:
        return None
    if settings.secrets_proxy_token is None:
        raise ValueError("RAIKOO_SECRETS_PROXY_URL is set but RAIKOO_SECRETS_PROXY_TOKEN is not")
    return SecretsProxyClient(
        settings.secrets_proxy_url, settings.secrets_proxy_token.get_secret_value()
    )
