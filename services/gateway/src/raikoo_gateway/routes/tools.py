"""Tools of a project, of the three kinds an ``ai.prompt`` takes inline: an HTTP endpoint, a
workflow of the project run as a child, an MCP server. An operation (or a persona) names
them in its ``tools`` list (``tools: [weather, {type: http, ...}]``); the workflow version
pins the version current when it was stored."""

from typing import Annotated

from fastapi import Body, Path, Response

from raikoo_ai_runner.config.tools import TOOL_NAME_PATTERN, Tool
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem
from raikoo_gateway.routes._ai_objects import (
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
from raikoo_gateway.service.pages import INT4_MAX, CursorQuery, Limit, PageOut

PATH = "/v1/tools"
router = Routes(prefix=PATH, tags=["tools"])
NameParam = Annotated[str, Path(pattern=TOOL_NAME_PATTERN)]
VersionParam = Annotated[int, Path(ge=1, le=INT4_MAX)]


class ProjectTool(StoredView):
    spec: Tool


@router.get("")
async def list_tools(
    context: ContextDep, access: ViewerAccess, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[ProjectTool]:
    """The project's tools, by name."""
    page = await listed(context, where("tool", access, None, write=False), limit, cursor)
    return PageOut[ProjectTool].model_validate(ProjectTool.page(page))


@router.get("/{name}")
async def get_tool(name: NameParam, context: ContextDep, access: ViewerAccess) -> ProjectTool:
    return ProjectTool.of(await found(context, "tool", access, "project", name))


@router.put(
    "/{name}",
    status_code=201,
    responses={200: {"model": ProjectTool, "description": "Replaced, or unchanged"}},
)
async def put_tool(
    name: NameParam,
    body: Annotated[Tool, Body()],
    response: Response,
    context: ContextDep,
    access: EditorAccess,
) -> ProjectTool:
    """Create or replace: each change is a new version (``tool.written`` in the audit
    log); workflow versions stored before keep the version they pinned. The body's
    ``name`` (what the model calls it) is the path's."""
    if body.name != name:
        message = f"the body names {body.name!r}, the path {name!r}: they must agree"
        raise Problem(
            422,
            "Invalid request",
            message,
            "invalid-request",
            errors=[{"path": "body.name", "message": message}],
        )
    place = where("tool", access, None, write=True)
    stored = await written(
        context, access, place, name, body, response, PATH, own_description=False
    )
    return ProjectTool.of(stored)


@router.delete("/{name}", status_code=204)
async def delete_tool(name: NameParam, context: ContextDep, access: EditorAccess) -> Response:
    """Workflow versions that pinned it keep their copy and still run."""
    return await deleted(context, access, where("tool", access, None, write=True), name)


@router.get("/{name}/versions")
async def list_tool_versions(
    name: NameParam,
    context: ContextDep,
    access: ViewerAccess,
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> PageOut[ProjectTool]:
    """Every version, newest first (a workflow may name any: ``{name, version}``)."""
    place = where("tool", access, None, write=False)
    page = await versions(context, place, name, limit, cursor)
    return PageOut[ProjectTool].model_validate(ProjectTool.page(page))


@router.get("/{name}/versions/{number}")
async def get_tool_version(
    name: NameParam, number: VersionParam, context: ContextDep, access: ViewerAccess
) -> ProjectTool:
    place = where("tool", access, None, write=False)
    return ProjectTool.of(await version(context, place, name, number))
