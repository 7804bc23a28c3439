"""Outbound webhooks through an embedded Raikoo and a local sink (allow-listed for the SSRF
guard): deliveries verify with the reference Standard Webhooks library; failures are retried,
fail for good, disable their subscription, and are sent again by hand with the same
webhook-id; a delivery worker stopped while sending loses no event (PostgreSQL)."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa
from standardwebhooks import Webhook

from raikoo.embedded import EmbeddedRaikoo
from raikoo_common.db import tables as t
from raikoo_gateway.webhooks.delivery import forget_deliveries_before
from raikoo_gateway.webhooks.worker import WebhookWorker
from tests._embedded import embedded_client
from tests.integration.test_hooks_api import GREETER
from tests.security._world import until, until_finished
from tests.unit.net._servers import Hit, LocalServer, Reply

SINK = "/sink"


class Sink:
    """A receiver whose answer the test sets: a status, and whether to hold requests."""

    def __init__(self, hold_seconds: float = 3.0) -> None:
        self.status = 200
        self.hold_seconds = hold_seconds
        self.hold = threading.Event()
        self.server = LocalServer({SINK: self._answer}).start()

    def _answer(self, hit: Hit) -> Reply:
        if self.hold.is_set():
            return Reply(self.status, delay=self.hold_seconds)
        return Reply(self.status)

    @property
    def url(self) -> str:
        return self.server.url(SINK)

    @property
    def hits(self) -> list[Hit]:
        return [hit for hit in self.server.hits if hit.path == SINK]


@pytest.fixture
def sink() -> Iterator[Sink]:
    made = Sink()
    yield made
    made.server.stop()


@asynccontextmanager
async def raikoo_for(
    tmp_path: Path,
    sink: Sink,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str | None = None,
    **settings: Any,
) -> AsyncIterator[tuple[EmbeddedRaikoo, httpx.AsyncClient]]:
    allowed = [f"{sink.server.host}:{sink.server.port}"]
    monkeypatch.setenv("RAIKOO_WEBHOOK_ALLOW_HOSTS", json.dumps(allowed))
    monkeypatch.setenv("RAIKOO_WEBHOOK_POLL_SECONDS", "0.05")
    for name, value in settings.items():
        monkeypatch.setenv(f"RAIKOO_{name.upper()}", json.dumps(value))
    async with embedded_client(tmp_path, database_url=database_url) as (raikoo, http):
        made = await http.post("/v1/workflows", json=GREETER)
        assert made.status_code == 201, made.text
        yield raikoo, http


async def _subscribe(http: httpx.AsyncClient, url: str, **fields: Any) -> dict[str, Any]:
    made = await http.post("/v1/webhooks", json={"name": "sub", "url": url, **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def _run(http: httpx.AsyncClient, who: str = "Ada") -> str:
    started = await http.post("/v1/runs", json={"workflow": "greeter", "inputs": {"who": who}})
    assert started.status_code == 201, started.text
    run_id: str = started.json()["id"]
    await until_finished(http, run_id)
    return run_id


async def _deliveries(http: httpx.AsyncClient, subscription: dict[str, Any]) -> list[Any]:
    found = await http.get(f"/v1/webhooks/{subscription['id']}/deliveries")
    assert found.status_code == 200, found.text
    items: list[Any] = found.json()["items"]
    return items


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.integration)]
)
async def test_deliveries_are_signed_so_the_reference_library_verifies_them(
    database: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sink: Sink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = None
    if database == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        url = make()
    async with raikoo_for(tmp_path, sink, monkeypatch, url) as (_, http):
        subscription = await _subscribe(
            http, sink.url, event_types=["run.*", "operation.succeeded"], workflows=["greeter"]
        )
        other = await http.post("/v1/workflows", json={**GREETER, "name": "unwatched"})
        assert other.status_code == 201
        run_id = await _run(http)
        unwatched = await http.post(
            "/v1/runs", json={"workflow": "unwatched", "inputs": {"who": "x"}}
        )
        await until_finished(http, unwatched.json()["id"])

        async def delivered() -> bool:
            items = await _deliveries(http, subscription)
            return (
                bool(items)
                and all(item["state"] == "succeeded" for item in items)
                and any(item["event_type"] == "run.succeeded" for item in items)
            )

        await until(delivered, "every delivery succeeding")
        verifier = Webhook(subscription["secret"])
        # Sent concurrently, so in any order: ``seq`` orders a run's events.
        received = sorted(
            (verifier.verify(hit.body, hit.headers) for hit in sink.hits),
            key=lambda event: event["data"]["seq"],
        )
        types = [event["type"] for event in received]
        assert types == ["run.running", "operation.succeeded", "run.succeeded"]
        assert {event["data"]["run_id"] for event in received} == {run_id}
        final = received[-1]["data"]
        assert final["workflow"] == {"name": "greeter", "version": 1}
        assert final["outputs"] == {"text": "Hello, Ada!", "times": 1}
        assert all(hit.headers["webhook-id"].startswith("msg_") for hit in sink.hits)
        log = await _deliveries(http, subscription)
        assert {item["webhook_id"] for item in log} == {h.headers["webhook-id"] for h in sink.hits}
        assert all(item["last_status"] == 200 and item["attempts"] == 1 for item in log)
        assert all(item["last_latency_ms"] is not None for item in log)

        # After a rotation, deliveries carry a signature for each secret in force.
        rotated = (await http.post(f"/v1/webhooks/{subscription['id']}/rotate-secret")).json()
        await _run(http, "Grace")
        await until(lambda: _count_at_least(sink, 6), "the second run's deliveries")
        last = sink.hits[-1]
        assert last.headers["webhook-id"] not in {item["webhook_id"] for item in log}
        assert len(last.headers["webhook-signature"].split(" ")) == 2
        for secret in (subscription["secret"], rotated["secret"]):
            Webhook(secret).verify(last.body, last.headers)


async def _count_at_least(sink: Sink, count: int) -> bool:
    return len(sink.hits) >= count


async def test_failures_retry_then_disable_and_a_redelivery_keeps_the_webhook_id(
    tmp_path: Path, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink.status = 500
    async with raikoo_for(
        tmp_path,
        sink,
        monkeypatch,
        webhook_retry_seconds=[0.2, 0.2, 0.2],
        webhook_disable_after_seconds=0.3,
    ) as (_, http):
        subscription = await _subscribe(http, sink.url, event_types=["run.succeeded"])
        await _run(http)

        async def disabled() -> bool:
            found = (await http.get(f"/v1/webhooks/{subscription['id']}")).json()
            return found["enabled"] is False

        await until(disabled, "the failing subscription being disabled")
        found = (await http.get(f"/v1/webhooks/{subscription['id']}")).json()
        assert "every delivery attempt failed" in found["disabled_reason"]
        assert found["failing_since"] is not None
        [delivery] = await _deliveries(http, subscription)
        assert delivery["last_status"] == 500
        assert delivery["attempts"] >= 2
        assert "answered 500" in delivery["last_error"]
        ids = {hit.headers["webhook-id"] for hit in sink.hits}
        assert ids == {delivery["webhook_id"]}

        sink.status = 204
        enabled = await http.patch(f"/v1/webhooks/{subscription['id']}", json={"enabled": True})
        assert enabled.json()["enabled"] is True
        assert enabled.json()["disabled_reason"] is None

        async def succeeded() -> bool:
            [item] = await _deliveries(http, subscription)
            return bool(item["state"] == "succeeded")

        await until(succeeded, "the pending delivery going out once re-enabled")
        sent = len(sink.hits)
        again = await http.post(
            f"/v1/webhooks/{subscription['id']}/deliveries/{delivery['id']}/redeliver"
        )
        assert again.status_code == 202, again.text
        await until(lambda: _count_at_least(sink, sent + 1), "the redelivery")
        await until(succeeded, "the redelivery succeeding")
        assert {hit.headers["webhook-id"] for hit in sink.hits} == {delivery["webhook_id"]}
        bodies = {hit.body for hit in sink.hits}
        assert len(bodies) == 1  # the same payload every time


async def test_a_delivery_fails_for_good_after_its_last_retry(
    tmp_path: Path, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink.status = 503
    async with raikoo_for(tmp_path, sink, monkeypatch, webhook_retry_seconds=[0.1]) as (
        raikoo,
        http,
    ):
        subscription = await _subscribe(http, sink.url, event_types=["run.succeeded"])
        await _run(http)

        async def failed() -> bool:
            items = await _deliveries(http, subscription)
            return bool(items) and items[0]["state"] == "failed"

        await until(failed, "the delivery failing for good")
        [delivery] = await _deliveries(http, subscription)
        assert delivery["attempts"] == 2
        assert delivery["next_attempt_at"] is None
        assert len(sink.hits) == 2
        found = (await http.get(f"/v1/webhooks/{subscription['id']}")).json()
        assert found["enabled"] is True  # failing for less than disable_after

        # The log forgets finished deliveries made before the retention cutoff.
        assert raikoo.gateway is not None
        engine = raikoo.gateway.context.engine
        await _run(http)
        created = datetime.fromisoformat(delivery["created_at"])
        async with engine.begin() as conn:
            await forget_deliveries_before(conn, created)
        assert len(await _deliveries(http, subscription)) >= 1
        async with engine.begin() as conn:
            await forget_deliveries_before(conn, created + timedelta(microseconds=1))
        remaining = await _deliveries(http, subscription)
        assert delivery["id"] not in {item["id"] for item in remaining}


async def test_targets_the_ssrf_guard_refuses_are_422(
    tmp_path: Path, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with raikoo_for(tmp_path, sink, monkeypatch) as (_, http):
        for url in (
            "http://127.0.0.1:1/x",
            "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.8/hook",
            "ftp://example.com/x",
        ):
            refused = await http.post("/v1/webhooks", json={"name": "bad", "url": url})
            assert refused.status_code == 422, (url, refused.text)
            assert refused.json()["errors"][0]["path"] == "url"
        bad_type = await http.post(
            "/v1/webhooks", json={"name": "bad", "url": sink.url, "event_types": ["run.exploded"]}
        )
        assert bad_type.status_code == 422
        assert "run.exploded" in bad_type.text
        assert (await http.get("/v1/webhooks")).json()["items"] == []


@pytest.mark.integration
async def test_a_worker_stopped_while_sending_loses_no_event(
    make_postgres_database: Callable[[], str],
    tmp_path: Path,
    sink: Sink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The gateway's worker is cancelled while its receiver holds a request; a new worker
    (a restarted process) takes over after the lease: every event is delivered, and the one
    sent twice carries the same webhook-id and body both times."""
    url = make_postgres_database()
    async with raikoo_for(
        tmp_path, sink, monkeypatch, url, webhook_lease_seconds=1, webhook_batch=4
    ) as (raikoo, http):
        assert raikoo.gateway is not None
        context = raikoo.gateway.context
        first = context.webhooks
        assert first is not None
        subscription = await _subscribe(http, sink.url)
        sink.hold.set()
        run_ids = [await _run(http, f"person-{n}") for n in range(3)]
        await until(lambda: _count_at_least(sink, 1), "a delivery in flight")
        await first.stop()  # killed while the receiver holds its requests
        held = {hit.headers["webhook-id"] for hit in sink.hits}
        sink.hold.clear()
        second = WebhookWorker(
            context.engine, first.policy, first.allow, poll=0.05, batch=first.batch
        )
        context.webhooks = second
        await second.start()
        try:
            expected = await _outbound_events(raikoo, run_ids)

            async def all_delivered() -> bool:
                items = await _all_deliveries(http, subscription)
                return len(items) == expected and all(i["state"] == "succeeded" for i in items)

            await until(all_delivered, f"{expected} deliveries succeeding")
        finally:
            await second.stop()
        items = await _all_deliveries(http, subscription)
        ids = {item["webhook_id"] for item in items}
        assert len(ids) == expected
        received: dict[str, set[bytes]] = {}
        for hit in sink.hits:
            received.setdefault(hit.headers["webhook-id"], set()).add(hit.body)
        assert set(received) == ids  # no event lost
        assert all(len(bodies) == 1 for bodies in received.values())
        repeated = {m for m in received if sum(h.headers["webhook-id"] == m for h in sink.hits) > 1}
        assert held <= repeated  # what was in flight was sent again, with its own id
        run_ids_seen = {orjson.loads(hit.body)["data"]["run_id"] for hit in sink.hits}
        assert run_ids_seen == set(run_ids)


async def _outbound_events(raikoo: EmbeddedRaikoo, run_ids: list[str]) -> int:
    assert raikoo.gateway is not None
    e = t.run_events.c
    async with raikoo.gateway.context.engine.connect() as conn:
        count = await conn.scalar(
            sa.select(sa.func.count()).where(
                e.run_id.in_(run_ids), e.type.in_(["run.state_changed", "operation.state_changed"])
            )
        )
    return int(count or 0)


async def _all_deliveries(http: httpx.AsyncClient, subscription: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = (
            await http.get(f"/v1/webhooks/{subscription['id']}/deliveries", params=params)
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items
