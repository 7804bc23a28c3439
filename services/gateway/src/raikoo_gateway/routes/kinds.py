from raikoo_common.api.kinds import OperationKind, OperationKinds
from raikoo_gateway.auth.policy import ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import not_found
from raikoo_gateway.routing import Routes

router = Routes(prefix="/v1/operation-kinds", tags=["operation kinds"])


@router.get("")
async def list_kinds(context: ContextDep, _: ViewerAccess) -> OperationKinds:
    """Every kind a workflow may use, with the JSON Schemas of its config and output."""
    return OperationKinds.model_validate(
        {"items": [context.kinds[name] for name in sorted(context.kinds)]}
    )


@router.get("/{name}")
async def get_kind(name: str, context: ContextDep, _: ViewerAccess) -> OperationKind:
    if name not in context.kinds:
        raise not_found("operation kind", repr(name))
    return OperationKind.model_validate(context.kinds[name])
