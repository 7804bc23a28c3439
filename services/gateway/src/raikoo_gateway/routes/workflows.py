from typing import Any

from fastapi import APIRouter, Request, Response

from raikoo_common.db.engine import read_only
from raikoo_common.workflow.loader import Format, read_document
from raikoo_common.workflow.problems import SourceMap
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.db_retry import RetryingRoute
from raikoo_gateway.problems import not_found
from raikoo_gateway.service import transactions
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import StoredVersion, find_version, store_version

router = APIRouter(prefix="/v1/workflows", tags=["workflows"], route_class=RetryingRoute)


def version_view(stored: StoredVersion, *, with_definition: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": str(stored.workflow_id),
        "name": stored.name,
        "version": stored.version,
        "version_id": str(stored.version_id),
        "digest": stored.digest,
        "created_at": stored.created_at,
    }
    if with_definition:
        view["definition"] = stored.definition
        if stored.operations:
            view["operations"] = stored.operations
    return view


def document_from_body(body: bytes, content_type: str) -> tuple[dict[str, Any], SourceMap]:
    fmt: Format | None = (
        "json" if "json" in content_type else ("yaml" if "yaml" in content_type else None)
    )
    return read_document(body, source="request body", fmt=fmt)


@router.post(
    "",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/yaml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def create_version(
    request: Request, response: Response, context: ContextDep, tenant: EditorAccess
) -> dict[str, Any]:
    """Store a definition (YAML or JSON) as a new immutable version of its workflow.

    Posting a definition identical to the latest version stores nothing and answers 200.
    """
    document, source_map = document_from_body(
        await request.body(), request.headers.get("content-type", "")
    )

    stored = await transactions.write(
        context.engine,
        lambda conn: store_version(conn, tenant, document, context.kind_configs, source_map),
    )
    if not stored.created:
        response.status_code = 200
    response.headers["Location"] = f"/v1/workflows/{stored.name}/versions/{stored.version}"
    return version_view(stored)


@router.get("/{name}")
async def get_latest(name: str, context: ContextDep, tenant: ViewerAccess) -> dict[str, Any]:
    return await _get(name, None, context, tenant)


@router.get("/{name}/versions/{version}")
async def get_version(
    name: str, version: int, context: ContextDep, tenant: ViewerAccess
) -> dict[str, Any]:
    return await _get(name, version, context, tenant)


async def _get(
    name: str, version: int | None, context: ContextDep, tenant: Tenant
) -> dict[str, Any]:
    async with read_only(context.engine) as conn:
        stored = await find_version(conn, tenant, name, version)
    if stored is None:
        what = f"{name!r}" + (f" version {version}" if version else "")
        raise not_found("workflow", what)
    return version_view(stored, with_definition=True)
