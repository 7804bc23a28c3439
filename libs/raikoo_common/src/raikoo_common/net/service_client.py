"""An HTTP client for calls between Raikoo's own services (a runner to the secrets-proxy,
an ai-runner to the gateway's budget ledger): a fixed base URL, the shared bearer token,
and nothing taken from the environment (no proxy variables)."""

from __future__ import annotations

import httpx


def service_client(base_url: str, token: str, *, timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"authorization": f"Bearer {token}"},
        timeout=timeout,
        trust_env=False,
    )
