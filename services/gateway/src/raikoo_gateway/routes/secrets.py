"""Secrets of the organization: names are listed, values are written and never read back."""

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from raikoo_common.secrets import SecretStore, SecretUnavailable
from raikoo_common.secrets.redact import MIN_SECRET_LENGTH
from raikoo_gateway.auth.policy import AdminAccess, EditorAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.db_retry import RetryingRoute
from raikoo_gateway.problems import Problem, not_found

router = APIRouter(prefix="/v1/secrets", tags=["secrets"], route_class=RetryingRoute)


class SecretBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(
        max_length=65536,
        description=f"At least {MIN_SECRET_LENGTH} characters. Never returned by the API.",
    )

    @field_validator("value")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"a secret has at least {MIN_SECRET_LENGTH} characters (this one has "
                f"{len(value)}): a shorter one is too weak, and masking it in outputs and logs "
                "would mask ordinary text"
            )
        return value


def _store(context: GatewayContext) -> SecretStore:
    if context.secrets is None:
        raise Problem(
            503,
            "No secret store",
            "this gateway has no secret store: secrets live in embedded mode's local "
            "encrypted store today; separate processes get them with the secrets-proxy",
            "no-secret-store",
        )
    return context.secrets


@router.get("")
async def list_secrets(context: ContextDep, tenant: EditorAccess) -> dict[str, Any]:
    """The names of the organization's secrets (templates read them as ``secrets.NAME``)."""
    try:
        names = await _store(context).names(tenant.org_id)
    except SecretUnavailable as exc:
        raise Problem(503, "Secrets unreadable", str(exc), "secrets-unreadable") from None
    return {"items": [{"name": name} for name in names]}


@router.put("/{name}", status_code=204)
async def put_secret(
    name: str, body: SecretBody, context: ContextDep, tenant: AdminAccess
) -> Response:
    try:
        await _store(context).put(tenant.org_id, name, body.value)
    except ValueError as exc:
        raise Problem(422, "Invalid secret name", str(exc), "invalid-secret-name") from None
    return Response(status_code=204)


@router.delete("/{name}", status_code=204)
async def delete_secret(name: str, context: ContextDep, tenant: AdminAccess) -> Response:
    if not await _store(context).delete(tenant.org_id, name):
        raise not_found("secret", name)
    return Response(status_code=204)
