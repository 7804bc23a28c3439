import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from raikoo_common.db.engine import read_only
from raikoo_common.workflow.problems import DefinitionInvalid, SourceMap, problem_at
from raikoo_common.workflow.project_ops import (
    OperationInvalid,
    ProjectOperation,
    validate_operation,
)
from raikoo_common.workflow.schema import InputSpec
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.routes.workflows import DEFINITION_BODY, document_from_body
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import operations, transactions
from raikoo_gateway.service.operations import StoredOperation
from raikoo_gateway.service.pages import Cursor, CursorQuery, PageOut

router = Routes(prefix="/v1/operations", tags=["operations"])


class StoredOperationView(BaseModel):
    id: uuid.UUID
    name: str
    uses: str = Field(description="How workflows use it: `op/<name>`")
    version: int = Field(description="1 when created, one more on each change")
    description: str | None
    kind: str = Field(description="The built-in kind it wraps")
    inputs: dict[str, InputSpec]
    config: dict[str, Any] = Field(description="The kind's config; templates read `inputs`")
    outputs: dict[str, Any] = Field(
        description="Its output mapped from the kind's `output`; empty: the kind's output"
    )
    created_at: datetime
    updated_at: datetime


def operation_view(stored: StoredOperation) -> StoredOperationView:
    return StoredOperationView(
        id=stored.id,
        uses=stored.definition.uses,
        version=stored.version,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        **stored.definition.model_dump(),
    )


@router.post("", status_code=201, openapi_extra=DEFINITION_BODY)
async def create_operation(
    request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> StoredOperationView:
    """Define a project operation (YAML or JSON), used in workflows as ``op/<name>``."""
    operation = await _read(request, context, path_name=None)
    try:
        stored = await transactions.write(
            context.engine, lambda conn: operations.create_operation(conn, tenant, operation)
        )
    except operations.OperationExists:
        raise Problem(
            409,
            "Operation exists",
            f"operation {operation.name!r} already exists: "
            f"PUT /v1/operations/{operation.name} replaces it",
            "operation-exists",
        ) from None
    response.headers["Location"] = f"/v1/operations/{stored.name}"
    return operation_view(stored)


@router.get("")
async def list_operations(
    context: ContextDep,
    tenant: ViewerAccess,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: CursorQuery = None,
) -> PageOut[StoredOperationView]:
    """The project's operations in name order."""
    async with read_only(context.engine) as conn:
        page = await operations.list_operations(
            conn, tenant, limit=limit, cursor=Cursor.decode(cursor)
        )
    return PageOut[StoredOperationView](
        items=[operation_view(stored) for stored in page.items],
        next_cursor=page.next.encode() if page.next else None,
    )


@router.get("/{name}")
async def get_operation(
    name: str, context: ContextDep, tenant: ViewerAccess
) -> StoredOperationView:
    async with read_only(context.engine) as conn:
        stored = await operations.find_operation(conn, tenant, name)
    if stored is None:
        raise not_found("operation", repr(name))
    return operation_view(stored)


@router.put(
    "/{name}",
    openapi_extra=DEFINITION_BODY,
    responses={201: {"model": StoredOperationView, "description": "Created"}},
)
async def put_operation(
    name: str, request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> StoredOperationView:
    """Create or replace; each change makes a new version, an identical body changes nothing.

    Workflow versions already stored keep the version they were stored with.
    """
    operation = await _read(request, context, path_name=name)
    stored, created = await transactions.write(
        context.engine, lambda conn: operations.put_operation(conn, tenant, operation)
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/v1/operations/{stored.name}"
    return operation_view(stored)


@router.delete("/{name}", status_code=204)
async def delete_operation(name: str, context: ContextDep, tenant: EditorAccess) -> Response:
    """Workflow versions stored with it keep their snapshot; new ones can no longer use it."""
    async with context.engine.begin() as conn:
        deleted = await operations.delete_operation(conn, tenant, name)
    if not deleted:
        raise not_found("operation", repr(name))
    return Response(status_code=204)


async def _read(
    request: Request, context: GatewayContext, *, path_name: str | None
) -> ProjectOperation:
    body, content_type = await request.body(), request.headers.get("content-type", "")
    try:
        try:
            document, source_map = document_from_body(body, content_type)
        except DefinitionInvalid as exc:  # not YAML or JSON text
            raise OperationInvalid(exc.problems) from None
        if path_name is not None:
            document = _named(document, path_name, source_map)
        return validate_operation(
            document,
            kinds=context.kind_configs,
            families=context.kind_families,
            source_map=source_map,
        )
    except OperationInvalid as exc:
        errors = [problem.model_dump(exclude_none=True) for problem in exc.problems]
        count = len(errors)
        raise Problem(
            422,
            "Invalid operation definition",
            f"{count} problem{'s' if count != 1 else ''} found; nothing was stored",
            "invalid-operation",
            errors=errors,
        ) from None


def _named(document: dict[str, Any], name: str, source_map: SourceMap) -> dict[str, Any]:
    """The body of a PUT, named by its path: a name in the body must agree with it."""
    if "name" not in document:
        return {**document, "name": name}
    if document["name"] != name:
        message = f"the body names {document['name']!r}, the path {name!r}: they must agree"
        raise OperationInvalid([problem_at(("name",), message, source_map)])
    return document
