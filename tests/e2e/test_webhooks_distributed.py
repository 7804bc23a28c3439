"""Webhooks with the services as separate processes over RabbitMQ and PostgreSQL: a signed
hook call starts a run; a gateway killed (SIGKILL) while its receiver holds deliveries
loses none of them — the next gateway sends each again after its lease, with the same
webhook-id."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import orjson

from tests._budget import WAIT_SECONDS
from tests._webhooks import signed
from tests.e2e._stack import Stack
from tests.integration.test_hooks_api import GREETER
from tests.integration.test_webhook_deliveries import Sink


async def _until(check: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not await check():
        assert time.monotonic() < deadline, f"{what} never happened"
        await asyncio.sleep(0.1)


async def test_a_killed_gateway_loses_no_delivery(stack: Stack) -> None:
    sink = Sink(hold_seconds=60)
    try:
        stack.settings.update(
            RAIKOO_WEBHOOK_ALLOW_HOSTS=json.dumps([f"{sink.server.host}:{sink.server.port}"]),
            RAIKOO_WEBHOOK_LEASE_SECONDS="2",
            RAIKOO_WEBHOOK_POLL_SECONDS="0.1",
        )
        api = await stack.up()
        assert (await api.http.post("/v1/workflows", json=GREETER)).status_code == 201
        made = await api.http.post("/v1/webhooks", json={"name": "s", "url": sink.url})
        assert made.status_code == 201, made.text
        hook = (await api.http.post("/v1/hooks", json={"name": "h", "workflow": "greeter"})).json()

        body = orjson.dumps({"who": "Ada"})
        called = await api.http.post(
            hook["url"], content=body, headers=signed(hook["secret"], body)
        )
        assert called.status_code == 202, called.text
        run_ids = [called.json()["run_id"]]
        sink.hold.set()
        for who in ("Grace", "Linus"):
            started = await api.http.post(
                "/v1/runs", json={"workflow": "greeter", "inputs": {"who": who}}
            )
            run_ids.append(started.json()["id"])
        for run_id in run_ids:
            assert (await api.wait_finished(run_id))["state"] == "succeeded"

        async def in_flight() -> bool:
            return bool(sink.hits)

        await _until(in_flight, "a delivery reaching the receiver")
        held = {hit.headers["webhook-id"] for hit in sink.hits}
        stack.kill(stack.current("gateway"))  # while the receiver holds its requests
        sink.hold.clear()
        await stack.ready(stack.start("gateway"))
        expected = (
            await stack.query(
                "SELECT count(*) FROM run_events WHERE run_id = ANY($1::uuid[]) "
                "AND type IN ('run.state_changed', 'operation.state_changed')",
                run_ids,
            )
        )[0][0]

        async def all_delivered() -> bool:
            rows = await stack.query("SELECT state FROM webhook_deliveries")
            return len(rows) == expected and all(row["state"] == "succeeded" for row in rows)

        await _until(all_delivered, f"{expected} deliveries succeeding")
        ids = {row["id"].hex for row in await stack.query("SELECT id FROM webhook_deliveries")}
        received: dict[str, set[bytes]] = {}
        for hit in sink.hits:
            received.setdefault(hit.headers["webhook-id"], set()).add(hit.body)
        assert set(received) == {f"msg_{i}" for i in ids}  # no event lost
        assert all(len(bodies) == 1 for bodies in received.values())
        again = [h.headers["webhook-id"] for h in sink.hits if h.headers["webhook-id"] in held]
        assert len(again) > len(held)  # sent again after the kill, with the same ids
    finally:
        sink.server.stop()
