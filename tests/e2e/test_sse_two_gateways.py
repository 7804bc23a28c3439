"""A run's event stream resumes on another gateway: a client reading it from one gateway
process, which is then SIGKILLed, reconnects to a second with ``Last-Event-ID`` and sees
every event once, in order, to the run's end."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests._budget import WAIT_SECONDS
from tests.e2e._stack import Process, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def _chain(steps: int) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for i in range(steps):
        operations[f"s{i}"] = {"uses": "sleep", "with": {"duration": "300ms"}}
        if i:
            operations[f"s{i}"]["needs"] = [f"s{i - 1}"]
    return {"name": "sse-chain", "operations": operations}


async def _read(
    gateway: Process, key: str, run_id: str, last: int, stop_after: int | None
) -> list[tuple[int, str, dict[str, Any]]]:
    """Events with ids after ``last``: ``stop_after`` of them (then the client goes), or all
    until the stream ends."""
    events: list[tuple[int, str, dict[str, Any]]] = []
    headers = {"Authorization": f"Bearer {key}", "Last-Event-ID": str(last)}
    timeout = httpx.Timeout(WAIT_SECONDS, connect=10)
    async with (
        httpx.AsyncClient(base_url=gateway.url, timeout=timeout) as http,
        http.stream("GET", f"/v1/runs/{run_id}/events", headers=headers) as response,
    ):
        assert response.status_code == 200
        event, data, ident = "message", "", None
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line.startswith("id:"):
                ident = int(line[3:].strip())
            elif line == "" and data:
                if ident is not None:
                    events.append((ident, event, json.loads(data)))
                    if stop_after is not None and len(events) >= stop_after:
                        return events
                event, data, ident = "message", "", None
    return events


async def test_a_stream_cut_on_one_gateway_resumes_on_another_without_loss(
    stack: Stack,
) -> None:
    api = await stack.up()
    second = stack.start("gateway")
    await stack.ready(second)
    first = next(p for p in stack.processes if p.service == "gateway" and p is not second)
    run_id = await api.create_run(_chain(6))

    before = await _read(first, stack.admin_key, run_id, 0, stop_after=5)
    stack.kill(first)  # the client's gateway is gone mid-run
    after = await _read(second, stack.admin_key, run_id, before[-1][0], stop_after=None)

    ids = [ident for ident, _, _ in before + after]
    assert ids == list(range(1, len(ids) + 1)), ids  # each once, in order, no gap
    final = after[-1]
    assert final[1] == "run.state_changed"
    assert final[2]["state"] == "succeeded"
    finished = [d.get("op_key") for _, e, d in before + after if d.get("state") == "succeeded"]
    assert finished == ["s0", "s1", "s2", "s3", "s4", "s5", None]
