import sqlalchemy as sa
from fastapi.responses import JSONResponse

from raikoo_common.api.kinds import Readiness
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.policy import Public
from raikoo_gateway.context import ContextDep
from raikoo_gateway.routing import Routes

router = Routes(tags=["health"], dependencies=[Public])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Starting, or the database is down"}},
)
async def readyz(context: ContextDep) -> Readiness | JSONResponse:
    checks: dict[str, str] = {"started": "ok" if context.ready else "starting"}
    try:
        async with read_only(context.engine) as conn:
            await conn.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    ok = all(value == "ok" for value in checks.values())
    body = Readiness(status="ok" if ok else "unavailable", checks=checks)
    return body if ok else JSONResponse(body.model_dump(), status_code=503)
