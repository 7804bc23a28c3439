"""`foreach` over 10,000 items, max_parallel 100, a `noop` body: body operations per second
and the scheduler's peak memory, embedded and distributed.

    uv run python bench/foreach_10k.py [--items 10000] [--runs 3] [--modes embedded distributed]

Reference measured in the same run, for the noise of this machine: a plain fan-out of
1,000 `noop` operations (max_parallel 50), the figure docs/benchmarks.md tracks since
issue 2. Figures are medians over ``--runs``; wall time is from the run's ``started_at``
to its ``finished_at`` (both stamped by the scheduler).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime
from typing import Any

from _modes import Deployment, distributed, embedded
from _procs import RssSampler
from _raikoo import RaikooBench
from _stats import median
from _workflows import fan_out


def foreach(items: int, max_parallel: int) -> dict[str, Any]:
    return {
        "name": f"bench-foreach-{items}",
        "settings": {"max_parallel": max_parallel},
        "operations": {
            "each": {
                "uses": "foreach",
                "with": {"items": f"{{{{ range({items}) | list }}}}", "max_parallel": max_parallel},
                "do": {"uses": "noop"},
            }
        },
        "outputs": {"count": "{{ ops.each.output | length }}"},
    }


def _seconds(view: dict[str, Any]) -> float:
    started = datetime.fromisoformat(view["started_at"])
    return (datetime.fromisoformat(view["finished_at"]) - started).total_seconds()


async def measure(deployment: Deployment, items: int, runs: int) -> dict[str, Any]:
    bench = RaikooBench(deployment.base_url, deployment.api_key, wait="poll")
    sampler = RssSampler()
    watched = "embedded" if deployment.mode == "embedded" else "scheduler"
    sampler.watch(watched, deployment.processes[watched].pid)
    sampler.start()
    try:
        await bench.warm_up()
        reference = await bench._store(fan_out(1000, 50, name="bench-ref-fanout"))
        looped = await bench._store(foreach(items, 100))
        loop_rates, ref_rates, peaks = [], [], []
        for _ in range(runs):
            view = await bench.run_once(reference)
            ref_rates.append(1000 / _seconds(view))
            sampler.take()
            view = await bench.run_once(looped)
            peaks.append(sampler.take()[watched])
            if view["outputs"] != {"count": items}:
                raise RuntimeError(f"unexpected outputs: {view['outputs']}")
            loop_rates.append(items / _seconds(view))
    finally:
        sampler.stop()
        await bench.close()
    return {
        "items": items,
        "runs": runs,
        "foreach_ops_per_s_p50": median(loop_rates),
        "fanout_1000_ops_per_s_p50": median(ref_rates),
        "ratio_foreach_to_fanout": median(loop_rates) / median(ref_rates),
        "peak_rss_mib_p50": median(peaks),
        "rss_of": watched,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=["embedded", "distributed"])
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for mode in args.modes:
        deploy = embedded() if mode == "embedded" else distributed()
        async with deploy as deployment:
            results[mode] = await measure(deployment, args.items, args.runs)
            print(mode, json.dumps(results[mode], indent=2), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
