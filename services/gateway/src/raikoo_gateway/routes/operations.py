from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from raikoo_common.db.engine import read_only
from raikoo_common.workflow.problems import DefinitionInvalid, SourceMap, problem_at
from raikoo_common.workflow.project_ops import (
    OperationInvalid,
    ProjectOperation,
    validate_operation,
)
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.db_retry import RetryingRoute
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.routes.workflows import DEFINITION_BODY, document_from_body
from raikoo_gateway.service import operations, transactions
from raikoo_gateway.service.operations import StoredOperation

router = APIRouter(prefix="/v1/operations", tags=["operations"], route_class=RetryingRoute)


def operation_view(stored: StoredOperation) -> dict[str, Any]:
    return {
        "id": str(stored.id),
        "uses": stored.definition.uses,
        "version": stored.version,
        **stored.definition.model_dump(mode="json"),
        "created_at": stored.created_at,
        "updated_at": stored.updated_at,
    }


@router.post("", status_code=201, openapi_extra=DEFINITION_BODY)
async def create_operation(
    request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> dict[str, Any]:
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
    after: Annotated[str | None, Query(description="Only names after this one")] = None,
) -> dict[str, Any]:
    """The project's operations in name order; ``next_after`` continues the listing."""
    async with read_only(context.engine) as conn:
        found = await operations.list_operations(conn, tenant, limit=limit + 1, after=after)
    more = len(found) > limit
    return {
        "items": [operation_view(stored) for stored in found[:limit]],
        "next_after": found[limit - 1].name if more else None,
    }


@router.get("/{name}")
async def get_operation(name: str, context: ContextDep, tenant: ViewerAccess) -> dict[str, Any]:
    async with read_only(context.engine) as conn:
        stored = await operations.find_operation(conn, tenant, name)
    if stored is None:
        raise not_found("operation", repr(name))
    return operation_view(stored)


@router.put("/{name}", openapi_extra=DEFINITION_BODY)
async def put_operation(
    name: str, request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> dict[str, Any]:
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
        families = {name: kind["family"] for name, kind in context.kinds.items()}
        return validate_operation(
            document, kinds=context.kind_configs, families=families, source_map=source_map
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
