"""The gateway's full route list and what the security tables need to call each route.

``SERVED`` comes from the application the gateway builds (``build_api``). Every route must
appear in ``EXPECTED_POLICY`` and every guarded one in ``BODIES``: a route added without an
entry fails the tests that read these tables, naming the route.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest

from raikoo_gateway.app import DOCUMENTATION_ROUTES, build_api
from raikoo_gateway.auth.policy import ServedRoute, policy_of, served_routes

Targets = Mapping[str, str]

SERVED = [route for route in served_routes(build_api()) if route.path not in DOCUMENTATION_ROUTES]
GUARDED = [
    route
    for route in SERVED
    if policy_of(route)
    not in ("public", "signed-in", "webhook-signature", "service", "embed-token")
]
"""Routes an API key calls. A signed-in person's routes (their organizations, accepting an
invitation) answer any key 401; tests/integration/test_oidc_signin.py covers them. An inbound
hook's call answers its signature only: tests/integration/test_hooks_api.py covers it. The
services' own routes (the budget ledger) answer any key 401:
tests/integration/test_ai_budgets.py covers them. The run widget's routes answer its embed
token only: ``EMBEDDED`` below, and tests/integration/test_embed_tokens.py."""
EMBEDDED = [route for route in SERVED if policy_of(route) == "embed-token"]
"""The run widget's routes: an embed token's, which every other route refuses."""

# What each route requires: compared with what it declares, so loosening a route's role
# by mistake (or making it public) fails the suite.
EXPECTED_POLICY = {
    "GET /healthz": "public",
    "GET /readyz": "public",
    "GET /v1/auth/config": "public",
    "GET /v1/auth/login": "public",
    "GET /v1/auth/callback": "public",
    "POST /v1/auth/logout": "public",
    "POST /v1/auth/invitations/accept": "signed-in",
    "GET /v1/organizations": "signed-in",
    "POST /v1/organizations": "signed-in",
    "GET /v1/me": "viewer",
    "GET /v1/organization": "viewer",
    "PATCH /v1/organization": "owner",
    "GET /v1/projects": "viewer",
    "POST /v1/projects": "admin",
    "GET /v1/members": "viewer",
    "PATCH /v1/members/{user_id}": "admin",
    "DELETE /v1/members/{user_id}": "admin",
    "GET /v1/invitations": "admin",
    "POST /v1/invitations": "admin",
    "DELETE /v1/invitations/{invitation_id}": "admin",
    "GET /v1/keys": "admin",
    "POST /v1/keys": "admin",
    "DELETE /v1/keys/{key_id}": "admin",
    "GET /v1/audit": "admin",
    "GET /v1/workflows": "viewer",
    "POST /v1/workflows": "editor",
    "POST /v1/workflows/validate": "viewer",
    "PUT /v1/workflows/{name}": "editor",
    "GET /v1/workflows/{name}": "viewer",
    "GET /v1/workflows/{name}/versions": "viewer",
    "GET /v1/workflows/{name}/versions/{version}": "viewer",
    "GET /v1/workflows/{name}/export": "viewer",
    "GET /v1/workflows/{name}/diff": "viewer",
    "POST /v1/runs": "editor",
    "GET /v1/runs": "viewer",
    "GET /v1/runs/{run_id}": "viewer",
    "GET /v1/runs/{run_id}/operations": "viewer",
    "POST /v1/runs/{run_id}/cancel": "editor",
    "POST /v1/runs/{run_id}/retry": "editor",
    "GET /v1/runs/{run_id}/events": "viewer",
    "GET /v1/runs/{run_id}/approvals": "viewer",
    "POST /v1/runs/{run_id}/approvals/{op_key}": "editor",
    "GET /v1/runs/{run_id}/artifacts/{path}": "viewer",
    "GET /v1/operation-kinds": "viewer",
    "GET /v1/operation-kinds/{name}": "viewer",
    "POST /v1/operations": "editor",
    "GET /v1/operations": "viewer",
    "GET /v1/operations/{name}": "viewer",
    "PUT /v1/operations/{name}": "editor",
    "DELETE /v1/operations/{name}": "editor",
    "POST /v1/schedules": "editor",
    "GET /v1/schedules": "viewer",
    "GET /v1/schedules/{schedule_id}": "viewer",
    "PATCH /v1/schedules/{schedule_id}": "editor",
    "POST /v1/schedules/{schedule_id}/pause": "editor",
    "POST /v1/schedules/{schedule_id}/resume": "editor",
    "DELETE /v1/schedules/{schedule_id}": "editor",
    "GET /v1/secrets": "editor",
    "PUT /v1/secrets/{name}": "admin",
    "DELETE /v1/secrets/{name}": "admin",
    "POST /v1/chats": "editor",
    "GET /v1/chats": "editor",
    "GET /v1/chats/{chat_id}": "editor",
    "DELETE /v1/chats/{chat_id}": "editor",
    "GET /v1/chats/{chat_id}/messages": "editor",
    "GET /v1/chats/{chat_id}/messages/{message_id}": "editor",
    "POST /v1/chats/{chat_id}/messages": "editor",
    "GET /v1/providers": "viewer",
    "GET /v1/providers/{name}": "viewer",
    "PUT /v1/providers/{name}": "admin",
    "DELETE /v1/providers/{name}": "admin",
    "GET /v1/providers/{name}/versions": "viewer",
    "GET /v1/providers/{name}/versions/{number}": "viewer",
    "GET /v1/personas": "viewer",
    "GET /v1/personas/{name}": "viewer",
    "PUT /v1/personas/{name}": "editor",
    "DELETE /v1/personas/{name}": "editor",
    "GET /v1/personas/{name}/versions": "viewer",
    "GET /v1/personas/{name}/versions/{number}": "viewer",
    "GET /v1/tools": "viewer",
    "GET /v1/tools/{name}": "viewer",
    "PUT /v1/tools/{name}": "editor",
    "DELETE /v1/tools/{name}": "editor",
    "GET /v1/tools/{name}/versions": "viewer",
    "GET /v1/tools/{name}/versions/{number}": "viewer",
    "POST /v1/hooks": "editor",
    "GET /v1/hooks": "viewer",
    "GET /v1/hooks/{hook_id}": "viewer",
    "PATCH /v1/hooks/{hook_id}": "editor",
    "DELETE /v1/hooks/{hook_id}": "editor",
    "POST /v1/hooks/{hook_id}/rotate-secret": "editor",
    "POST /v1/hooks/{hook_id}": "webhook-signature",
    "POST /v1/webhooks": "editor",
    "GET /v1/webhooks": "viewer",
    "GET /v1/webhooks/{subscription_id}": "viewer",
    "PATCH /v1/webhooks/{subscription_id}": "editor",
    "DELETE /v1/webhooks/{subscription_id}": "editor",
    "POST /v1/webhooks/{subscription_id}/rotate-secret": "editor",
    "GET /v1/webhooks/{subscription_id}/deliveries": "viewer",
    "POST /v1/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver": "editor",
    "POST /v1/embed-tokens": "editor",
    "GET /v1/embed-tokens": "viewer",
    "DELETE /v1/embed-tokens/{token_id}": "editor",
    "GET /v1/embed/workflow": "embed-token",
    "POST /v1/embed/runs": "embed-token",
    "GET /v1/embed/runs/{run_id}": "embed-token",
    "GET /v1/embed/runs/{run_id}/events": "embed-token",
    "GET /v1/budgets": "viewer",
    "PUT /v1/budgets": "admin",
    "DELETE /v1/budgets": "admin",
    "POST /internal/v1/budget-reservations": "service",
    "POST /internal/v1/budget-reservations/{reservation_id}/settle": "service",
    "POST /internal/v1/provider-admissions": "service",
    "POST /internal/v1/provider-slots": "service",
    "POST /internal/v1/provider-slots/{slot_id}/release": "service",
}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


Body = Callable[[Targets], object] | None
"""A valid body for the route, given the objects it may name; None: the route takes none."""

BODIES: dict[str, Body] = {
    "GET /v1/me": None,
    "GET /v1/organization": None,
    "PATCH /v1/organization": lambda _: {"name": "Renamed organization"},
    "GET /v1/projects": None,
    "POST /v1/projects": lambda _: {"slug": unique("p"), "name": "Another project"},
    "GET /v1/members": None,
    "PATCH /v1/members/{user_id}": lambda _: {"role": "viewer"},
    "DELETE /v1/members/{user_id}": None,
    "GET /v1/invitations": None,
    "POST /v1/invitations": lambda _: {"email": f"{unique('new')}@example.com", "role": "viewer"},
    "DELETE /v1/invitations/{invitation_id}": None,
    "GET /v1/keys": None,
    "POST /v1/keys": lambda o: {"name": unique("k"), "role": "viewer", "project": o["project"]},
    "DELETE /v1/keys/{key_id}": None,
    "GET /v1/audit": None,
    "GET /v1/workflows": None,
    "POST /v1/workflows": lambda o: {"name": o["workflow"], "operations": {"z": {"uses": "noop"}}},
    "POST /v1/workflows/validate": lambda o: {
        "name": "checked",
        "operations": {"c": {"uses": "workflow.call", "with": {"workflow": o["workflow"]}}},
    },
    "PUT /v1/workflows/{name}": lambda _: {"operations": {"y": {"uses": "noop"}}},
    "GET /v1/workflows/{name}": None,
    "GET /v1/workflows/{name}/versions": None,
    "GET /v1/workflows/{name}/versions/{version}": None,
    "GET /v1/workflows/{name}/export": None,
    "GET /v1/workflows/{name}/diff": None,
    "POST /v1/runs": lambda o: {"workflow": o["workflow"]},
    "GET /v1/runs": None,
    "GET /v1/runs/{run_id}": None,
    "GET /v1/runs/{run_id}/operations": None,
    "POST /v1/runs/{run_id}/cancel": lambda _: {"reason": "security test"},
    "POST /v1/runs/{run_id}/retry": None,
    "GET /v1/runs/{run_id}/events": None,
    "GET /v1/runs/{run_id}/approvals": None,
    "POST /v1/runs/{run_id}/approvals/{op_key}": lambda _: {"decision": "approve"},
    "GET /v1/runs/{run_id}/artifacts/{path}": None,
    "GET /v1/operation-kinds": None,
    "GET /v1/operation-kinds/{name}": None,
    "POST /v1/operations": lambda _: {"name": unique("op"), "kind": "noop", "config": {}},
    "GET /v1/operations": None,
    "GET /v1/operations/{name}": None,
    "PUT /v1/operations/{name}": lambda _: {"kind": "set", "config": {"greeting": "changed"}},
    "DELETE /v1/operations/{name}": None,
    "POST /v1/schedules": lambda o: {"workflow": o["workflow"], "cron": "0 0 1 1 *"},
    "GET /v1/schedules": None,
    "GET /v1/schedules/{schedule_id}": None,
    "PATCH /v1/schedules/{schedule_id}": lambda _: {"description": "security test"},
    "POST /v1/schedules/{schedule_id}/pause": None,
    "POST /v1/schedules/{schedule_id}/resume": None,
    "DELETE /v1/schedules/{schedule_id}": None,
    "GET /v1/secrets": None,
    "PUT /v1/secrets/{name}": lambda _: {"value": "a-changed-secret-value"},
    "DELETE /v1/secrets/{name}": None,
    "POST /v1/chats": lambda _: {"persona": {"instructions": "You check security."}},
    "GET /v1/chats": None,
    "GET /v1/chats/{chat_id}": None,
    "DELETE /v1/chats/{chat_id}": None,
    "GET /v1/chats/{chat_id}/messages": None,
    "GET /v1/chats/{chat_id}/messages/{message_id}": None,
    "POST /v1/chats/{chat_id}/messages": lambda _: {"content": "hello"},
    "GET /v1/providers": None,
    "GET /v1/providers/{name}": None,
    "PUT /v1/providers/{name}": lambda _: {
        "kind": "openai",
        "api_key": "{{ secrets.ORGA_TOKEN }}",
        "default_model": "gpt-4o",
    },
    "DELETE /v1/providers/{name}": None,
    "GET /v1/providers/{name}/versions": None,
    "GET /v1/providers/{name}/versions/{number}": None,
    "GET /v1/personas": None,
    "GET /v1/personas/{name}": None,
    "PUT /v1/personas/{name}": lambda _: {"instructions": "Changed.", "temperature": 0.5},
    "DELETE /v1/personas/{name}": None,
    "GET /v1/personas/{name}/versions": None,
    "GET /v1/personas/{name}/versions/{number}": None,
    "GET /v1/tools": None,
    "GET /v1/tools/{name}": None,
    "PUT /v1/tools/{name}": lambda o: {
        "type": "http",
        "name": o["tools/{name}"],
        "url": "https://tools.example.com/changed",
    },
    "DELETE /v1/tools/{name}": None,
    "GET /v1/tools/{name}/versions": None,
    "GET /v1/tools/{name}/versions/{number}": None,
    "POST /v1/hooks": lambda o: {"name": unique("h"), "workflow": o["workflow"]},
    "GET /v1/hooks": None,
    "GET /v1/hooks/{hook_id}": None,
    "PATCH /v1/hooks/{hook_id}": lambda _: {"mapping": {"n": "{{ body.n }}"}},
    "DELETE /v1/hooks/{hook_id}": None,
    "POST /v1/hooks/{hook_id}/rotate-secret": None,
    "POST /v1/webhooks": lambda o: {"name": unique("w"), "url": o["webhook_url"]},
    "GET /v1/webhooks": None,
    "GET /v1/webhooks/{subscription_id}": None,
    "PATCH /v1/webhooks/{subscription_id}": lambda _: {"event_types": ["run.*"]},
    "DELETE /v1/webhooks/{subscription_id}": None,
    "POST /v1/webhooks/{subscription_id}/rotate-secret": None,
    "GET /v1/webhooks/{subscription_id}/deliveries": None,
    "POST /v1/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver": None,
    "POST /v1/embed-tokens": lambda o: {
        "name": unique("e"),
        "workflow": o["workflow"],
        "origins": ["https://widget.example"],
    },
    "GET /v1/embed-tokens": None,
    "DELETE /v1/embed-tokens/{token_id}": None,
    "GET /v1/embed/workflow": None,
    "POST /v1/embed/runs": lambda _: {"inputs": {}},
    "GET /v1/embed/runs/{run_id}": None,
    "GET /v1/embed/runs/{run_id}/events": None,
    "GET /v1/budgets": None,
    "PUT /v1/budgets": lambda _: {"period": "month", "unit": "tokens", "limit": 1_000_000},
    "DELETE /v1/budgets": None,
}

QUERIES: dict[str, dict[str, str]] = {
    "GET /v1/workflows/{name}/diff": {"from": "1"},
    "POST /v1/chats/{chat_id}/messages": {"stream": "false"},
    "DELETE /v1/budgets": {"period": "month", "unit": "tokens"},
}
"""Query parameters a route requires."""

_PARAMETER = re.compile(r"([\w-]+)/\{(\w+)\}")


def parameters(route: ServedRoute) -> dict[str, str]:
    """The route's path parameters, each with its key in a targets table: the segment
    before it and its name (``runs/{run_id}``), so ``name`` of a workflow and of a secret
    differ."""
    return {name: f"{segment}/{{{name}}}" for segment, name in _PARAMETER.findall(route.path)}


def entry(table: Mapping[str, object], route: ServedRoute, name: str) -> object:
    """The route's entry in a table; a route without one fails the test, naming it."""
    if route.label not in table:
        pytest.fail(f"{route.label} is missing from {name}: add it there (tests/security)")
    return table[route.label]


@dataclass(frozen=True)
class Exchange:
    request: str
    """The path, headers and body sent: what the caller knew already."""
    response: httpx.Response

    def leaked(self, markers: set[str]) -> list[str]:
        """Identifiers in the answer that the request did not carry."""
        text = self.response.text
        return sorted(m for m in markers if m in text and m not in self.request)

    def __str__(self) -> str:
        return f"{self.request} → {self.response.status_code} {self.response.text[:300]}"


async def call(
    client: httpx.AsyncClient,
    route: ServedRoute,
    targets: Targets,
    *,
    headers: Mapping[str, str] | None = None,
) -> Exchange:
    """Call ``route`` on the objects ``targets`` names, with its sample body."""
    path = route.path
    for parameter, key in parameters(route).items():
        if key not in targets:
            pytest.fail(f"{route.label}: no object for {key} in the targets table (_world.py)")
        path = path.replace(f"{{{parameter}}}", quote(targets[key], safe="/"))
    make = entry(BODIES, route, "BODIES")
    body = make(targets) if callable(make) else None
    query = QUERIES.get(route.label)
    response = await client.request(
        route.method,
        path,
        json=body,
        params=query,
        headers=dict(headers or {}),
    )
    sent = " ".join(
        [route.method, path, *(f"{k}={v}" for k, v in (query or {}).items())]
        + [f"{k}: {v}" for k, v in (headers or {}).items()]
        + ([json.dumps(body)] if body is not None else [])
    )
    return Exchange(sent, response)
