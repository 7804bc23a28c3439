"""Embed tokens: what lets a third-party page run one workflow through the run widget
(docs/embedding.md). Made, listed and revoked by the project's editors, like its hooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from raikoo_common.api.embed import EmbedToken, EmbedTokenCreated
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.embed import MAX_ORIGINS, origin_of
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import embed as service
from raikoo_gateway.service.pages import INT4_MAX, Cursor, CursorQuery, Limit, PageOut
from raikoo_gateway.service.transactions import write

router = Routes(prefix="/v1/embed-tokens", tags=["embed"])


def _origin(value: str) -> str:
    try:
        return origin_of(value)
    except ValueError as exc:
        raise ValueError(f"{value[:200]!r} is not an allowed origin: {exc}") from None


class EmbedTokenIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "pricing page",
                    "workflow": "quote",
                    "origins": ["https://www.example.com"],
                    "expires_at": "2027-06-30T00:00:00Z",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    workflow: str = Field(min_length=1, max_length=200, description="The one workflow it starts")
    version: int | None = Field(
        default=None,
        ge=1,
        le=INT4_MAX,
        description="Pin a version; default: the latest at each run",
    )
    origins: list[Annotated[str, AfterValidator(_origin)]] = Field(
        min_length=1,
        max_length=MAX_ORIGINS,
        description="The origins (https://host[:port]) whose pages may embed the widget",
    )
    expires_at: datetime | None = None


@router.post("", status_code=201)
async def create_embed_token(
    body: EmbedTokenIn, response: Response, context: ContextDep, access: EditorAccess
) -> EmbedTokenCreated:
    """A token for the run widget: it starts runs of ``workflow`` and reads those runs, from
    pages of ``origins``. The whole token is in this answer only."""

    async def create(conn: Any) -> tuple[dict[str, Any], str]:
        return await service.create_token(
            conn,
            access,
            name=body.name,
            workflow=body.workflow,
            version=body.version,
            origins=list(dict.fromkeys(body.origins)),
            expires_at=body.expires_at,
        )

    view, token = await write(context.engine, create)
    context.embed.forget(view["prefix"])
    response.headers["Location"] = f"/v1/embed-tokens/{view['id']}"
    return EmbedTokenCreated(**view, token=token)


@router.get("")
async def list_embed_tokens(
    access: ViewerAccess, context: ContextDep, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[EmbedToken]:
    """The project's embed tokens, newest first (their secrets are never shown again)."""
    async with read_only(context.engine) as conn:
        page = await service.list_tokens(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[EmbedToken].of(page)


@router.delete("/{token_id}", status_code=204)
async def revoke_embed_token(
    token_id: uuid.UUID, access: EditorAccess, context: ContextDep
) -> Response:
    """Revoke a token: refused at once by this gateway, within seconds by the others."""
    async with context.engine.begin() as conn:
        prefix = await service.revoke_token(conn, access, token_id)
    context.embed.forget(prefix)
    return Response(status_code=204)
