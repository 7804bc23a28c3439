"""Raikoo benchmarks: embedded and distributed, against a Celery reference and the broker floor.

    uv run python bench/run_all.py [--quick] [--mode embedded|distributed|all] [--json PATH]
                                   [--concurrent-runs N]

Scenarios (sizes of a full run; --quick shrinks them):
  (a) a chain of 100 noop operations, 5 runs: per-step overhead p50/p99;
  (b) a fan-out of 1,000 noop operations (max_parallel 50) and a join, 3 runs: ops/s;
  (c) 100 concurrent runs of a 10-step chain, 2 rounds: runs/s and p95 latency
      (--concurrent-runs 500: 500 of them);
plus the peak RSS of every process. The same shapes run on Celery (same RabbitMQ) and the
floor is a raw aio-pika round trip. Prints figures; asserts nothing. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

import _celery_ref
import _floor
from _modes import AMQP_URL, PG_ADMIN_DSN, Deployment, distributed, embedded
from _procs import RssSampler
from _raikoo import RaikooBench
from _report import report, report_markdown


@dataclass(frozen=True)
class Sizes:
    chain_steps: int
    chain_runs: int
    fan_width: int
    fan_runs: int
    max_parallel: int
    conc_runs: int
    conc_steps: int
    conc_rounds: int
    floor_rounds: int
    floor_count: int


FULL = Sizes(100, 5, 1000, 3, 50, 100, 10, 2, 300, 3000)
QUICK = Sizes(20, 2, 100, 1, 50, 10, 5, 1, 50, 300)


def operations(sizes: Sizes) -> dict[str, int]:
    """Operations (tasks) each scenario executes, to express CPU time per operation."""
    return {
        "chain": sizes.chain_steps * sizes.chain_runs,
        "fan_out": (sizes.fan_width + 1) * sizes.fan_runs,
        "concurrent": sizes.conc_runs * sizes.conc_steps * sizes.conc_rounds,
    }


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


async def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "rabbitmq": await _rabbitmq_version(),
        "postgresql": await _postgresql_version(),
        "celery": metadata.version("celery"),
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


async def _rabbitmq_version() -> str:
    import aio_pika

    try:
        connection = await aio_pika.connect(AMQP_URL)
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"
    try:
        props = connection.transport.connection.server_properties  # type: ignore[union-attr]
        version = props.get("version")
        return version.decode() if isinstance(version, bytes) else str(version)
    finally:
        await connection.close()


async def _postgresql_version() -> str:
    import asyncpg

    try:
        pg = await asyncpg.connect(PG_ADMIN_DSN)
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"
    try:
        return str(await pg.fetchval("SHOW server_version"))
    finally:
        await pg.close()


async def measure_floor(sizes: Sizes) -> Any:
    return await _floor.measure(AMQP_URL, rounds=sizes.floor_rounds, count=sizes.floor_count)


def best_floor(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The floor is the best the broker showed during this run (lowest latency, highest rate)."""
    best: dict[str, Any] = {"runs": runs}
    for kind in ("quorum", "classic"):
        samples = [run[kind] for run in runs]
        best[kind] = {
            "latency_p50_ms": min(s["latency_p50_ms"] for s in samples),
            "latency_p99_ms": min(s["latency_p99_ms"] for s in samples),
            "throughput_msgs_s": max(s["throughput_msgs_s"] for s in samples),
        }
    best["publish"] = {key: min(run["publish"][key] for run in runs) for key in runs[0]["publish"]}
    return best


async def measure_raikoo(deployment: Deployment, sizes: Sizes, wait: str) -> dict[str, Any]:
    sampler = RssSampler().start()
    for name, child in deployment.processes.items():
        sampler.watch(name, child.pid)
    sampler.watch("client", os.getpid())  # this process: HTTP, SSE (CPU only)
    bench = RaikooBench(deployment.base_url, deployment.api_key, wait=wait)
    out: dict[str, Any] = {
        "details": deployment.details,
        "wait": wait,
        "rss_mib": {},
        "cpu_ms_per_op": {},
    }
    ops = operations(sizes)

    def done(scenario: str) -> None:
        record_resources(out, sampler, scenario, ops[scenario])

    try:
        await bench.warm_up()
        sampler.take()
        sampler.cpu_seconds()
        log(f"{deployment.mode}: (a) chain {sizes.chain_steps} x {sizes.chain_runs}")
        out["chain"] = await bench.chain_steps(sizes.chain_steps, sizes.chain_runs)
        done("chain")
        log(f"{deployment.mode}: (b) fan-out {sizes.fan_width} x {sizes.fan_runs}")
        out["fan_out"] = await bench.fan_out(sizes.fan_width, sizes.max_parallel, sizes.fan_runs)
        done("fan_out")
        log(f"{deployment.mode}: (c) {sizes.conc_runs} concurrent runs of {sizes.conc_steps}")
        out["concurrent"] = await bench.concurrent(
            sizes.conc_runs, sizes.conc_steps, sizes.conc_rounds
        )
        done("concurrent")
    finally:
        await bench.close()
        sampler.stop()
        out["rss_mib"]["overall"] = sampler.overall_mib()
    return out


def record_resources(out: dict[str, Any], sampler: RssSampler, scenario: str, ops: int) -> None:
    """Peak RSS and CPU per operation of every watched process, for one scenario."""
    out["rss_mib"][scenario] = sampler.take()
    out["cpu_ms_per_op"][scenario] = {
        name: seconds * 1000 / ops for name, seconds in sampler.cpu_seconds().items()
    }


def measure_celery(
    sizes: Sizes, chord_sqlite: bool
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    out: dict[str, Any] = {"rss_mib": {}, "cpu_ms_per_op": {}}
    sampler = RssSampler().start()
    ops = operations(sizes)

    def done(scenario: str) -> None:
        record_resources(out, sampler, scenario, ops[scenario])

    try:
        with _celery_ref.worker("rpc") as w:
            out["worker"] = f"--pool threads --concurrency {_celery_ref.CONCURRENCY}, rpc://"
            sampler.watch("celery-worker", w.child.pid)
            sampler.watch("client", os.getpid())
            sampler.take()
            log("celery: (a) chain")
            out["chain"] = _celery_ref.chain_steps(w, sizes.chain_steps, sizes.chain_runs)
            done("chain")
            log("celery: (b) fan-out")
            out["fan_out"] = _celery_ref.fan_out(w, sizes.fan_width, sizes.fan_runs)
            done("fan_out")
            log("celery: (c) concurrent")
            out["concurrent"] = _celery_ref.concurrent(
                w, sizes.conc_runs, sizes.conc_steps, sizes.conc_rounds
            )
            done("concurrent")
    finally:
        sampler.stop()
        out["rss_mib"]["overall"] = sampler.overall_mib()
    chord = None
    if chord_sqlite:
        log("celery: chord on db+sqlite")
        with _celery_ref.worker("sqlite") as w:
            chord = _celery_ref.fan_out(w, sizes.fan_width, 1)
    return out, chord


async def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = replace(QUICK if args.quick else FULL, **_overrides(args))
    results: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join(["bench/run_all.py", *sys.argv[1:]]),
        "sizes": sizes.__dict__,
        "machine": await machine(),
    }
    log(f"load average {results['machine']['loadavg_at_start']}")
    floors = []
    if not args.skip_floor:
        log("floor: aio-pika round trips")
        floors.append(await measure_floor(sizes))
    if not args.skip_celery:
        celery, chord = await asyncio.to_thread(
            measure_celery, sizes, not args.quick and not args.no_chord_sqlite
        )
        results["celery"] = celery
        if chord:
            results["celery_chord_sqlite"] = chord
    if args.mode in ("embedded", "all"):
        async with embedded() as deployment:
            results["embedded"] = await measure_raikoo(deployment, sizes, args.wait)
    if args.mode in ("distributed", "all"):
        async with distributed() as deployment:
            results["distributed"] = await measure_raikoo(deployment, sizes, args.wait)
    if not args.skip_floor:
        log("floor: again")
        floors.append(await measure_floor(sizes))
        results["floor"] = best_floor(floors)
    results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def _overrides(args: argparse.Namespace) -> dict[str, int]:
    if args.concurrent_runs is None:
        return {}
    if not 1 <= args.concurrent_runs <= 500:
        # The client finds its runs among the newest 500 (one list query per poll).
        raise SystemExit("--concurrent-runs: from 1 to 500")
    return {"conc_runs": args.concurrent_runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (for development)")
    parser.add_argument("--mode", choices=["embedded", "distributed", "all"], default="all")
    parser.add_argument("--json", type=Path, help="save all results here")
    parser.add_argument(
        "--wait",
        choices=["sse", "poll"],
        default="sse",
        help="how (a) and (b) learn that a run finished: the SSE stream (default) or "
        "GET /v1/runs/{id} every 100 ms; (c) always polls one list query every 250 ms",
    )
    parser.add_argument(
        "--concurrent-runs",
        type=int,
        help="runs started at once in (c), on both systems (default 100; at most 500)",
    )
    parser.add_argument("--skip-celery", action="store_true")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument(
        "--no-chord-sqlite", action="store_true", help="skip the Celery chord on db+sqlite"
    )
    parser.add_argument("--from-json", type=Path, help="only print the report of saved results")
    parser.add_argument(
        "--markdown", action="store_true", help="with --from-json: the tables as Markdown"
    )
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        print(report_markdown(saved) if args.markdown else report(saved))
        return
    results = asyncio.run(run(args))
    print(report(results))
    m = results["machine"]
    print(
        f"\nmachine: {m['nproc']} cores, {m['ram_gib']} GiB; Python {m['python']}, RabbitMQ "
        f"{m['rabbitmq']}, PostgreSQL {m['postgresql']}, Celery {m['celery']}; load average "
        f"{m['loadavg_at_start']} at start, {m['loadavg_at_end']} at end"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
        print(f"results saved to {args.json}")


if __name__ == "__main__":
    main()
