from typing import Any

from fastapi import APIRouter

from raikoo_gateway.auth.policy import ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.db_retry import RetryingRoute
from raikoo_gateway.problems import not_found

router = APIRouter(
    prefix="/v1/operation-kinds", tags=["operation kinds"], route_class=RetryingRoute
)


@router.get("")
async def list_kinds(context: ContextDep, _: ViewerAccess) -> dict[str, Any]:
    return {"items": [context.kinds[name] for name in sorted(context.kinds)]}


@router.get("/{name}")
async def get_kind(name: str, context: ContextDep, _: ViewerAccess) -> dict[str, Any]:
    if name not in context.kinds:
        raise not_found("operation kind", repr(name))
    kind: dict[str, Any] = context.kinds[name]
    return kind
