"""Work runs once, and cancel means stop, with the services as separate processes.

Every operation calls a local HTTP sink with its idempotency key, so the sink counts how
often each operation was really executed, not only how often its result was applied.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests._budget import WAIT_SECONDS
from tests.e2e._stack import Api, Stack
from tests.unit.net._servers import Hit, LocalServer, Reply

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


class Sink:
    """Records each call: which run and operation, with which idempotency key, when."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple[str, str, str, float]] = []
        self._lock = threading.Lock()
        self.server = LocalServer({"/sink": self._take})

    def _take(self, hit: Hit) -> Reply:
        query = parse_qs(urlsplit(hit.target).query)
        with self._lock:
            self.calls.append(
                (
                    query["run"][0],
                    query["op"][0],
                    hit.headers.get("idempotency-key", ""),
                    time.monotonic(),
                )
            )
        return Reply(200, [("content-type", "application/json")], b'{"ok": true}', self.delay)

    async def reached(self, count: int) -> None:
        """Until ``count`` calls came (the sink's thread records them: polled)."""
        for _ in range(int(WAIT_SECONDS / 0.05)):
            if len(self.calls) >= count:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(self.calls)} calls reached the sink, not {count}")

    def allow(self, stack: Stack) -> None:
        stack.settings["RAIKOO_HTTP_ALLOW_HOSTS"] = json.dumps(
            [f"{self.server.host}:{self.server.port}"]
        )

    def call(self, **extra: Any) -> dict[str, Any]:
        """An ``http.request`` to the sink that says which run and operation calls."""
        return {
            "uses": "http.request",
            "with": {
                "url": self.server.url("/sink") + "?run={{ run.id }}&op=" + extra.pop("op"),
                "method": "POST",
                "idempotency_header": "Idempotency-Key",
                **extra,
            },
        }


@pytest.fixture
def sink() -> Iterator[Sink]:
    made = Sink()
    made.server.start()
    try:
        yield made
    finally:
        made.server.stop()


def chain(sink: Sink, steps: int) -> dict[str, Any]:
    operations = {}
    for i in range(steps):
        operation = sink.call(op=f"s{i}")
        if i:
            operation["needs"] = [f"s{i - 1}"]
        operations[f"s{i}"] = operation
    return {"name": "http-chain", "operations": operations}


async def _start_all(api: Api, definition: dict[str, Any], count: int) -> list[str]:
    stored = await api.http.post("/v1/workflows", json=definition)
    assert stored.status_code == 201, stored.text
    semaphore = asyncio.Semaphore(50)

    async def one() -> str:
        async with semaphore:
            response = await api.http.post("/v1/runs", json={"workflow": definition["name"]})
            assert response.status_code == 201, response.text
            run_id: str = response.json()["id"]
            return run_id

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def _all_finished(api: Api, run_ids: list[str]) -> list[dict[str, Any]]:
    return [await api.wait_finished(run_id) for run_id in run_ids]


async def test_with_no_fault_every_operation_runs_exactly_once(stack: Stack, sink: Sink) -> None:
    """500 runs of a 10-step chain of HTTP calls, no process killed: each of the 5,000
    operations reaches the sink once (it once took 2-3 calls for 251 of them)."""
    sink.allow(stack)
    api = await stack.up()
    runs = await _start_all(api, chain(sink, 10), 500)
    finished = await _all_finished(api, runs)
    assert Counter(run["state"] for run in finished) == {"succeeded": 500}, stack.report()
    per_operation = Counter((run, op) for run, op, _, _ in sink.calls)
    assert len(per_operation) == 5000
    repeated = {key: n for key, n in per_operation.items() if n > 1}
    assert not repeated, f"{len(repeated)} operations ran more than once: {list(repeated)[:5]}"
    assert len({key for _, _, key, _ in sink.calls}) == 5000  # one idempotency key each


async def test_after_kills_a_repeated_call_carries_the_same_idempotency_key(
    stack: Stack, sink: Sink
) -> None:
    """Killing the op-runner and the scheduler mid-load may repeat work, but only as the
    same attempt: a service honouring the key performs each side effect once."""
    sink.allow(stack)
    api = await stack.up()
    runs = await _start_all(api, chain(sink, 10), 60)
    await sink.reached(150)
    stack.kill(stack.current("op-runner"))
    await stack.ready(stack.start("op-runner"))
    await sink.reached(350)
    stack.kill(stack.current("scheduler"))
    await stack.ready(stack.start("scheduler"))
    finished = await _all_finished(api, runs)
    assert Counter(run["state"] for run in finished) == {"succeeded": 60}, stack.report()

    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for run, op, key, _ in sink.calls:
        keys[(run, op)].add(key)
    assert len(keys) == 600  # every operation ran
    attempts = {
        (run_id, key): op["attempt"]
        for run_id in runs
        for key, op in (await api.operations(run_id)).items()
    }
    for (run, op), seen in keys.items():
        # One key per attempt: a repeat within an attempt reuses it.
        assert len(seen) == attempts[(run, op)], (run, op, seen)
    repeats = len(sink.calls) - sum(len(seen) for seen in keys.values())
    print(f"calls {len(sink.calls)}, repeated under the same key: {repeats}")


async def test_cancel_stops_operations_still_queued_for_a_runner(stack: Stack) -> None:
    """40 parallel 3-second calls on a runner taking 8 at a time, cancelled while the
    first 8 run: those are cut, and the 32 queued never start."""
    slow = Sink(delay=3.0)
    slow.server.start()
    try:
        slow.allow(stack)
        stack.settings["RAIKOO_OP_RUNNER_CONCURRENCY"] = "8"
        api = await stack.up()
        operations = {f"call{i}": slow.call(op=f"call{i}", timeout=30) for i in range(40)}
        run_id = await api.create_run(
            {"name": "wide", "settings": {"max_parallel": 40}, "operations": operations}
        )
        await slow.reached(8)
        response = await api.http.post(f"/v1/runs/{run_id}/cancel", json={})
        assert response.status_code == 202, response.text
        run = await api.wait_finished(run_id)
        assert run["state"] == "cancelled"
        await asyncio.sleep(5)  # what was queued had every chance to start by now
        assert len(slow.calls) == 8, f"{len(slow.calls)} calls started; 8 were running"
        ops = await api.operations(run_id)
        assert {op["state"] for op in ops.values()} == {"cancelled"}
    finally:
        slow.server.stop()
