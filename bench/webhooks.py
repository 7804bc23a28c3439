"""Webhooks: inbound ingestion with signature verification, the time from a hook call to
its run's first operation starting, and outbound deliveries per second.

    uv run --frozen python bench/webhooks.py [--calls 400] [--concurrency 16]
        [--latency-calls 30] [--runs 100] [--database-url URL] [--json FILE]

Starts the embedded server (``_embedded_server.py``: SQLite, or the empty PostgreSQL
database ``--database-url`` names; in-memory bus) as its own
process, with an owner key from RAIKOO_BOOTSTRAP_ADMIN_KEY, and a receiver on loopback
(a threaded HTTP server in this process, allow-listed for the SSRF guard).

1. Ingestion: ``--calls`` signed calls (JSON, the reference ``standardwebhooks`` library
   signs each) of a hook whose workflow has one operation, ``--concurrency`` at a time:
   accepted calls per second (each writes a run request, its outbox row and the message id
   in one transaction, then publishes) and the latency of the 202 answer. The runs they
   start execute meanwhile in the same process, as they would.
   The same number of runs started with ``POST /v1/runs`` (an API key) is the floor.
2. Call to first operation: ``--latency-calls`` calls one after another, each timed from
   just before the POST to the ``started_at`` the runner stamped on the run's operation.
3. Deliveries: a subscription to every event of a workflow; the receiver holds its first
   request while ``--runs`` runs finish (their events pile up), then answers at once: the
   deliveries per second from the release to the last delivery (tailing the events,
   writing the deliveries, claiming, signing and sending them, recording each answer).

Asserts nothing; docs/benchmarks.md, "Webhooks", records results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks import Webhook

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _modes import embedded  # noqa: E402
from _stats import median, percentile  # noqa: E402
from raikoo_gateway.auth.keys import new_key  # noqa: E402

WORKFLOW = {
    "name": "hooked",
    "inputs": {"n": {"type": "integer", "default": 0}},
    "operations": {"only": {"uses": "set", "with": {"n": "{{ inputs.n }}"}}},
    "outputs": {"n": "{{ ops.only.output.n }}"},
}
TERMINAL = ("succeeded", "failed", "cancelled")


class Receiver:
    """Records when each delivery arrived; holds requests while ``hold`` is set."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []
        self.hold = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                if receiver.hold.is_set():
                    receiver.release.wait(600)
                receiver.arrivals.append((time.time(), self.headers.get("webhook-id", "")))
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


def _signed(secret: str, body: bytes) -> dict[str, str]:
    message_id = f"msg_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
    }


async def _ok(response: Any) -> Any:
    answer = await response
    if not answer.is_success:
        raise RuntimeError(f"{answer.request.method} {answer.request.url}: {answer.text}")
    return answer.json() if answer.content else None


async def _until_quiet(api: httpx.AsyncClient) -> None:
    """Until no run of the project is queued or running."""
    while True:
        busy = 0
        for state in ("queued", "running"):
            page = await _ok(api.get("/v1/runs", params={"state": state, "limit": 1}))
            busy += len(page["items"])
        if not busy:
            return
        await asyncio.sleep(0.2)


async def _concurrently(
    calls: int, concurrency: int, one: Callable[[int], Awaitable[int]]
) -> dict[str, Any]:
    """``calls`` calls of ``one`` (giving an HTTP status), ``concurrency`` at a time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(calls):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            started = time.perf_counter()
            status = await one(n)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    took = time.perf_counter() - began
    return {
        "calls": calls,
        "concurrency": concurrency,
        "statuses": statuses,
        "seconds": round(took, 2),
        "calls_per_s": round(calls / took, 1),
        "latency_p50_ms": round(median(latencies) * 1000, 1),
        "latency_p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }


async def ingestion(
    api: httpx.AsyncClient, hook: dict[str, Any], calls: int, concurrency: int
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=api.base_url, timeout=120, limits=limits) as sender:

        async def call(n: int) -> int:
            body = json.dumps({"n": n}).encode()
            headers = _signed(hook["secret"], body)
            return (await sender.post(hook["url"], content=body, headers=headers)).status_code

        return await _concurrently(calls, concurrency, call)


async def plain_runs(api: httpx.AsyncClient, calls: int, concurrency: int) -> dict[str, Any]:
    """The same runs started with POST /v1/runs and an API key: the floor ingestion adds
    its verification, message id and mapping to."""

    async def start(n: int) -> int:
        body = {"workflow": "hooked", "inputs": {"n": n}}
        return (await api.post("/v1/runs", json=body)).status_code

    return await _concurrently(calls, concurrency, start)


async def first_operation(
    api: httpx.AsyncClient, hook: dict[str, Any], calls: int
) -> dict[str, Any]:
    delays: list[float] = []
    async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as sender:
        for n in range(calls):
            body = json.dumps({"n": n}).encode()
            sent = time.time()
            answer = await sender.post(
                hook["url"], content=body, headers=_signed(hook["secret"], body)
            )
            run_id = answer.json()["run_id"]
            while True:
                ops = (await _ok(api.get(f"/v1/runs/{run_id}/operations")))["items"]
                if ops and ops[0]["started_at"]:
                    started = datetime.fromisoformat(ops[0]["started_at"]).timestamp()
                    delays.append(started - sent)
                    break
                await asyncio.sleep(0.01)
    return {
        "calls": calls,
        "p50_ms": round(median(delays) * 1000, 1),
        "p90_ms": round(percentile(delays, 90) * 1000, 1),
        "max_ms": round(max(delays) * 1000, 1),
    }


async def deliveries(api: httpx.AsyncClient, receiver: Receiver, runs: int) -> dict[str, Any]:
    sub = await _ok(
        api.post(
            "/v1/webhooks",
            json={
                "name": "bench",
                "url": f"http://127.0.0.1:{receiver.port}/",
                "workflows": ["hooked"],
            },
        )
    )
    receiver.hold.set()
    for n in range(runs):
        await _ok(api.post("/v1/runs", json={"workflow": "hooked", "inputs": {"n": n}}))
    await _until_quiet(api)
    await asyncio.sleep(1.0)  # the tailer's next rounds
    released = time.time()
    receiver.hold.clear()
    receiver.release.set()
    path = f"/v1/webhooks/{sub['id']}/deliveries"
    seen, still_since = -1, time.time()
    # Done when nothing is pending and no delivery arrived for a while (the tailer may
    # still be turning events into deliveries between two empty looks).
    while time.time() - still_since < 2.0:
        pending = (await _ok(api.get(path, params={"state": "pending", "limit": 1})))["items"]
        if pending or len(receiver.arrivals) != seen:
            seen, still_since = len(receiver.arrivals), time.time()
        await asyncio.sleep(0.05)
    total = len({webhook_id for _, webhook_id in receiver.arrivals})
    last = max(at for at, _ in receiver.arrivals)
    return {
        "runs": runs,
        "deliveries": total,
        "seconds": round(last - released, 2),
        "deliveries_per_s": round(total / (last - released), 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-calls", type=int, default=30)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--database-url", default="", help="an empty PostgreSQL database (default: SQLite)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    receiver = Receiver()
    key = new_key().value
    os.environ.update(
        {
            "RAIKOO_BOOTSTRAP_ADMIN_KEY": key,
            "RAIKOO_WEBHOOK_ALLOW_HOSTS": json.dumps([f"127.0.0.1:{receiver.port}"]),
        }
    )
    if args.database_url:
        os.environ["RAIKOO_DATABASE_URL"] = args.database_url
    try:
        async with (
            embedded() as deployment,
            httpx.AsyncClient(
                base_url=deployment.base_url, timeout=120, headers={"X-Api-Key": key}
            ) as api,
        ):
            await _ok(api.post("/v1/workflows", json=WORKFLOW))
            hook = await _ok(api.post("/v1/hooks", json={"name": "bench", "workflow": "hooked"}))
            results: dict[str, Any] = {"machine_load": os.getloadavg()}
            await ingestion(api, hook, 20, 4)  # warm-up
            await _until_quiet(api)
            results["ingestion"] = await ingestion(api, hook, args.calls, args.concurrency)
            await _until_quiet(api)
            results["post_runs"] = await plain_runs(api, args.calls, args.concurrency)
            await _until_quiet(api)
            results["call_to_first_operation"] = await first_operation(
                api, hook, args.latency_calls
            )
            await _until_quiet(api)
            results["deliveries"] = await deliveries(api, receiver, args.runs)
    finally:
        receiver.stop()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
