"""Two organizations in one embedded Raikoo, for the isolation and role tests.

Organization A holds one object of every kind the API addresses, made through the API by
its owner: a stored workflow with two versions, a finished run that wrote an artifact, a run
waiting on an approval, a project operation, API keys (one per role, one bound to project
``alpha``), an embed token of the workflow, an invitation, a member, a secret. Organization B
has an owner key only.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from raikoo.embedded import EmbeddedRaikoo
from raikoo_common.db import tables as t
from raikoo_common.secrets import SecretStore
from raikoo_gateway.service.bootstrap import organization_with_owner_key
from raikoo_gateway.service.signin import OidcClient, Provider
from tests._budget import WAIT_SECONDS
from tests._embedded import embedded_client

ROLES = ("viewer", "editor", "admin", "owner")
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})

WORKFLOW = "orga-flow"
GATED = "orga-gated"
OPERATION = "orga-op"
SECRET = "ORGA_TOKEN"
CHAT = {"persona": {"name": "Orga helper", "instructions": "You help organization A."}}
PROVIDER = "orga-llm"
PERSONA = "orga-persona"
TOOL = "orga-tool"
PROJECT = "alpha"
EMBED_ORIGIN = "https://orga.example"
WEBHOOK_URL = "http://127.0.0.1:9/raikoo"
"""Nothing listens there: deliveries fail at once (allow-listed, so the guard lets them try)."""

FIRST_VERSION = {"name": WORKFLOW, "operations": {"a": {"uses": "noop"}}}
# The second version writes an artifact: a value over the blob threshold travels as one.
SECOND_VERSION = {
    "name": WORKFLOW,
    "operations": {"big": {"uses": "set", "with": {"text": "{{ 'x' * 100000 }}"}}},
}
GATED_DEFINITION = {
    "name": GATED,
    "operations": {"review": {"uses": "wait.approval", "with": {"message": "Ship it?"}}},
}
SCHEDULE = {"workflow": WORKFLOW, "cron": "0 0 1 1 *"}
"""Yearly: the embedded ticker never fires it while the tests run."""
OPERATION_DEFINITION = {"name": OPERATION, "kind": "set", "config": {"greeting": "hello"}}

# Columns that change without anyone acting on an object: when a key was last used.
_BOOKKEEPING = {("api_keys", "last_used_at")}

Snapshot = dict[str, Any]

_ON_A_WAITING_RUN = {
    "POST /v1/runs/{run_id}/cancel",
    "GET /v1/runs/{run_id}/approvals",
    "POST /v1/runs/{run_id}/approvals/{op_key}",
}


@dataclass
class World:
    raikoo: EmbeddedRaikoo
    owner: httpx.AsyncClient
    org_a: uuid.UUID
    alpha_id: uuid.UUID
    keys: dict[str, str]
    """API keys by who holds them: A's roles, ``alpha`` (A's owner role, bound to project
    alpha) and ``org_b`` (B's owner)."""
    targets: dict[str, str]
    """A's objects by the path segment and parameter that address them (``runs/{run_id}``),
    and what bodies name: ``workflow``, ``project``."""
    waiting_run: str
    embed_token: str
    """A's embed token for ``WORKFLOW`` (it started no run)."""
    default_project_markers: set[str] = field(default_factory=set)
    """Identifiers of A's default project's objects (ids, names, key prefixes)."""
    organization_markers: set[str] = field(default_factory=set)
    """Identifiers of A's organization-level objects (members, invitations, secrets)."""

    def client(self, holder: str) -> httpx.AsyncClient:
        return as_key(self.owner, self.keys[holder])

    def widget(self) -> httpx.AsyncClient:
        """A client with A's embed token, as the run widget sends it."""
        headers = {"Authorization": f"Bearer {self.embed_token}"}
        return httpx.AsyncClient(base_url=self.owner.base_url, headers=headers, timeout=30)

    def targets_for(self, label: str, project: str) -> dict[str, str]:
        """A's objects for a route, bodies naming ``project``. Routes on a run's open
        approval, or that cancel a run, get the run that waits: a call that got through
        would change it, not find it finished."""
        targets = {**self.targets, "project": project}
        if label in _ON_A_WAITING_RUN:
            targets["runs/{run_id}"] = self.waiting_run
        return targets

    async def snapshot(self, *, except_project: uuid.UUID | None = None) -> Snapshot:
        """Every row of organization A (but those of ``except_project``) and its secrets,
        without bookkeeping columns: equal snapshots mean nothing of A changed."""
        gateway = self.raikoo.gateway
        assert gateway is not None
        found: Snapshot = {}
        async with gateway.context.engine.connect() as conn:
            for table in t.metadata.sorted_tables:
                if "org_id" in table.c:
                    query = sa.select(table).where(table.c.org_id == self.org_a)
                elif table.name == "organizations":
                    query = sa.select(table).where(table.c.id == self.org_a)
                else:
                    continue
                if except_project is not None and "project_id" in table.c:
                    project = table.c.project_id
                    query = query.where(sa.or_(project.is_(None), project != except_project))
                rows = (await conn.execute(query)).mappings().all()
                found[table.name] = sorted(
                    repr(
                        sorted(
                            (k, v) for k, v in row.items() if (table.name, k) not in _BOOKKEEPING
                        )
                    )
                    for row in rows
                )
            projects = await conn.scalars(
                sa.select(t.projects.c.id).where(t.projects.c.org_id == self.org_a)
            )
            scopes = [None, *(p for p in projects if p != except_project)]
        found["secrets"] = await _secret_digests(gateway.context.secrets, self.org_a, scopes)
        return found


def as_key(owner: httpx.AsyncClient, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=owner.base_url, headers={"X-Api-Key": key}, timeout=30)


async def _secret_digests(
    store: SecretStore | None, org_id: uuid.UUID, scopes: list[uuid.UUID | None]
) -> dict[str, str]:
    """A digest of every secret of these scopes (None: organization-wide), by scope and
    name: a secret written, replaced or deleted changes it."""
    assert store is not None
    digests: dict[str, str] = {}
    for scope in scopes:
        for entry in await store.entries(org_id, project_id=scope):
            value = (await store.values(org_id, [entry.name], project_id=scope))[entry.name]
            digests[f"{scope}/{entry.name}"] = hashlib.sha256(value.encode()).hexdigest()
    return digests


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs between two snapshots, by table."""
    return [
        f"{name}: {len(before.get(name, []))} row(s) before, {len(after.get(name, []))} after"
        + ("" if len(before.get(name, [])) != len(after.get(name, [])) else " (rows changed)")
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]


@asynccontextmanager
async def populated_world(data_dir: Path) -> AsyncIterator[World]:
    # Rate limits off: the tables make hundreds of calls a minute with few keys.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RAIKOO_RATE_LIMIT_PER_KEY", "0")
        env.setenv("RAIKOO_RATE_LIMIT_PER_ORG", "0")
        # A failed delivery is retried a day later: A's rows stay still while tests compare.
        env.setenv("RAIKOO_WEBHOOK_ALLOW_HOSTS", '["127.0.0.1:9"]')
        env.setenv("RAIKOO_WEBHOOK_RETRY_SECONDS", "[86400]")
        async with embedded_client(data_dir) as (raikoo, owner):
            yield await _populate(raikoo, owner)


async def _populate(raikoo: EmbeddedRaikoo, owner: httpx.AsyncClient) -> World:
    gateway = raikoo.gateway
    assert gateway is not None
    assert raikoo.local_admin_key is not None
    me = await _ok(owner.get("/v1/me"))
    org_a = uuid.UUID((await _ok(owner.get("/v1/organization")))["id"])
    keys = {"owner": raikoo.local_admin_key}
    for role in ("viewer", "editor", "admin"):
        keys[role] = (await _ok(owner.post("/v1/keys", json={"name": role, "role": role})))["key"]

    stored = [
        await _ok(owner.post("/v1/workflows", json=definition))
        for definition in (FIRST_VERSION, SECOND_VERSION)
    ]
    assert [version["version"] for version in stored] == [1, 2]
    subscription = await _ok(
        owner.post(
            "/v1/webhooks",
            json={
                "name": "orga-sub",
                "url": WEBHOOK_URL,
                "event_types": ["run.succeeded"],
                "workflows": [WORKFLOW],
            },
        )
    )
    hook = await _ok(owner.post("/v1/hooks", json={"name": "orga-hook", "workflow": WORKFLOW}))
    finished = await _ok(owner.post("/v1/runs", json={"workflow": WORKFLOW}))
    await until_finished(owner, finished["id"])
    delivery = await _attempted_delivery(owner, subscription["id"])
    operations = (await _ok(owner.get(f"/v1/runs/{finished['id']}/operations")))["items"]
    artifact_key = next(op for op in operations if op["key"] == "big")["output"]["$artifact"]["key"]
    waiting = await gated_run(owner)
    operation = await _ok(owner.post("/v1/operations", json=OPERATION_DEFINITION))
    schedule = await _ok(owner.post("/v1/schedules", json=SCHEDULE))
    await _ok(owner.put(f"/v1/secrets/{SECRET}", json={"value": "orga-secret-value-1"}), 204)
    provider = await _ok(
        owner.put(
            f"/v1/providers/{PROVIDER}",
            json={"kind": "openai", "api_key": "{{ secrets.ORGA_TOKEN }}"},
        )
    )
    persona = await _ok(
        owner.put(f"/v1/personas/{PERSONA}", json={"instructions": "Be brief.", "tools": [TOOL]})
    )
    tool = await _ok(
        owner.put(
            f"/v1/tools/{TOOL}",
            json={"type": "http", "name": TOOL, "url": "https://tools.example.com/x"},
        )
    )
    other_key = await _ok(owner.post("/v1/keys", json={"name": "spare", "role": "viewer"}))
    embed = await _ok(
        owner.post(
            "/v1/embed-tokens",
            json={"name": "orga-widget", "workflow": WORKFLOW, "origins": [EMBED_ORIGIN]},
        )
    )
    invitation = await _ok(
        owner.post("/v1/invitations", json={"email": "ivy@orga.example", "role": "viewer"})
    )
    member = await new_member(raikoo, owner, "mo@orga.example")
    chat = await _ok(owner.post("/v1/chats", json=CHAT), 201)
    said = {"content": "Hello"}
    message = await _ok(
        owner.post(f"/v1/chats/{chat['id']}/messages", params={"stream": "false"}, json=said), 201
    )

    alpha = await _ok(owner.post("/v1/projects", json={"slug": PROJECT, "name": "Alpha"}))
    project_key = await _ok(
        owner.post("/v1/keys", json={"name": "alpha", "role": "owner", "project": PROJECT})
    )
    keys["alpha"] = project_key["key"]
    org_b, keys["org_b"] = await organization_with_owner_key(
        gateway.context.engine, "org-b", "Organization B", key_name="org B owner"
    )
    assert org_b.org_id != org_a

    listed = (await _ok(owner.get("/v1/keys")))["items"]
    world = World(
        raikoo=raikoo,
        owner=owner,
        org_a=org_a,
        alpha_id=uuid.UUID(alpha["id"]),
        keys=keys,
        targets={
            "workflows/{name}": WORKFLOW,
            "versions/{version}": "1",
            "runs/{run_id}": finished["id"],
            "approvals/{op_key}": "review",
            "artifacts/{path}": artifact_key.split("/", 2)[2],
            "keys/{key_id}": other_key["id"],
            "embed-tokens/{token_id}": embed["id"],
            "members/{user_id}": member,
            "invitations/{invitation_id}": invitation["id"],
            "operations/{name}": OPERATION,
            "operation-kinds/{name}": "noop",
            "secrets/{name}": SECRET,
            "chats/{chat_id}": chat["id"],
            "messages/{message_id}": message["id"],
            "providers/{name}": PROVIDER,
            "personas/{name}": PERSONA,
            "tools/{name}": TOOL,
            "versions/{number}": "1",
            "hooks/{hook_id}": hook["id"],
            "webhooks/{subscription_id}": subscription["id"],
            "deliveries/{delivery_id}": delivery,
            "webhook_url": WEBHOOK_URL,
            "schedules/{schedule_id}": schedule["id"],
            "workflow": WORKFLOW,
            "project": PROJECT,
        },
        waiting_run=waiting,
        embed_token=embed["token"],
    )
    world.default_project_markers = {
        me["project"],
        WORKFLOW,
        GATED,
        OPERATION,
        operation["id"],
        PERSONA,
        persona["id"],
        TOOL,
        tool["id"],
        hook["id"],
        subscription["id"],
        delivery,
        schedule["id"],
        embed["id"],
        embed["prefix"],
        finished["id"],
        waiting,
        chat["id"],
        chat["workflow"]["name"],
        *(version["id"] for version in stored),
        *(version["version_id"] for version in stored),
        *(op["id"] for op in operations),
        *(key[part] for key in listed if key["project"] != PROJECT for part in ("id", "prefix")),
    }
    world.organization_markers = {
        str(world.org_a),
        alpha["id"],
        PROJECT,
        SECRET,
        PROVIDER,
        provider["id"],
        member,
        invitation["id"],
        invitation["email"],
        *(m["user_id"] for m in (await _ok(owner.get("/v1/members")))["items"]),
        *(key[part] for key in listed for part in ("id", "prefix")),
    }
    return world


async def _ok(request: Awaitable[httpx.Response], status: int | None = None) -> Any:
    response = await request
    assert response.is_success if status is None else response.status_code == status, (
        f"{response.request.method} {response.request.url.path}: "
        f"{response.status_code} {response.text}"
    )
    return response.json() if response.content else None


async def _attempted_delivery(owner: httpx.AsyncClient, subscription_id: str) -> str:
    """The id of the subscription's delivery once its first attempt is over (it fails)."""
    path = f"/v1/webhooks/{subscription_id}/deliveries"

    async def attempted() -> bool:
        items = (await _ok(owner.get(path)))["items"]
        return bool(items) and items[0]["attempts"] >= 1

    await until(attempted, "the first delivery attempt")
    return str((await _ok(owner.get(path)))["items"][0]["id"])


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"{what} never happened"
        await asyncio.sleep(0.02)


async def until_finished(owner: httpx.AsyncClient, run_id: str) -> None:
    async def finished() -> bool:
        run = await _ok(owner.get(f"/v1/runs/{run_id}"))
        assert run["state"] in TERMINAL | {"queued", "running"}, run
        return bool(run["state"] == "succeeded")

    await until(finished, f"run {run_id} succeeding")


async def gated_run(owner: httpx.AsyncClient) -> str:
    """A run of A's default project waiting for a decision on its operation ``review``."""
    started = await _ok(owner.post("/v1/runs", json={"definition": GATED_DEFINITION}))

    async def asks() -> bool:
        found = await _ok(owner.get(f"/v1/runs/{started['id']}/approvals"))
        return bool(found["items"])

    await until(asks, f"run {started['id']} asking for approval")
    return str(started["id"])


async def new_member(raikoo: EmbeddedRaikoo, owner: httpx.AsyncClient, email: str) -> str:
    """A viewer of A: invited through the API, then signed in once (the sign-in's own
    service: a verified email with an open invitation joins)."""
    gateway = raikoo.gateway
    assert gateway is not None
    await _ok(owner.post("/v1/invitations", json={"email": email, "role": "viewer"}))
    provider = Provider("https://idp.invalid", "raikoo", None, "openid email", trust_email=True)
    claims = {"sub": email, "email": email, "name": email.split("@", maxsplit=1)[0]}
    async with gateway.context.engine.begin() as conn:
        user_id = await OidcClient(provider).user(conn, claims)
    return str(user_id)
