"""What authentication and the rest of the API cost: ``POST /v1/runs`` and
``GET /v1/runs/{id}`` of the gateway, called with an API key by 50 concurrent clients,
against a bare FastAPI endpoint doing the same database work (``_bare_api.py``).

Both are their own process, started alike, on one fresh PostgreSQL database, measured in the
same invocation, in alternating order. The gateway runs alone over RabbitMQ (distributed
mode without scheduler or runners: runs are requested and published, never executed), with
rate limits counted but never refusing. Each of the ``--clients`` clients is its own HTTP
connection sending one request after another; a phase ends after ``--requests`` requests.

Figures per phase: requests/s (requests / wall time of the phase), latency p50 and p99
(from the client's send to the whole answer read), and the CPU time per request of the
server process and of the client (all clients are this one process). Ratios: gateway/bare
for throughput, bare/gateway for p99 latency (the issue's target: >= 0.5 each). Medians
over ``--repeat`` repetitions.

    uv run python bench/api_auth.py --json /tmp/api_auth.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import httpx

from _modes import Deployment, distributed
from _procs import BENCH_DIR, Child, RssSampler, free_port, python, wait_http
from _stats import median, percentile, ratio
from _workflows import chain

WORKFLOW = "bench-api-auth"


class Target:
    def __init__(self, name: str, base_url: str, prefix: str, pid: int) -> None:
        self.name = name
        self.base_url = base_url
        self.prefix = prefix
        """Where the runs are: ``/v1/runs`` or ``/runs``."""
        self.pid = pid


async def phase(
    target: Target,
    key: str,
    clients: int,
    requests: int,
    sampler: RssSampler,
    run_ids: list[str] | None = None,
) -> tuple[dict[str, float], list[str]]:
    """``requests`` POSTs (no ``run_ids``) or GETs of the given runs, by ``clients`` clients."""
    headers = {"Authorization": f"Bearer {key}"}
    latencies: list[float] = []
    created: list[str] = []
    left = requests

    async def client() -> None:
        nonlocal left
        async with httpx.AsyncClient(
            base_url=target.base_url, headers=headers, timeout=60.0
        ) as http:
            while left > 0:
                left -= 1
                began = time.perf_counter()
                if run_ids is None:
                    response = await http.post(target.prefix, json={"workflow": WORKFLOW})
                    expected = 201
                else:
                    response = await http.get(f"{target.prefix}/{random.choice(run_ids)}")
                    expected = 200
                latencies.append(time.perf_counter() - began)
                if response.status_code != expected:
                    raise RuntimeError(
                        f"{target.name}: {response.request.method} {response.request.url} "
                        f"answered {response.status_code}: {response.text[:300]}"
                    )
                if run_ids is None:
                    created.append(response.json()["id"])

    sampler.cpu_seconds()
    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - began
    cpu = sampler.cpu_seconds()
    return {
        "requests_per_s": len(latencies) / wall,
        "p50_ms": median(latencies) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "server_cpu_ms_per_request": cpu[target.name] / len(latencies) * 1000,
        "client_cpu_ms_per_request": cpu["client"] / len(latencies) * 1000,
    }, created


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    async with distributed(workers=False) as deployment:
        return await _measure(deployment, args)


async def _measure(deployment: Deployment, args: argparse.Namespace) -> dict[str, Any]:
    database_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{deployment.details['database']}"
    port = free_port()
    tmp = Path(deployment.processes["gateway"].log_path).parent
    bare = Child(
        "bare",
        python(
            str(BENCH_DIR / "_bare_api.py"), "--database-url", database_url, "--port", str(port)
        ),
        log_dir=tmp,
    )
    try:
        await asyncio.to_thread(wait_http, f"http://127.0.0.1:{port}/healthz", bare)
        key = deployment.api_key
        async with httpx.AsyncClient(
            base_url=deployment.base_url, headers={"Authorization": f"Bearer {key}"}
        ) as http:
            (await http.post("/v1/workflows", json=chain(3, name=WORKFLOW))).raise_for_status()
        gateway_pid = deployment.processes["gateway"].pid
        targets = [
            Target("gateway", deployment.base_url, "/v1/runs", gateway_pid),
            Target("bare", f"http://127.0.0.1:{port}", "/runs", bare.pid),
        ]
        sampler = RssSampler().start()
        for target in targets:
            sampler.watch(target.name, target.pid)
        sampler.watch("client", os.getpid())
        try:
            for target in targets:  # warm up: connections, caches, first imports
                _, ids = await phase(target, key, args.clients, 200, sampler)
                await phase(target, key, args.clients, 200, sampler, ids)
            reps: list[dict[str, Any]] = []
            for rep in range(args.repeat):
                figures: dict[str, Any] = {}
                for target in targets if rep % 2 == 0 else targets[::-1]:
                    posted, ids = await phase(target, key, args.clients, args.requests, sampler)
                    got, _ = await phase(target, key, args.clients, args.requests, sampler, ids)
                    figures[target.name] = {"post": posted, "get": got}
                reps.append(figures)
                print(json.dumps({"repetition": rep + 1, **figures}), flush=True)
        finally:
            sampler.stop()
    finally:
        bare.stop()
    return _summary(reps, args)


def _summary(reps: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    def med(target: str, route: str, figure: str) -> float:
        return float(median([rep[target][route][figure] for rep in reps]))

    figures = (
        "requests_per_s",
        "p50_ms",
        "p99_ms",
        "server_cpu_ms_per_request",
        "client_cpu_ms_per_request",
    )
    out: dict[str, Any] = {
        "clients": args.clients,
        "requests_per_phase": args.requests,
        "repetitions": len(reps),
        "median": {
            target: {
                route: {figure: med(target, route, figure) for figure in figures}
                for route in ("post", "get")
            }
            for target in ("gateway", "bare")
        },
    }
    out["ratios"] = {
        "post_throughput_gateway_over_bare": ratio(
            med("gateway", "post", "requests_per_s"), med("bare", "post", "requests_per_s")
        ),
        "post_p99_bare_over_gateway": ratio(
            med("bare", "post", "p99_ms"), med("gateway", "post", "p99_ms")
        ),
        "get_throughput_gateway_over_bare": ratio(
            med("gateway", "get", "requests_per_s"), med("bare", "get", "requests_per_s")
        ),
        "get_p99_bare_over_gateway": ratio(
            med("bare", "get", "p99_ms"), med("gateway", "get", "p99_ms")
        ),
        # The server's CPU time per request varies least with the machine's other load.
        "post_server_cpu_bare_over_gateway": ratio(
            med("bare", "post", "server_cpu_ms_per_request"),
            med("gateway", "post", "server_cpu_ms_per_request"),
        ),
        "get_server_cpu_bare_over_gateway": ratio(
            med("bare", "get", "server_cpu_ms_per_request"),
            med("gateway", "get", "server_cpu_ms_per_request"),
        ),
    }
    out["repetitions_figures"] = reps
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="per phase")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = asyncio.run(measure(args))
    text = json.dumps({k: v for k, v in result.items() if k != "repetitions_figures"}, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
