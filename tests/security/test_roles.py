"""The role matrix over the gateway's full route list (issue 12).

Each route's policy is compared with ``EXPECTED_POLICY``: loosening a route's role (or making
it public) by mistake fails here. Then a viewer, an editor, an admin and an owner of
organization A call every guarded route on A's own objects: a role below the route's
policy gets 403 naming the role it needs; a role at or above it succeeds. Routes that use
up their object (revoke, cancel, decide, delete) get a fresh one for each call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from raikoo_common.workflow.control import ROLE_RANK
from raikoo_gateway.auth.policy import ServedRoute, policy_of
from tests.security._routes import (
    EMBEDDED,
    EXPECTED_POLICY,
    GUARDED,
    SERVED,
    call,
    entry,
    unique,
)
from tests.security._world import (
    GATED_DEFINITION,
    PROJECT,
    ROLES,
    SCHEDULE,
    WEBHOOK_URL,
    WORKFLOW,
    World,
    _ok,
    gated_run,
    new_member,
    populated_world,
    until,
)


async def _started_gated_run(world: World) -> dict[str, str]:
    started = await _ok(world.owner.post("/v1/runs", json={"definition": GATED_DEFINITION}))
    return {"runs/{run_id}": started["id"]}


async def _waiting_run(world: World) -> dict[str, str]:
    return {"runs/{run_id}": await gated_run(world.owner)}


async def _cancelled_run(world: World) -> dict[str, str]:
    """A run that did not succeed: what a retry starts again."""
    run_id = await gated_run(world.owner)
    await _ok(world.owner.post(f"/v1/runs/{run_id}/cancel"), 202)

    async def cancelled() -> bool:
        return bool((await _ok(world.owner.get(f"/v1/runs/{run_id}")))["state"] == "cancelled")

    await until(cancelled, f"run {run_id} cancelled")
    return {"runs/{run_id}": run_id}


async def _schedule(world: World) -> dict[str, str]:
    made = await _ok(world.owner.post("/v1/schedules", json=SCHEDULE))
    return {"schedules/{schedule_id}": made["id"]}


async def _viewer_key(world: World) -> dict[str, str]:
    made = await _ok(world.owner.post("/v1/keys", json={"name": "spare", "role": "viewer"}))
    return {"keys/{key_id}": made["id"]}


async def _embed_token(world: World) -> dict[str, str]:
    body = {"name": _name(), "workflow": WORKFLOW, "origins": ["https://spare.example"]}
    made = await _ok(world.owner.post("/v1/embed-tokens", json=body))
    return {"embed-tokens/{token_id}": made["id"]}


async def _member(world: World) -> dict[str, str]:
    return {"members/{user_id}": await new_member(world.raikoo, world.owner, _email())}


async def _invitation(world: World) -> dict[str, str]:
    body = {"email": _email(), "role": "viewer"}
    return {
        "invitations/{invitation_id}": (await _ok(world.owner.post("/v1/invitations", json=body)))[
            "id"
        ]
    }


async def _operation(world: World) -> dict[str, str]:
    made = await _ok(world.owner.post("/v1/operations", json={"name": _name(), "kind": "noop"}))
    return {"operations/{name}": made["name"]}


async def _secret(world: World) -> dict[str, str]:
    name = _name().upper().replace("-", "_")
    await _ok(world.owner.put(f"/v1/secrets/{name}", json={"value": "a-spare-secret"}), 204)
    return {"secrets/{name}": name}


async def _own_chat(world: World, role: str) -> dict[str, str]:
    """A chat is its caller's own (another's is a 404): the caller opens one, or — a role
    that may not — is shown the owner's, and is refused before it matters."""
    if ROLE_RANK[role] < ROLE_RANK["editor"]:
        return {}
    async with world.client(role) as client:
        made = await _ok(client.post("/v1/chats", json={"persona": {"instructions": "Hi."}}), 201)
    return {"chats/{chat_id}": made["id"]}


async def _own_chat_message(world: World, role: str) -> dict[str, str]:
    """A message of a chat of the caller's own (as ``_own_chat``)."""
    targets = await _own_chat(world, role)
    if not targets:
        return {}
    async with world.client(role) as client:
        path = f"/v1/chats/{targets['chats/{chat_id}']}/messages"
        said = client.post(path, params={"stream": "false"}, json={"content": "Hello"})
        message = await _ok(said, 201)
    return {**targets, "messages/{message_id}": message["id"]}


async def _provider(world: World) -> dict[str, str]:
    name = _name()
    await _ok(world.owner.put(f"/v1/providers/{name}", json={"kind": "openai"}))
    return {"providers/{name}": name}


async def _persona(world: World) -> dict[str, str]:
    name = _name()
    await _ok(world.owner.put(f"/v1/personas/{name}", json={"instructions": "Be brief."}))
    return {"personas/{name}": name}


async def _tool(world: World) -> dict[str, str]:
    name = _name()
    body = {"type": "http", "name": name, "url": "https://tools.example.com/x"}
    await _ok(world.owner.put(f"/v1/tools/{name}", json=body))
    return {"tools/{name}": name}


async def _hook(world: World) -> dict[str, str]:
    made = await _ok(world.owner.post("/v1/hooks", json={"name": _name(), "workflow": WORKFLOW}))
    return {"hooks/{hook_id}": made["id"]}


async def _subscription(world: World) -> dict[str, str]:
    body = {"name": _name(), "url": WEBHOOK_URL}
    return {
        "webhooks/{subscription_id}": (await _ok(world.owner.post("/v1/webhooks", json=body)))["id"]
    }


async def _budget(world: World) -> dict[str, str]:
    body = {"period": "month", "unit": "tokens", "limit": 1000}
    await _ok(world.owner.put("/v1/budgets", json=body))
    return {}


def _name() -> str:
    return unique("fresh")


def _email() -> str:
    return f"{_name()}@orga.example"


# Routes that use up the object they act on: a fresh one for each call.
FRESH: dict[str, Callable[[World], Awaitable[dict[str, str]]]] = {
    "POST /v1/runs/{run_id}/cancel": _started_gated_run,
    "POST /v1/runs/{run_id}/approvals/{op_key}": _waiting_run,
    "POST /v1/runs/{run_id}/retry": _cancelled_run,
    "DELETE /v1/keys/{key_id}": _viewer_key,
    "DELETE /v1/embed-tokens/{token_id}": _embed_token,
    "PATCH /v1/members/{user_id}": _member,
    "DELETE /v1/members/{user_id}": _member,
    "DELETE /v1/invitations/{invitation_id}": _invitation,
    "DELETE /v1/operations/{name}": _operation,
    "DELETE /v1/secrets/{name}": _secret,
    "DELETE /v1/providers/{name}": _provider,
    "DELETE /v1/personas/{name}": _persona,
    "DELETE /v1/tools/{name}": _tool,
    "DELETE /v1/hooks/{hook_id}": _hook,
    "DELETE /v1/webhooks/{subscription_id}": _subscription,
    "DELETE /v1/budgets": _budget,
    "DELETE /v1/schedules/{schedule_id}": _schedule,
}

# Routes on an object that is the caller's own: one of the role's for each call.
OWN: dict[str, Callable[[World, str], Awaitable[dict[str, str]]]] = {
    "GET /v1/chats/{chat_id}": _own_chat,
    "DELETE /v1/chats/{chat_id}": _own_chat,
    "GET /v1/chats/{chat_id}/messages": _own_chat,
    "GET /v1/chats/{chat_id}/messages/{message_id}": _own_chat_message,
    "POST /v1/chats/{chat_id}/messages": _own_chat,
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    async with populated_world(tmp_path_factory.mktemp("roles")) as world:
        yield world


@pytest.mark.parametrize("route", SERVED, ids=lambda route: route.label)
def test_each_route_requires_the_role_expected_of_it(route: ServedRoute) -> None:
    assert policy_of(route) == entry(EXPECTED_POLICY, route, "EXPECTED_POLICY")


def test_the_policy_table_names_only_served_routes() -> None:
    assert set(EXPECTED_POLICY) <= {route.label for route in SERVED}
    assert set(FRESH) <= {route.label for route in GUARDED}
    assert set(OWN) <= {route.label for route in GUARDED}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", GUARDED, ids=lambda route: route.label)
async def test_a_role_below_the_policy_is_refused_and_one_at_or_above_it_served(
    world: World, route: ServedRoute, role: str
) -> None:
    required = policy_of(route)
    assert required is not None
    targets = world.targets_for(route.label, PROJECT)
    if route.label in FRESH:
        targets |= await FRESH[route.label](world)
    if route.label in OWN:
        targets |= await OWN[route.label](world, role)
    async with world.client(role) as client:
        exchange = await call(client, route, targets)
    status = exchange.response.status_code
    if ROLE_RANK[role] < ROLE_RANK[required]:
        assert status == 403, f"{role}: {exchange}"
        assert exchange.response.json()["required_role"] == required, f"{role}: {exchange}"
    else:
        assert exchange.response.is_success, f"{role} (needs {required}): {exchange}"


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("route", EMBEDDED, ids=lambda route: route.label)
async def test_the_widget_routes_answer_an_embed_token_and_no_key(
    world: World, route: ServedRoute
) -> None:
    async with world.widget() as widget:
        started = await _ok(widget.post("/v1/embed/runs", json={}), 201)
        targets = world.targets_for(route.label, PROJECT) | {"runs/{run_id}": started["id"]}
        exchange = await call(widget, route, targets)
    assert exchange.response.is_success, str(exchange)
    for role in ROLES:
        async with world.client(role) as client:
            exchange = await call(client, route, targets)
        assert exchange.response.status_code == 401, f"{role}: {exchange}"
