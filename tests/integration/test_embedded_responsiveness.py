"""Embedded mode never blocks its event loop (issue 9): while 10 MB values, a large
conversion and many concurrent runs are in flight, `raikoo up` keeps answering /healthz.

The margin is generous and does not depend on the machine's load: the failures this
guards against froze the server for 30 to 60 seconds (a SQLite wait inside the event loop,
a conversion in the loop's thread), so any single /healthz answer taking longer than
MAX_STALL fails. The figures under load (p50, p99) are measured by bench/responsiveness.py
and recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx

from tests._budget import WAIT_SECONDS
from tests.integration._cli import key_headers, raikoo_up

MAX_STALL = 5.0
"""Seconds: far above any healthy answer on a loaded 2-core machine, far below a freeze."""

CHAIN = {
    "name": "chain",
    "operations": {
        f"step{i}": {"uses": "set", "with": {"i": i}, **({"needs": [f"step{i - 1}"]} if i else {})}
        for i in range(4)
    },
}
TEN_MEGABYTES = {
    "name": "ten-megabytes",
    "operations": {
        "make": {"uses": "set", "with": {"chunks": "{{ ['y' * 1000000] * 10 }}"}},
        "use": {
            "uses": "set",
            "needs": ["make"],
            "with": {"n": "{{ ops.make.output.chunks | length }}"},
        },
    },
}
LARGE_CONVERSION = {
    "name": "large-conversion",
    "operations": {
        "csv": {"uses": "set", "with": {"text": "{{ 'a,b\\n' ~ ('1,2\\n' * 200000) }}"}},
        "rows": {
            "uses": "convert",
            "needs": ["csv"],
            "with": {"from": "csv", "to": "json", "data": "{{ ops.csv.output.text }}"},
        },
    },
}
LOAD = [CHAIN] * 30 + [TEN_MEGABYTES] * 2 + [LARGE_CONVERSION]


async def _probe(http: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    took: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        answer = await http.get("/healthz", timeout=MAX_STALL * 6)
        took.append(time.perf_counter() - started)
        assert answer.status_code == 200
        await asyncio.sleep(0.02)
    return took


async def _load(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    async def one(definition: dict[str, Any]) -> str:
        created = await http.post("/v1/runs", json={"definition": definition})
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    run_ids = await asyncio.gather(*(one(d) for d in LOAD))
    finished: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + WAIT_SECONDS
    while len(finished) < len(run_ids):
        assert time.monotonic() < deadline, f"{len(run_ids) - len(finished)} runs unfinished"
        for run_id in run_ids:
            if run_id not in finished:
                run = (await http.get(f"/v1/runs/{run_id}")).json()
                if run["state"] in ("succeeded", "failed", "cancelled"):
                    finished[run_id] = run
        await asyncio.sleep(0.2)
    return list(finished.values())


def test_healthz_answers_while_large_values_conversions_and_many_runs_are_in_flight(
    tmp_path: Path,
) -> None:
    async def scenario(url: str) -> tuple[list[float], list[dict[str, Any]]]:
        async with httpx.AsyncClient(base_url=url, headers=key_headers(url), timeout=60) as http:
            stop = asyncio.Event()
            probe = asyncio.create_task(_probe(http, stop))
            try:
                runs = await _load(http)
            finally:
                stop.set()
            return await probe, runs

    with raikoo_up(tmp_path, tmp_path / "up.log") as (url, _):
        took, runs = asyncio.run(scenario(url))
    assert [run["state"] for run in runs] == ["succeeded"] * len(LOAD), [
        run["error"] for run in runs if run["state"] != "succeeded"
    ]
    assert len(took) > 10, "the probe ran throughout"
    assert max(took) < MAX_STALL, f"/healthz stalled {max(took):.1f}s under load"
