"""Authorization in one place: every route declares the least role it needs.

``ViewerAccess``, ``EditorAccess``, ``AdminAccess``, ``OwnerAccess`` are the dependencies a
route takes to get its ``Access`` (the tenant it acts in, and who asks);
``OrganizationAdminAccess`` and ``OrganizationOwnerAccess`` also refuse a caller bound to
one project (the route acts on the whole organization); ``SignedIn`` is a
person signed in to the console outside any organization (creating one, listing theirs,
accepting an invitation); ``Public`` marks the few routes anyone may call (health, sign-in);
``SignedWebhook`` an inbound hook's call, which proves itself with its signature;
``EmbedAccess`` the run widget's embed token (one workflow, the runs it started).
``require_policies`` runs when the app is built and refuses to start if a route declares
none: a new route cannot be open by accident. The project a request acts in is the caller's
key's project, or the one named in the ``Raikoo-Project`` header (a slug), or the
organization's default project.
"""

from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.workflow.control import Role
from raikoo_gateway.auth.authenticate import unauthenticated
from raikoo_gateway.auth.embed import EMBED_CORS, EmbedCors, EmbedGrant
from raikoo_gateway.auth.principal import Access, Principal
from raikoo_gateway.auth.sessions import signed_in_user
from raikoo_gateway.problems import Problem

PROJECT_HEADER = "raikoo-project"
DEFAULT_PROJECT = "default"
_POLICY = "__raikoo_policy__"


def rate_limited(who: str, retry_after: float) -> Problem:
    return Problem(
        429,
        "Too many requests",
        f"the rate limit of {who} is reached; try again in {retry_after:.0f} s",
        "rate-limited",
        headers={"Retry-After": str(int(retry_after))},
    )


def _access(role: Role, *, organization: bool = False) -> Any:
    """``organization``: the route acts on the whole organization, which a caller bound to
    one project may not do, whatever its role."""

    async def access(request: Request) -> Access:
        context = request.app.state.context
        principal: Principal = await context.auth.principal(request)
        if not principal.at_least(role):
            raise Problem(
                403,
                "Role too low",
                f"this needs the role {role!r} or higher; {principal.name} is {principal.role!r}",
                "forbidden",
                required_role=role,
            )
        if organization and principal.project_id is not None:
            raise Problem(
                403,
                "Organization level",
                f"this acts on the whole organization; {principal.name} is bound to one project",
                "forbidden",
                required_scope="organization",
            )
        limits = context.settings.rate_limits(principal)
        retry_after = context.limiter.admit(limits)
        if retry_after is not None:
            raise rate_limited(f"{principal.name} or its organization", retry_after)
        project_id = await context.projects.resolve(principal, request.headers.get(PROJECT_HEADER))
        return Access(principal.org_id, project_id, principal)

    setattr(access, _POLICY, role)
    access.__name__ = f"requires_{role}" + ("_of_the_organization" if organization else "")
    return Depends(access)


async def _signed_in(request: Request) -> uuid.UUID:
    """A person signed in to the console, whatever organizations they belong to (creating
    one, listing theirs, accepting an invitation)."""
    context = request.app.state.context
    user_id = await signed_in_user(context.engine, request)
    limits = [(f"user:{user_id}", context.settings.rate_limit_per_key)]
    retry_after = context.limiter.admit(limits)
    if retry_after is not None:
        raise rate_limited("you", retry_after)
    return user_id


setattr(_signed_in, _POLICY, "signed-in")


def _public() -> None:
    """Anyone may call this route (health, sign-in)."""


setattr(_public, _POLICY, "public")


def _signed_webhook() -> None:
    """No API key or session: the route checks the request's Standard Webhooks signature
    against the secret of the hook it names (an inbound hook's call)."""


setattr(_signed_webhook, _POLICY, "webhook-signature")


async def _service(request: Request) -> None:
    """Another Raikoo service (an ai-runner reserving budget), with the shared token."""
    settings = request.app.state.context.settings
    token = settings.budget_ledger_token
    presented = (request.headers.get("authorization") or "").removeprefix("Bearer ")
    expected = token.get_secret_value() if token is not None else ""
    if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise unauthenticated(
            "this route serves Raikoo's own services, with RAIKOO_BUDGET_LEDGER_TOKEN"
        )


setattr(_service, _POLICY, "service")


@dataclass(frozen=True)
class EmbedCaller(Access):
    """An embed token's bearer: the tenant it acts in, and what the token grants."""

    grant: EmbedGrant


async def _embed(request: Request) -> EmbedCaller:
    """The run widget: an embed token, from a page of an origin the token lists (or from
    the API's own origin: the widget's frame, served here)."""
    context = request.app.state.context
    scheme, _, value = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise unauthenticated("this route takes an embed token: Authorization: Bearer rke_…")
    grant: EmbedGrant = await context.embed.grant(value.strip())
    cors: EmbedCors | None = request.scope.get(EMBED_CORS)
    if cors is not None:
        if cors.origin not in grant.origins:
            raise Problem(
                403,
                "Origin not allowed",
                f"embed token {grant.prefix}_… is not for pages of {cors.origin[:200]!r}",
                "origin-refused",
            )
        cors.allowed = True
    principal = Principal(
        "embed", grant.id, f"embed token {grant.name}", grant.org_id, "viewer", grant.project_id
    )
    retry_after = context.limiter.admit(context.settings.rate_limits(principal))
    if retry_after is not None:
        raise rate_limited(f"{principal.name} or its organization", retry_after)
    return EmbedCaller(grant.org_id, grant.project_id, principal, grant)


setattr(_embed, _POLICY, "embed-token")

ViewerAccess = Annotated[Access, _access("viewer")]
EditorAccess = Annotated[Access, _access("editor")]
AdminAccess = Annotated[Access, _access("admin")]
OwnerAccess = Annotated[Access, _access("owner")]
OrganizationAdminAccess = Annotated[Access, _access("admin", organization=True)]
OrganizationOwnerAccess = Annotated[Access, _access("owner", organization=True)]
"""An admin acting on the whole organization (its secrets): not a key bound to a project."""
Public = Depends(_public)
SignedWebhook = Depends(_signed_webhook)
"""The route authenticates its caller by the webhook signature it verifies itself."""


ServiceCaller = Depends(_service)
"""Raikoo's own services (the ai-runners' budget ledger calls), never an API key."""
EmbedAccess = Annotated[EmbedCaller, Depends(_embed)]
"""The run widget's embed token: only its workflow, only the runs it started."""
SignedIn = Annotated[uuid.UUID, Depends(_signed_in)]
"""The signed-in person's user id (a session, not an API key)."""


@dataclass(frozen=True)
class ServedRoute:
    """An API route as the application serves it: one method, the full path, and every
    dependency (its router's and the application's as well as its own)."""

    method: str
    path: str
    """The path template, parameters without converters: ``/v1/runs/{run_id}/artifacts/{path}``."""
    dependant: Dependant

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def served_routes(app: FastAPI) -> list[ServedRoute]:
    """Every API route of ``app``. FastAPI keeps an included router whole in ``app.routes``:
    only ``iter_route_contexts`` sees the routes inside it."""
    return [
        ServedRoute(method, str(context.path_format), context.dependant)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in sorted(context.methods or ())
    ]


def policy_of(route: ServedRoute) -> str | None:
    """The role a route requires (or "public", "signed-in"), from its dependencies."""
    return _declared(route.dependant)


def _declared(dependant: Dependant) -> str | None:
    for dependency in dependant.dependencies:
        found = getattr(dependency.call, _POLICY, None) or _declared(dependency)
        if found is not None:
            return str(found)
    return None


def require_policies(app: FastAPI, exempt: frozenset[str]) -> None:
    """Refuse to start when a route declares no policy (``exempt``: the documentation's
    own routes, by path), or when the app has no API route at all (a FastAPI that lists
    its routes otherwise would make this check pass by finding none)."""
    routes = served_routes(app)
    if not routes:
        raise RuntimeError("no API routes found: cannot check their access policies")
    missing = [
        route.label for route in routes if route.path not in exempt and policy_of(route) is None
    ]
    if missing:
        raise RuntimeError(
            "routes without an access policy (take ViewerAccess, EditorAccess, AdminAccess, "
            "OrganizationAdminAccess, OwnerAccess, OrganizationOwnerAccess, SignedIn, "
            "SignedWebhook, ServiceCaller, EmbedAccess or Public): "
            f"{', '.join(missing)}"
        )


class Projects:
    """Project slugs of organizations, looked up once a while (projects rarely change)."""

    def __init__(self, engine: AsyncEngine, *, cache_seconds: float = 30.0) -> None:
        self._engine = engine
        self._cache_seconds = cache_seconds
        self._ids: dict[tuple[uuid.UUID, str], tuple[float, uuid.UUID | None]] = {}

    async def resolve(self, principal: Principal, slug: str | None) -> uuid.UUID:
        if principal.project_id is not None:
            if slug is not None and await self._id(principal.org_id, slug) != principal.project_id:
                raise Problem(
                    403,
                    "Project not allowed",
                    f"{principal.name} is bound to another project than {slug!r}",
                    "forbidden",
                )
            return principal.project_id
        wanted = slug or DEFAULT_PROJECT
        project_id = await self._id(principal.org_id, wanted)
        if project_id is None:
            raise Problem(404, "Not found", f"project {wanted!r} does not exist", "not-found")
        return project_id

    def forget(self, org_id: uuid.UUID) -> None:
        self._ids = {key: value for key, value in self._ids.items() if key[0] != org_id}

    async def _id(self, org_id: uuid.UUID, slug: str) -> uuid.UUID | None:
        cached = self._ids.get((org_id, slug))
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        p = t.projects.c
        async with read_only(self._engine) as conn:
            found = await conn.scalar(sa.select(p.id).where(p.org_id == org_id, p.slug == slug))
        self._ids[(org_id, slug)] = (time.monotonic() + self._cache_seconds, found)
        return found
