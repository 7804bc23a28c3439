"""Embedded mode under heavy work: how long /healthz takes while large values, large
conversions and many concurrent runs are in flight (issue: embedded mode never blocks its
event loop).

    uv run python bench/responsiveness.py [--runs 100] [--big 4] [--converts 4]

Starts ``raikoo up``'s embedded server as its own process, then at once: ``--runs`` runs of
a 5-step chain, ``--big`` runs that each build and pass on a 10 MB value, ``--converts``
runs that each convert a 4.8 MB CSV (600,000 rows) to JSON, while /healthz is asked every
10 ms. Prints the /healthz latency (p50, p99, max), how the runs ended and the POST
/v1/runs statuses.
Asserts nothing (tests/integration/test_embedded_responsiveness.py asserts no stall over 5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _modes import embedded  # noqa: E402

CHAIN = {
    "name": "chain",
    "operations": {
        f"s{i}": {"uses": "set", "with": {"n": i}, **({"needs": [f"s{i - 1}"]} if i else {})}
        for i in range(5)
    },
}
BIG = {
    "name": "big-value",
    "operations": {
        "make": {"uses": "set", "with": {"chunks": "{{ ['x' * 1000000] * 10 }}"}},
        "pass": {
            "uses": "set",
            "needs": ["make"],
            "with": {"count": "{{ ops.make.output.chunks | length }}"},
        },
    },
}
CONVERT = {
    "name": "big-convert",
    "operations": {
        "csv": {
            "uses": "set",
            "with": {"text": "{{ 'id,name,score\\n' ~ ((['1,ada,3\\n' * 100000] * 6) | join) }}"},
        },
        "rows": {
            "uses": "convert",
            "needs": ["csv"],
            "with": {"from": "csv", "to": "json", "data": "{{ ops.csv.output.text }}"},
        },
        "count": {
            "uses": "set",
            "needs": ["rows"],
            "with": {"n": "{{ ops.rows.output.data | length }}"},
        },
    },
}


async def probe(http: httpx.AsyncClient, stop: asyncio.Event, every: float) -> list[float]:
    latencies: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        response = await http.get("/healthz")
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        await asyncio.sleep(every)
    return latencies


async def load(
    http: httpx.AsyncClient, runs: int, big: int, converts: int
) -> tuple[dict[str, int], dict[int, int]]:
    definitions = [CHAIN] * runs + [BIG] * big + [CONVERT] * converts
    statuses: dict[int, int] = {}
    started: list[str] = []

    async def start(definition: dict[str, Any]) -> None:
        response = await http.post("/v1/runs", json={"definition": definition})
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code in (200, 201):
            started.append(response.json()["id"])

    await asyncio.gather(*(start(d) for d in definitions))
    states: dict[str, int] = {}
    for run_id in started:
        while True:
            view = (await http.get(f"/v1/runs/{run_id}")).json()
            if view["state"] in ("succeeded", "failed", "cancelled"):
                states[view["state"]] = states.get(view["state"], 0) + 1
                break
            await asyncio.sleep(0.2)
    return states, statuses


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--big", type=int, default=4)
    parser.add_argument("--converts", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    async with (
        embedded() as deployment,
        httpx.AsyncClient(
            base_url=deployment.base_url,
            headers={"Authorization": f"Bearer {deployment.api_key}"},
            timeout=300,
        ) as http,
    ):
        idle = await probe_for(http, 2.0)
        stop = asyncio.Event()
        probing = asyncio.create_task(probe(http, stop, 0.01))
        began = time.perf_counter()
        states, statuses = await load(http, args.runs, args.big, args.converts)
        took = time.perf_counter() - began
        stop.set()
        busy = await probing
    figures = {
        "idle_p50_ms": statistics.median(idle) * 1000,
        "idle_p99_ms": percentile(idle, 99) * 1000,
        "busy_p50_ms": statistics.median(busy) * 1000,
        "busy_p99_ms": percentile(busy, 99) * 1000,
        "busy_max_ms": max(busy) * 1000,
        "probes": len(busy),
        "load_seconds": took,
        "run_states": states,
        "post_statuses": statuses,
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


async def probe_for(http: httpx.AsyncClient, seconds: float) -> list[float]:
    stop = asyncio.Event()
    task = asyncio.create_task(probe(http, stop, 0.01))
    await asyncio.sleep(seconds)
    stop.set()
    return await task


if __name__ == "__main__":
    asyncio.run(main())
