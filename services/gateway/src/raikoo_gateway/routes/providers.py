"""Provider connections: the organization's, which every project uses, and a project's
own, which override one of the same name there. Admins write them; members read them.
Their API keys are secret references, resolved by the ai-runner at each call."""

from typing import Annotated

from fastapi import Path, Response

from raikoo_common.net import AllowList
from raikoo_gateway.auth.policy import AdminAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem
from raikoo_gateway.routes._ai_objects import (
    NAME_PATTERN,
    ScopeQuery,
    StoredView,
    deleted,
    found,
    listed,
    version,
    versions,
    where,
    written,
)
from raikoo_gateway.routing import Routes
from raikoo_gateway.service.ai_specs import ProviderSpec
from raikoo_gateway.service.pages import INT4_MAX, CursorQuery, Limit, PageOut

PATH = "/v1/providers"
router = Routes(prefix=PATH, tags=["providers"])
NameParam = Annotated[str, Path(pattern=NAME_PATTERN)]
VersionParam = Annotated[int, Path(ge=1, le=INT4_MAX)]


class ProviderConnection(StoredView):
    spec: ProviderSpec


@router.get("")
async def list_providers(
    context: ContextDep,
    access: ViewerAccess,
    scope: ScopeQuery = None,
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> PageOut[ProviderConnection]:
    """The connections of one scope (default: the organization's), by name."""
    page = await listed(context, where("provider", access, scope, write=False), limit, cursor)
    return PageOut[ProviderConnection].model_validate(ProviderConnection.page(page))


@router.get("/{name}")
async def get_provider(
    name: NameParam, context: ContextDep, access: ViewerAccess, scope: ScopeQuery = None
) -> ProviderConnection:
    """Without ``scope``: the project's own connection of that name, else the organization's
    (the one a workflow stored in this project would pin)."""
    return ProviderConnection.of(await found(context, "provider", access, scope, name))


@router.put(
    "/{name}",
    status_code=201,
    responses={200: {"model": ProviderConnection, "description": "Replaced, or unchanged"}},
)
async def put_provider(
    name: NameParam,
    body: ProviderSpec,
    response: Response,
    context: ContextDep,
    access: AdminAccess,
    scope: ScopeQuery = None,
) -> ProviderConnection:
    """Create or replace (a new version; recorded in the audit log as ``provider.written``).
    A base URL the outbound-HTTP guard would refuse is refused here."""
    allow = AllowList(context.settings.ai_allow_hosts)
    problems = body.url_problems(allow)
    if problems:
        raise Problem(
            422,
            "Invalid provider connection",
            "; ".join(f"{field}: {message}" for field, message in problems),
            "invalid-request",
            errors=[{"path": f"body.{field}", "message": message} for field, message in problems],
        )
    place = where("provider", access, scope, write=True)
    stored = await written(context, access, place, name, body, response, PATH)
    return ProviderConnection.of(stored)


@router.delete("/{name}", status_code=204)
async def delete_provider(
    name: NameParam, context: ContextDep, access: AdminAccess, scope: ScopeQuery = None
) -> Response:
    """Workflow versions that pinned it keep their copy and still run."""
    return await deleted(context, access, where("provider", access, scope, write=True), name)


@router.get("/{name}/versions")
async def list_provider_versions(
    name: NameParam,
    context: ContextDep,
    access: ViewerAccess,
    scope: ScopeQuery = None,
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> PageOut[ProviderConnection]:
    """Every version, newest first."""
    place = where("provider", access, scope, write=False)
    page = await versions(context, place, name, limit, cursor)
    return PageOut[ProviderConnection].model_validate(ProviderConnection.page(page))


@router.get("/{name}/versions/{number}")
async def get_provider_version(
    name: NameParam,
    number: VersionParam,
    context: ContextDep,
    access: ViewerAccess,
    scope: ScopeQuery = None,
) -> ProviderConnection:
    place = where("provider", access, scope, write=False)
    return ProviderConnection.of(await version(context, place, name, number))
