from typing import Annotated, Any

import orjson
from fastapi import Header, Path, Query, Request, Response
from pydantic import BaseModel, Field

from raikoo_common.api.workflows import (
    VersionDiff,
    WorkflowSummary,
    WorkflowVersion,
    WorkflowVersionDetail,
)
from raikoo_common.db.engine import read_only
from raikoo_common.workflow.loader import Format, read_document
from raikoo_common.workflow.problems import DefinitionInvalid, SourceMap, problem_at
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import not_found
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import transactions
from raikoo_gateway.service.operations import resolve_workflow
from raikoo_gateway.service.pages import INT4_MAX, Cursor, CursorQuery, PageOut
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import (
    StoredVersion,
    as_yaml,
    diff_versions,
    exported,
    find_version,
    list_versions,
    list_workflows,
    store_version,
)

router = Routes(prefix="/v1/workflows", tags=["workflows"])

_EXAMPLE = {
    "name": "hello",
    "inputs": {"who": {"type": "string", "default": "world"}},
    "operations": {"greet": {"uses": "set", "with": {"text": "Hello, {{ inputs.who }}!"}}},
    "outputs": {"text": "{{ ops.greet.output.text }}"},
}
DEFINITION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {
                "schema": {"type": "string"},
                "example": (
                    "name: hello\ninputs:\n  who: {type: string, default: world}\n"
                    "operations:\n  greet:\n    uses: set\n"
                    "    with: {text: 'Hello, {{ inputs.who }}!'}\n"
                    "outputs: {text: '{{ ops.greet.output.text }}'}\n"
                ),
            },
            "application/json": {"schema": {"type": "object"}, "example": _EXAMPLE},
        },
    }
}
_YAML = "application/yaml"


class WorkflowValidation(BaseModel):
    name: str
    valid: bool = Field(description="Always true: an invalid definition is a 422 problem")
    operations: list[str] = Field(description="The definition's operation keys")
    project_operations: list[str] = Field(description="The project operations it would pin")


def version_view(stored: StoredVersion, *, with_definition: bool = False) -> WorkflowVersion:
    view = WorkflowVersion(
        id=stored.workflow_id,
        name=stored.name,
        version=stored.version,
        version_id=stored.version_id,
        digest=stored.digest,
        created_at=stored.created_at,
        created=stored.created,
    )
    if not with_definition:
        return view
    return WorkflowVersionDetail(
        **view.model_dump(),
        definition=stored.definition,
        operations=stored.operations,
        ai_objects=stored.ai_objects,
    )


def document_from_body(body: bytes, content_type: str) -> tuple[dict[str, Any], SourceMap]:
    fmt: Format | None = (
        "json" if "json" in content_type else ("yaml" if "yaml" in content_type else None)
    )
    return read_document(body, source="request body", fmt=fmt)


@router.get("")
async def list_all(
    context: ContextDep,
    tenant: ViewerAccess,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: CursorQuery = None,
    prefix: Annotated[str | None, Query(max_length=200, description="Names starting so")] = None,
) -> PageOut[WorkflowSummary]:
    """The project's workflows in name order, each with its latest version."""
    async with read_only(context.engine) as conn:
        page = await list_workflows(
            conn, tenant, limit=limit, cursor=Cursor.decode(cursor), prefix=prefix
        )
    return PageOut[WorkflowSummary].of(page)


_UNCHANGED: dict[int | str, dict[str, Any]] = {
    200: {"model": WorkflowVersion, "description": "The same as the latest version: nothing stored"}
}


@router.post("", status_code=201, openapi_extra=DEFINITION_BODY, responses=_UNCHANGED)
async def create_version(
    request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> WorkflowVersion:
    """Store a definition (YAML or JSON) as a new immutable version of its workflow.

    Posting a definition identical to the latest version stores nothing and answers 200.
    """
    document, source_map = document_from_body(
        await request.body(), request.headers.get("content-type", "")
    )
    return await _store(context, tenant, document, source_map, response)


@router.post("/validate", openapi_extra=DEFINITION_BODY)
async def validate(
    request: Request, context: ContextDep, tenant: ViewerAccess
) -> WorkflowValidation:
    """Check a definition (YAML or JSON) as storing it would, storing nothing: every
    problem is in the 422 answer with its path (and line, for text). The web console asks
    this while a workflow is edited."""
    document, source_map = document_from_body(
        await request.body(), request.headers.get("content-type", "")
    )
    async with read_only(context.engine) as conn:
        definition, pinned = await resolve_workflow(
            conn, tenant, document, context.kind_configs, source_map
        )
    return WorkflowValidation(
        name=definition.name,
        valid=True,
        operations=list(definition.operations),
        project_operations=list(pinned),
    )


@router.put("/{name}", status_code=201, openapi_extra=DEFINITION_BODY, responses=_UNCHANGED)
async def apply(
    name: str, request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> WorkflowVersion:
    """Make ``name``'s latest version this definition (YAML or JSON): a new version only
    when it differs from the latest (201), else nothing changes (200), so applying the same
    files again is idempotent. The definition's ``name`` may be left out; if given it must
    be ``name``."""
    document, source_map = document_from_body(
        await request.body(), request.headers.get("content-type", "")
    )
    given = document.setdefault("name", name)
    if given != name:
        message = f"the definition is named {given!r}, but the URL names {name!r}"
        raise DefinitionInvalid([problem_at(("name",), message, source_map)], "request body")
    return await _store(context, tenant, document, source_map, response)


async def _store(
    context: GatewayContext,
    tenant: EditorAccess,
    document: dict[str, Any],
    source_map: SourceMap,
    response: Response,
) -> WorkflowVersion:
    stored = await transactions.write(
        context.engine,
        lambda conn: store_version(conn, tenant, document, context.kind_configs, source_map),
    )
    if not stored.created:
        response.status_code = 200
    response.headers["Location"] = f"/v1/workflows/{stored.name}/versions/{stored.version}"
    return version_view(stored)


@router.get("/{name}")
async def get_latest(name: str, context: ContextDep, tenant: ViewerAccess) -> WorkflowVersionDetail:
    return await _detail(name, None, context, tenant)


@router.get("/{name}/versions")
async def versions(
    name: str,
    context: ContextDep,
    tenant: ViewerAccess,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: CursorQuery = None,
) -> PageOut[WorkflowVersion]:
    """The workflow's versions, newest first (without their definitions)."""
    async with read_only(context.engine) as conn:
        page = await list_versions(conn, tenant, name, limit=limit, cursor=Cursor.decode(cursor))
    if page is None:
        raise not_found("workflow", repr(name))
    return PageOut[WorkflowVersion](
        items=[version_view(item) for item in page.items],
        next_cursor=page.next.encode() if page.next else None,
    )


@router.get("/{name}/versions/{version}")
async def get_version(
    name: str,
    version: Annotated[int, Path(ge=1, le=INT4_MAX)],
    context: ContextDep,
    tenant: ViewerAccess,
) -> WorkflowVersionDetail:
    return await _detail(name, version, context, tenant)


@router.get(
    "/{name}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The definition (a YAML document; JSON when asked)",
            "content": {
                _YAML: {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def export(
    name: str,
    context: ContextDep,
    tenant: ViewerAccess,
    version: Annotated[
        int | None, Query(ge=1, le=INT4_MAX, description="Default: the latest")
    ] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """The definition as a file to keep in git (YAML; JSON when asked with ``Accept``),
    defaults left out. Storing it again (``PUT``) makes no new version."""
    stored = await _find(name, version, context, tenant)
    document = exported(stored)
    if accept and "json" in accept and "yaml" not in accept:
        return Response(orjson.dumps(document), media_type="application/json")
    filename = f"{stored.name}.yaml"
    return Response(
        as_yaml(document),
        media_type=f"{_YAML}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/{name}/diff")
async def diff(
    name: str,
    context: ContextDep,
    tenant: ViewerAccess,
    from_version: Annotated[
        int, Query(alias="from", ge=1, le=INT4_MAX, description="The older version")
    ],
    to_version: Annotated[
        int | None, Query(alias="to", ge=1, le=INT4_MAX, description="Default: the latest")
    ] = None,
) -> VersionDiff:
    """What changed between two versions of the workflow."""
    old = await _find(name, from_version, context, tenant)
    new = await _find(name, to_version, context, tenant)
    found = diff_versions(old, new)
    return VersionDiff(
        name=new.name,
        from_version=old.version,
        to_version=new.version,
        identical=old.digest == new.digest,
        added_operations=found.added,
        removed_operations=found.removed,
        changed_operations=found.changed,
        changed_fields=found.fields,
        pinned_operations_changed=found.operations_pinned,
        unified=found.unified,
    )


async def _detail(
    name: str, version: int | None, context: GatewayContext, tenant: Tenant
) -> WorkflowVersionDetail:
    view = version_view(await _find(name, version, context, tenant), with_definition=True)
    assert isinstance(view, WorkflowVersionDetail)
    return view


async def _find(
    name: str, version: int | None, context: GatewayContext, tenant: Tenant
) -> StoredVersion:
    async with read_only(context.engine) as conn:
        stored = await find_version(conn, tenant, name, version)
    if stored is None:
        what = f"{name!r}" + (f" version {version}" if version else "")
        raise not_found("workflow", what)
    return stored
