"""Every route declares who may call it, and the gateway refuses to start otherwise."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI

from raikoo_gateway.app import ROUTERS
from raikoo_gateway.auth.policy import (
    EditorAccess,
    Public,
    api_routes,
    policy_of,
    require_policies,
)


def _app(*routers: APIRouter) -> FastAPI:
    app = FastAPI()
    for router in routers:
        app.include_router(router)
    return app


def test_a_route_without_a_policy_stops_start_up_naming_it() -> None:
    router = APIRouter(prefix="/v1/things")

    @router.get("")
    async def fine(access: EditorAccess) -> None: ...

    @router.post("/{name}/open")
    async def forgotten(name: str) -> None: ...

    with pytest.raises(RuntimeError, match=r"POST /v1/things/\{name\}/open") as refused:
        require_policies(_app(router), exempt=frozenset())
    assert "GET /v1/things" not in str(refused.value)


def test_a_router_wide_policy_counts_for_its_routes() -> None:
    router = APIRouter(prefix="/v1/open", dependencies=[Public])

    @router.get("/hello")
    async def hello() -> None: ...

    app = _app(router)
    require_policies(app, exempt=frozenset())
    assert [policy_of(route) for route in api_routes(app)] == ["public"]


def test_an_app_whose_routes_cannot_be_listed_is_refused() -> None:
    with pytest.raises(RuntimeError, match="no API routes"):
        require_policies(FastAPI(), exempt=frozenset())


def test_the_gateway_routes_are_all_found_and_declared() -> None:
    app = _app(*(module.router for module in ROUTERS))
    require_policies(app, exempt=frozenset())
    routes = {f"{sorted(r.methods or ())[0]} {r.path}": policy_of(r) for r in api_routes(app)}
    assert len(routes) > 40
    assert routes["GET /healthz"] == "public"
    assert routes["POST /v1/runs"] == "editor"
    assert routes["DELETE /v1/keys/{key_id}"] == "admin"
    assert routes["PATCH /v1/organization"] == "owner"
    assert routes["POST /v1/organizations"] == "signed-in"
