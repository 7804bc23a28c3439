"""The start-up guard sees every route, including those of included routers (FastAPI keeps an
included router whole in ``app.routes``: a guard reading that list alone saw none of them)."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI

from raikoo_gateway.app import DOCUMENTATION_ROUTES, build_api
from raikoo_gateway.auth.policy import (
    Public,
    ViewerAccess,
    policy_of,
    require_policies,
    served_routes,
)


def _app(*routers: APIRouter, **include: object) -> FastAPI:
    app = FastAPI()
    for router in routers:
        app.include_router(router, **include)  # type: ignore[arg-type]
    return app


def test_a_route_of_an_included_router_without_a_policy_stops_start_up() -> None:
    router = APIRouter(prefix="/v1/things")

    @router.get("/{thing_id}")
    async def open_thing(thing_id: str) -> str:
        return thing_id

    nested = APIRouter(prefix="/v1")
    inner = APIRouter(prefix="/inner")

    @inner.delete("/{item}")
    async def open_item(item: str) -> str:
        return item

    nested.include_router(inner)
    with pytest.raises(RuntimeError, match=r"GET /v1/things/\{thing_id\}") as refused:
        require_policies(_app(router, nested), exempt=frozenset())
    assert "DELETE /v1/inner/{item}" in str(refused.value), "routers inside routers too"


def test_a_policy_counts_wherever_it_is_declared() -> None:
    own, by_router, by_include = (
        APIRouter(prefix="/own"),
        APIRouter(prefix="/router", dependencies=[Public]),
        APIRouter(prefix="/include"),
    )

    @own.get("")
    async def read(_: ViewerAccess) -> None: ...

    @by_router.post("")
    async def hello() -> None: ...

    @by_include.put("")
    async def put() -> None: ...

    app = _app(own, by_router)
    app.include_router(by_include, dependencies=[Public])
    require_policies(app, exempt=frozenset())
    found = {route.label: policy_of(route) for route in served_routes(app)}
    assert found == {"GET /own": "viewer", "POST /router": "public", "PUT /include": "public"}


def test_the_gateway_serves_no_route_without_a_policy() -> None:
    routes = [r for r in served_routes(build_api()) if r.path not in DOCUMENTATION_ROUTES]
    assert len(routes) > 30, "the guard must see the routers' routes"
    assert all(policy_of(route) is not None for route in routes)
    found = {route.label: policy_of(route) for route in routes}
    assert found["GET /healthz"] == "public"
    assert found["POST /v1/runs"] == "editor"
    assert found["PATCH /v1/organization"] == "owner"
    assert found["POST /v1/organizations"] == "signed-in"


def test_an_app_whose_routes_cannot_be_listed_is_refused() -> None:
    with pytest.raises(RuntimeError, match="no API routes"):
        require_policies(FastAPI(), exempt=frozenset())
