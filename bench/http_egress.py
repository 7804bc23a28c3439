"""What the SSRF-guarded HTTP transport costs per request, at 1, 10 and 50 requests in
flight, against a bare httpx2 client doing the same requests in the same run.

    uv run --frozen python bench/http_egress.py [--requests 4000] [--repeat 3] [--json FILE]

The server is a minimal HTTP/1.1 keep-alive sink in a process of its own (answering
``{}``), so the figures are the client's: CPU time (user + system) of this process per
request, and requests per second, medians over ``--repeat`` batches after a warm-up. The
guarded clients are the ones Raikoo uses: ``httpx`` with ``GuardedTransport`` (the
``http.request`` kind, webhooks, HTTP tools) and ``httpx2`` with the AI runner's
``Guarded2Transport`` (the ``openai`` and ``mcp`` SDKs). See docs/benchmarks.md,
"Outbound HTTP".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

import httpx
import httpx2

from _procs import free_port
from raikoo_ai_runner.providers._egress import Guarded2Transport
from raikoo_common.net import AllowList, EgressGuard, GuardedTransport

SINK = """
import asyncio, sys
ANSWER = b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}"
async def serve(reader, writer):
    try:
        while True:
            await reader.readuntil(b"\\r\\n\\r\\n")
            writer.write(ANSWER)
    except Exception:
        writer.close()
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""

Client = Callable[[int], Any]
"""(max_connections) -> an async HTTP client (httpx or httpx2: the same API)."""


def _guarded_httpx(connections: int) -> httpx.AsyncClient:
    guard = EgressGuard(AllowList(["127.0.0.1"]))
    transport = GuardedTransport(guard, max_connections=connections)
    return httpx.AsyncClient(transport=transport, trust_env=False)


def _guarded_httpx2(connections: int) -> httpx2.AsyncClient:
    guard = EgressGuard(AllowList(["127.0.0.1"]))
    transport = Guarded2Transport(guard, max_connections=connections)
    return httpx2.AsyncClient(transport=transport, trust_env=False)


def _bare_httpx2(connections: int) -> httpx2.AsyncClient:
    limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx2.AsyncClient(limits=limits, trust_env=False)


CLIENTS: dict[str, Client] = {
    "bare httpx2 (reference)": _bare_httpx2,
    "GuardedTransport (httpx)": _guarded_httpx,
    "Guarded2Transport (httpx2)": _guarded_httpx2,
}


async def _batch(client: Any, url: str, requests: int, parallel: int) -> tuple[float, float]:
    async def worker(count: int) -> None:
        for _ in range(count):
            response = await client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"the sink answered {response.status_code}")

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(requests // parallel) for _ in range(parallel)))
    done = requests // parallel * parallel
    return (time.process_time() - cpu) / done * 1e6, done / (time.perf_counter() - wall)


async def measure(
    url: str, make: Client, parallel: int, requests: int, repeat: int
) -> dict[str, float]:
    async with make(parallel) as client:
        await _batch(client, url, parallel * 20, parallel)  # connections open, code warm
        batches = [await _batch(client, url, requests, parallel) for _ in range(repeat)]
    return {
        "cpu_us_per_request": median(cpu for cpu, _ in batches),
        "requests_per_s": median(rate for _, rate in batches),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per batch")
    parser.add_argument("--repeat", type=int, default=3, help="batches per figure")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert sink.stdout is not None
        if sink.stdout.readline().strip() != "ready":
            raise RuntimeError("the sink did not start")
        url = f"http://127.0.0.1:{port}/sink"
        figures: dict[str, dict[str, dict[str, float]]] = {}
        print(f"{'client':28}  {'in flight':>9}  {'CPU/request':>12}  {'requests/s':>10}")
        for parallel in (1, 10, 50):
            for name, make in CLIENTS.items():
                got = asyncio.run(measure(url, make, parallel, args.requests, args.repeat))
                figures.setdefault(name, {})[str(parallel)] = got
                print(
                    f"{name:28}  {parallel:>9}  {got['cpu_us_per_request']:>9.0f} µs"
                    f"  {got['requests_per_s']:>10.0f}"
                )
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
