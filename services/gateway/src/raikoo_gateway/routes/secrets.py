"""Secrets of the organization or of one of its projects: names are listed, values are
written and never read back.

``scope=organization`` (the default) is the organization-wide secrets, which every
project's runs read; ``scope=project`` the request's project's own (its key's project, or
the ``Raikoo-Project`` header's), which its runs read instead of an organization-wide
secret of the same name and no other project's runs see.
"""

from typing import Annotated

from fastapi import Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from raikoo_common.api.secrets import Secret
from raikoo_common.secrets import SecretStore, SecretUnavailable
from raikoo_common.secrets.redact import MIN_SECRET_LENGTH
from raikoo_gateway.auth.policy import AdminAccess, EditorAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import Problem
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import secrets as service
from raikoo_gateway.service.pages import Cursor, CursorQuery, Limit, PageOut

router = Routes(prefix="/v1/secrets", tags=["secrets"])

ScopeQuery = Annotated[
    service.Scope,
    Query(
        description="organization: the organization-wide secrets; project: the request's "
        "project's own (Raikoo-Project header, or the key's project), which override an "
        "organization-wide secret of the same name in that project's runs"
    ),
]


class SecretBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"value": "sk-live-1f2e3d4c5b6a"}]}
    )

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


def _unreadable(exc: SecretUnavailable) -> Problem:
    return Problem(503, "Secrets unreadable", str(exc), "secrets-unreadable")


@router.get("")
async def list_secrets(
    context: ContextDep,
    access: EditorAccess,
    scope: ScopeQuery = "organization",
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> PageOut[Secret]:
    """The secrets of one scope, by name (templates read them as ``secrets.NAME``)."""
    where = await service.target(context.engine, access, scope)
    try:
        page = await service.page(
            _store(context), access, where, limit=limit, cursor=Cursor.decode(cursor)
        )
    except SecretUnavailable as exc:
        raise _unreadable(exc) from None
    return PageOut[Secret].of(page)


@router.put("/{name}", status_code=204)
async def put_secret(
    name: str,
    body: SecretBody,
    context: ContextDep,
    access: AdminAccess,
    scope: ScopeQuery = "organization",
) -> Response:
    """Write a secret (recorded in the audit log as ``secret.written``, without its value)."""
    where = await service.target(context.engine, access, scope)
    try:
        await service.write(context.engine, _store(context), access, where, name, body.value)
    except ValueError as exc:
        raise Problem(422, "Invalid secret name", str(exc), "invalid-secret-name") from None
    except SecretUnavailable as exc:
        raise _unreadable(exc) from None
    return Response(status_code=204)


@router.delete("/{name}", status_code=204)
async def delete_secret(
    name: str, context: ContextDep, access: AdminAccess, scope: ScopeQuery = "organization"
) -> Response:
    """Remove a secret of one scope (recorded in the audit log as ``secret.deleted``)."""
    where = await service.target(context.engine, access, scope)
    try:
        await service.delete(context.engine, _store(context), access, where, name)
    except SecretUnavailable as exc:
        raise _unreadable(exc) from None
    return Response(status_code=204)
