"""``Routes``: routes declared on it reach the app once, as if declared there."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from raikoo_gateway.db_retry import RetryingRoute
from raikoo_gateway.routing import Routes

calls: list[str] = []


def _app_dependency() -> None:
    calls.append("app")


def _router_dependency() -> None:
    calls.append("router")


def _route_dependency() -> None:
    calls.append("route")


def _api_routes(app: FastAPI) -> dict[str, APIRoute]:
    return {route.path: route for route in app.routes if isinstance(route, APIRoute)}


def test_routes_are_recorded_and_added_once_with_the_routers_settings() -> None:
    routes = Routes(
        prefix="/v1/things", tags=["things"], dependencies=[Depends(_router_dependency)]
    )

    @routes.get("/{thing_id}", tags=["extra"], dependencies=[Depends(_route_dependency)])
    async def get_thing(thing_id: int) -> dict[str, Any]:
        return {"id": thing_id}

    @routes.post("", status_code=201)
    async def make_thing() -> dict[str, str]:
        return {"made": "yes"}

    assert routes.routes == []  # nothing is built where the routes are declared
    app = FastAPI(dependencies=[Depends(_app_dependency)])
    routes.add_to(app)

    added = _api_routes(app)
    assert set(added) == {"/v1/things/{thing_id}", "/v1/things"}
    one = added["/v1/things/{thing_id}"]
    assert isinstance(one, RetryingRoute)
    assert one.tags == ["things", "extra"]
    assert added["/v1/things"].status_code == 201

    calls.clear()
    with TestClient(app) as client:
        assert client.get("/v1/things/7").json() == {"id": 7}
        assert calls == ["app", "router", "route"]  # the order an included router gives
        assert client.get("/v1/things/x").status_code == 422
        assert client.post("/v1/things").status_code == 201


def test_a_hidden_router_hides_its_routes_and_keeps_its_route_class() -> None:
    routes = Routes(prefix="/internal", include_in_schema=False, route_class=APIRoute)

    @routes.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    app = FastAPI()
    routes.add_to(app)
    route = _api_routes(app)["/internal/ping"]
    assert type(route) is APIRoute
    assert route.include_in_schema is False
    assert "/internal/ping" not in app.openapi()["paths"]


def test_the_gateways_app_has_each_route_once() -> None:
    from raikoo_gateway.app import build_api
    from raikoo_gateway.auth.policy import served_routes

    labels = [route.label for route in served_routes(build_api())]
    assert len(labels) == len(set(labels))
    assert "GET /v1/runs/{run_id}" in labels
