"""200 ``ai.prompt`` operations in a ``foreach`` (max_parallel 50) against the fake
OpenAI-compatible server answering every call after 500 ms: the run's makespan against the
ideal (200 / 50 * 0.5 s = 2 s; target at most 1.2 times it), embedded and distributed.

    uv run python bench/ai_foreach.py [--items 200] [--parallel 50] [--delay 0.5] [--runs 3]
                                      [--modes embedded distributed] [--json FILE]

References, measured in the same run against the same server: the same number of calls
made straight with the ``openai`` SDK, ``--parallel`` at a time, not streamed and streamed
(what the machine and the fake server allow with no Raikoo in between). Each figure is
the median over ``--runs``: the makespan is the run's ``finished_at`` minus ``started_at``
(stamped by the scheduler), the latency the client's time from ``POST /v1/runs`` to the
run's last event. Answers are streamed (the default of ``ai.prompt``) in one workflow and
not in the other.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from _modes import distributed, embedded
from _raikoo import RaikooBench
from _stats import median
from ai_runner import Server


def workflow(items: int, parallel: int, stream: bool) -> dict[str, Any]:
    return {
        "name": f"bench-ai-foreach-{'streamed' if stream else 'plain'}",
        "settings": {"max_parallel": parallel},
        "operations": {
            "each": {
                "uses": "foreach",
                "with": {"items": f"{{{{ range({items}) | list }}}}", "max_parallel": parallel},
                "do": {
                    "uses": "ai.prompt",
                    "with": {"prompt": "Say something short about {{ item }}.", "stream": stream},
                },
            }
        },
        "outputs": {"count": "{{ ops.each.output | length }}"},
    }


def _seconds(view: dict[str, Any]) -> float:
    started = datetime.fromisoformat(view["started_at"])
    return (datetime.fromisoformat(view["finished_at"]) - started).total_seconds()


async def bare_sdk(base_url: str, items: int, parallel: int, *, stream: bool = False) -> float:
    """``items`` calls straight through the SDK, ``parallel`` at a time: the makespan.
    ``stream``: each answer streamed and read chunk by chunk, as ``ai.prompt`` does."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)
    gate = asyncio.Semaphore(parallel)

    async def one(n: int) -> None:
        messages: Any = [{"role": "user", "content": f"Say something short about {n}."}]
        async with gate:
            if not stream:
                await client.chat.completions.create(model="bench-model", messages=messages)
                return
            answer = await client.chat.completions.create(
                model="bench-model", messages=messages, stream=True
            )
            async with answer:
                async for chunk in answer:
                    for choice in chunk.choices:
                        _ = choice.delta.content

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(items)))
    elapsed = time.perf_counter() - started
    await client.close()
    return elapsed


async def measure(mode: str, args: argparse.Namespace, server: Server) -> dict[str, Any]:
    deploy = embedded() if mode == "embedded" else distributed(ai=True)
    async with deploy as deployment:
        bench = RaikooBench(deployment.base_url, deployment.api_key)
        try:
            await bench.warm_up()
            results: dict[str, Any] = {}
            for stream in (True, False):
                name = await bench._store(workflow(args.items, args.parallel, stream))
                await bench.run_once(name)  # warm: the runner's client, the SDK's imports
                makespans, latencies = [], []
                for _ in range(args.runs):
                    view = await bench.run_once(name)
                    if view["outputs"] != {"count": args.items}:
                        raise RuntimeError(f"unexpected outputs: {view['outputs']}")
                    makespans.append(_seconds(view))
                    latencies.append(time.time() - view["submitted"])
                ideal = args.items / args.parallel * args.delay
                results["streamed" if stream else "plain"] = {
                    "makespan_s_p50": round(median(makespans), 3),
                    "client_latency_s_p50": round(median(latencies), 3),
                    "ideal_s": ideal,
                    "ratio_to_ideal": round(median(makespans) / ideal, 3),
                    "makespans_s": [round(m, 3) for m in makespans],
                }
        finally:
            await bench.close()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=["embedded", "distributed"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    server = Server(args.delay)
    # Every Raikoo process this starts takes its provider from these (children inherit).
    os.environ.update(
        RAIKOO_AI_BASE_URL=server.base_url,
        RAIKOO_AI_MODEL="bench-model",
        RAIKOO_AI_ALLOW_HOSTS='["127.0.0.1"]',
        # The per-connection limit (32 by default) would cap the 50 parallel calls.
        RAIKOO_AI_CONNECTION_CONCURRENCY=str(max(args.parallel, 32)),
    )
    try:
        figures: dict[str, Any] = {"load_average_before": os.getloadavg()}
        bare = [await bare_sdk(server.base_url, args.items, args.parallel) for _ in range(3)]
        figures["bare_sdk_makespan_s_p50"] = round(median(bare), 3)
        streamed = [
            await bare_sdk(server.base_url, args.items, args.parallel, stream=True)
            for _ in range(3)
        ]
        figures["bare_sdk_streamed_makespan_s_p50"] = round(median(streamed), 3)
        for mode in args.modes:
            figures[mode] = await measure(mode, args, server)
            print(mode, json.dumps(figures[mode], indent=2), flush=True)
        figures["load_average_after"] = os.getloadavg()
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
