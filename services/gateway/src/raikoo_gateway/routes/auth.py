"""Web sign-in: OIDC login and callback, sign-out, accepting an invitation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from raikoo_gateway.auth.policy import Public, SignedIn
from raikoo_gateway.auth.sessions import (
    SESSION_COOKIE,
    clear_session_cookies,
    create_session,
    revoke_session,
    set_session_cookies,
)
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import Problem
from raikoo_gateway.routing import Routes
from raikoo_gateway.service.access import accept_invitation
from raikoo_gateway.service.signin import OidcClient, Provider

router = Routes(prefix="/v1/auth", tags=["sign-in"])


class AuthConfig(BaseModel):
    oidc: bool = Field(description="Whether sign-in through OIDC is configured")
    login_url: str | None


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=200)


class Accepted(BaseModel):
    organization_id: str


def _oidc(context: GatewayContext) -> OidcClient:
    settings = context.settings
    if not settings.oidc_issuer or not settings.oidc_client_id:
        raise Problem(
            404,
            "Sign-in not configured",
            "this Raikoo has no OIDC provider (RAIKOO_OIDC_ISSUER, RAIKOO_OIDC_CLIENT_ID): "
            "use an API key",
            "not-found",
        )
    if context.oidc is None:
        secret = settings.oidc_client_secret
        context.oidc = OidcClient(
            Provider(
                settings.oidc_issuer,
                settings.oidc_client_id,
                secret.get_secret_value() if secret else None,
                settings.oidc_scopes,
                settings.oidc_trust_email,
            )
        )
    return context.oidc


def _callback_url(request: Request, context: GatewayContext) -> str:
    return context.settings.oidc_redirect_url or str(request.url_for("callback"))


def _local_path(value: str | None, default: str) -> str:
    """Only a path on this site (no other host to send the browser to after sign-in)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


@router.get("/config", dependencies=[Public])
async def config(context: ContextDep) -> AuthConfig:
    enabled = bool(context.settings.oidc_issuer and context.settings.oidc_client_id)
    return AuthConfig(oidc=enabled, login_url="/v1/auth/login" if enabled else None)


@router.get("/login", response_class=RedirectResponse, status_code=302, dependencies=[Public])
async def login(
    request: Request,
    context: ContextDep,
    next: Annotated[str | None, Query(max_length=2048)] = None,
) -> RedirectResponse:
    """Start signing in: the browser goes to the OIDC provider."""
    client = _oidc(context)
    after = _local_path(next, context.settings.console_url)
    where = await client.begin(context.engine, _callback_url(request, context), after)
    return RedirectResponse(where, status_code=302)


@router.get("/callback", response_class=RedirectResponse, status_code=302, dependencies=[Public])
async def callback(
    request: Request,
    context: ContextDep,
    code: Annotated[str | None, Query(max_length=4096)] = None,
    state: Annotated[str | None, Query(max_length=128)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> RedirectResponse:
    """The provider sends the browser back here: a session starts (cookies)."""
    client = _oidc(context)
    if error or not code or not state:
        raise Problem(
            401, "Sign-in failed", f"the provider answered: {error or 'no code'}", "sign-in-failed"
        )
    claims, after = await client.finish(
        context.engine, code, state, _callback_url(request, context)
    )
    async with context.engine.begin() as conn:
        user_id = await client.user(conn, claims)
        session = await create_session(conn, user_id)
    response = RedirectResponse(after, status_code=302)
    set_session_cookies(response, session, secure=context.settings.secure_cookies())
    return response


@router.post("/logout", status_code=204, dependencies=[Public])
async def logout(request: Request, context: ContextDep) -> Response:
    """End the session of this browser."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with context.engine.begin() as conn:
            await revoke_session(conn, token)
    response = Response(status_code=204)
    clear_session_cookies(response)
    return response


@router.post("/invitations/accept")
async def accept(body: AcceptBody, user_id: SignedIn, context: ContextDep) -> Accepted:
    """Join the organization an invitation is for (signed in, with its token)."""
    async with context.engine.begin() as conn:
        org_id = await accept_invitation(conn, user_id, body.token)
    return Accepted(organization_id=str(org_id))
