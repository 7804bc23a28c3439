"""Composition root of the secrets-proxy: the only reader of secret values.

Reading, caching, auditing and per-organization Key Vault overrides arrive with the secrets
issue; today it serves its health and whether a Key Vault is configured (never a secret)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from raikoo_secrets_proxy.settings import SecretsProxySettings


def create_app(settings: SecretsProxySettings) -> FastAPI:
    app = FastAPI(title="Raikoo secrets-proxy", version="0.1.0")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "secrets-proxy"}

    @app.get("/readyz")
    async def readyz() -> dict[str, Any]:
        # Secret reads arrive with the secrets issue: report configuration, claim no backend.
        return {
            "status": "ok",
            "service": "secrets-proxy",
            "key_vault_configured": settings.key_vault_url is not None,
        }

    return app
