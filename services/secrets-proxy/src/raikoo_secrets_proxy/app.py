"""Composition root of the secrets-proxy: the only reader of secret values.

Reading, caching, auditing and per-organization Key Vault overrides arrive with the secrets
issue; today it serves its health and its configuration summary (never a secret)."""

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
        backend = "azure-key-vault" if settings.key_vault_url else "local-encrypted-store"
        return {"status": "ok", "service": "secrets-proxy", "backend": backend}

    return app
