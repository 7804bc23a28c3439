"""Personas of a project: instructions, a provider connection, model and sampling
defaults, default tools and alignment. An ``ai.prompt`` names one (``persona: analyst`` or
``{name: analyst, version: 3}``) and overrides any of its fields; the workflow version pins
the version it named."""

from typing import Annotated

from fastapi import Path, Response

from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.routes._ai_objects import (
    NAME_PATTERN,
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
from raikoo_gateway.service.ai_specs import PersonaSpec
from raikoo_gateway.service.pages import INT4_MAX, CursorQuery, Limit, PageOut

PATH = "/v1/personas"
router = Routes(prefix=PATH, tags=["personas"])
NameParam = Annotated[str, Path(pattern=NAME_PATTERN)]
VersionParam = Annotated[int, Path(ge=1, le=INT4_MAX)]


class Persona(StoredView):
    spec: PersonaSpec


@router.get("")
async def list_personas(
    context: ContextDep, access: ViewerAccess, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Persona]:
    """The project's personas, by name."""
    page = await listed(context, where("persona", access, None, write=False), limit, cursor)
    return PageOut[Persona].model_validate(Persona.page(page))


@router.get("/{name}")
async def get_persona(name: NameParam, context: ContextDep, access: ViewerAccess) -> Persona:
    return Persona.of(await found(context, "persona", access, "project", name))


@router.put(
    "/{name}",
    status_code=201,
    responses={200: {"model": Persona, "description": "Replaced, or unchanged"}},
)
async def put_persona(
    name: NameParam,
    body: PersonaSpec,
    response: Response,
    context: ContextDep,
    access: EditorAccess,
) -> Persona:
    """Create or replace: each change is a new version (``persona.written`` in the audit
    log); workflow versions stored before keep the version they pinned."""
    place = where("persona", access, None, write=True)
    return Persona.of(await written(context, access, place, name, body, response, PATH))


@router.delete("/{name}", status_code=204)
async def delete_persona(name: NameParam, context: ContextDep, access: EditorAccess) -> Response:
    """Workflow versions that pinned it keep their copy and still run."""
    return await deleted(context, access, where("persona", access, None, write=True), name)


@router.get("/{name}/versions")
async def list_persona_versions(
    name: NameParam,
    context: ContextDep,
    access: ViewerAccess,
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> PageOut[Persona]:
    """Every version, newest first (a workflow may name any: ``{name, version}``)."""
    place = where("persona", access, None, write=False)
    page = await versions(context, place, name, limit, cursor)
    return PageOut[Persona].model_validate(Persona.page(page))


@router.get("/{name}/versions/{number}")
async def get_persona_version(
    name: NameParam, number: VersionParam, context: ContextDep, access: ViewerAccess
) -> Persona:
    place = where("persona", access, None, write=False)
    return Persona.of(await version(context, place, name, number))
