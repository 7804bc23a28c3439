"""Composition root of the secrets-proxy: the only reader of secret values.

It serves the organization's secrets from the local encrypted store to the services that
present the shared token. A ``project`` query parameter names a project's scope; without
it a request is about the organization-wide secrets, and resolving takes the project's
own secret of a name over the organization's (``raikoo_common.secrets.port``).

Key Vault backing, per-organization Key Vault overrides, caching and auditing arrive with
the secrets issue; with a Key Vault configured it refuses to serve from the local store
instead of silently using it.
"""

import hmac
import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.secrets import SecretInfo, SecretStore, SecretUnavailable
from raikoo_secrets_proxy.settings import SecretsProxySettings


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(min_length=1, max_length=65536)


class _Names(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str] = Field(max_length=1000)


class _Values(BaseModel):
    values: dict[str, str]


class _Entries(BaseModel):
    items: list[SecretInfo]


Project = Annotated[
    uuid.UUID | None,
    Query(description="The project whose scope this is; absent: the organization-wide scope"),
]


def create_app(settings: SecretsProxySettings, store: SecretStore) -> FastAPI:
    app = FastAPI(title="Raikoo secrets-proxy", version="0.1.0")
    token = settings.secrets_proxy_token.get_secret_value() if settings.secrets_proxy_token else ""

    def authorized(authorization: Annotated[str | None, Header()] = None) -> SecretStore:
        presented = (authorization or "").removeprefix("Bearer ")
        if not token or not hmac.compare_digest(presented.encode(), token.encode()):
            raise HTTPException(401, "a valid bearer token is required")
        if settings.key_vault_url is not None:
            raise HTTPException(
                503,
                "a Key Vault is configured, and reading it is not built yet: "
                "unset RAIKOO_KEY_VAULT_URL to use the local encrypted store",
            )
        return store

    Store = Annotated[SecretStore, Depends(authorized)]  # noqa: N806 (a type alias)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "secrets-proxy"}

    @app.get("/readyz")
    async def readyz() -> dict[str, Any]:
        return {
            "status": "ok",
            "service": "secrets-proxy",
            "store": "key vault (not built yet)" if settings.key_vault_url else "local",
            # Without the shared token every secrets request is refused (401).
            "secrets_api": "enabled" if token else "disabled: RAIKOO_SECRETS_PROXY_TOKEN unset",
        }

    @app.get("/v1/orgs/{org_id}/secrets")
    async def entries(
        org_id: uuid.UUID,
        store: Store,
        project: Project = None,
        after: Annotated[str | None, Query(max_length=128)] = None,
        limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    ) -> _Entries:
        items = await store.entries(org_id, project_id=project, after=after, limit=limit)
        return _Entries(items=items)

    @app.post("/v1/orgs/{org_id}/secrets/resolve")
    async def resolve(
        org_id: uuid.UUID, body: _Names, store: Store, project: Project = None
    ) -> _Values:
        try:
            return _Values(values=await store.values(org_id, body.names, project_id=project))
        except SecretUnavailable as exc:
            raise HTTPException(404, str(exc)) from None

    @app.put("/v1/orgs/{org_id}/secrets/{name}", status_code=204)
    async def put(
        org_id: uuid.UUID, name: str, body: _Value, store: Store, project: Project = None
    ) -> Response:
        try:
            await store.put(org_id, name, body.value, project_id=project)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        return Response(status_code=204)

    @app.delete("/v1/orgs/{org_id}/secrets/{name}", status_code=204)
    async def delete(
        org_id: uuid.UUID, name: str, store: Store, project: Project = None
    ) -> Response:
        if not await store.delete(org_id, name, project_id=project):
            raise HTTPException(404, f"no secret named {name} in this scope")
        return Response(status_code=204)

    return app
