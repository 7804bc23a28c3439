"""Profile Raikoo while it runs chains (or fan-outs) of noop operations.

    uv run python bench/profile_chain.py [--mode embedded|distributed]
        [--profiler cprofile|pyinstrument] [--steps 100] [--runs 5]
        [--fan-out 1000 | --concurrent 100]

With ``--fan-out N`` the profiled workload is a fan-out of N noops (max_parallel 50) and a
join instead of the chain; with ``--concurrent N``, N concurrent runs of a 10-step chain
(``--runs`` rounds). Figures are then per operation.

Only the server processes are profiled, and only while the chains run (SIGUSR1/SIGUSR2
to ``_embedded_server.py``, or to each distributed service run under
``_profiled_service.py``); the client polls GET /v1/runs/{id} every 100 ms.
cProfile (default) prints each function's own and cumulative time divided by the number
of steps (µs per step) and its calls per step; pyinstrument (``uv pip install
pyinstrument``) writes a sampled call tree next to the output.
"""

from __future__ import annotations

import argparse
import asyncio
import pstats
import re
import signal
import tempfile
from pathlib import Path
from typing import Any

from _modes import distributed, embedded
from _raikoo import RaikooBench


async def _workload(bench: RaikooBench, args: argparse.Namespace, runs: int) -> dict[str, Any]:
    if args.fan_out:
        fan_out: dict[str, Any] = await bench.fan_out(args.fan_out, 50, runs)
        return fan_out
    if args.concurrent:
        concurrent: dict[str, Any] = await bench.concurrent(args.concurrent, 10, runs)
        return concurrent
    chain: dict[str, Any] = await bench.chain_steps(args.steps, runs)
    return chain


async def profile_distributed(args: argparse.Namespace, out_dir: Path) -> dict[str, Any]:
    async with distributed(profile_dir=out_dir, profiler=args.profiler) as deployment:
        bench = RaikooBench(deployment.base_url, deployment.api_key, wait="poll")
        try:
            await bench.warm_up()
            await _workload(bench, args, 1)
            for child in deployment.processes.values():
                child.popen.send_signal(signal.SIGUSR1)
            await asyncio.sleep(0.2)
            result = await _workload(bench, args, args.runs)
            for child in deployment.processes.values():
                child.popen.send_signal(signal.SIGUSR2)
            for name in deployment.processes:
                while not (out_dir / f"{name}.prof").exists():  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # let the last one finish writing
        finally:
            await bench.close()
    return result


async def profile(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    async with embedded(profile=out, profiler=args.profiler) as deployment:
        server = deployment.processes["embedded"]
        bench = RaikooBench(deployment.base_url, deployment.api_key, wait="poll")
        try:
            await bench.warm_up()
            await _workload(bench, args, 1)  # plan cache, connections
            server.popen.send_signal(signal.SIGUSR1)
            await asyncio.sleep(0.2)
            result = await _workload(bench, args, args.runs)
            server.popen.send_signal(signal.SIGUSR2)
            assert server.popen.stdout is not None
            line = await asyncio.wait_for(asyncio.to_thread(server.popen.stdout.readline), 120)
            assert b"profile-written" in line, line
        finally:
            await bench.close()
    return result


def summarize_cprofile(path: Path, steps: int, top: int) -> str:
    stats: Any = pstats.Stats(str(path))
    rows = [
        (tt, ct, nc, f"{_short(file)}:{line}({name})")
        for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items()
    ]
    idle = sum(tt for tt, _, _, where in rows if "epoll" in where)
    busy = stats.total_tt - idle
    lines = [
        f"profiled {stats.total_tt:.3f} s, of which {idle:.3f} s waiting in epoll: "
        f"{busy / steps * 1e6:.0f} µs of work per step (cProfile inflates small calls)",
        "",
        f"{'own µs/step':>11} {'cum µs/step':>11} {'calls/step':>10}  function",
    ]
    ours = [row for row in rows if "raikoo" in row[3]]
    for title, key, chosen in (
        ("by own time", 0, rows),
        ("Raikoo's own functions by cumulative time", 1, ours),
    ):
        lines.append(f"-- {title}")
        for tt, ct, nc, where in sorted(chosen, key=lambda r: r[key], reverse=True)[:top]:
            lines.append(
                f"{tt / steps * 1e6:11.1f} {ct / steps * 1e6:11.1f} {nc / steps:10.1f}  {where}"
            )
    return "\n".join(lines)


def _headline(args: argparse.Namespace, result: dict[str, Any]) -> str:
    if args.concurrent:
        return (
            f"{args.mode}: {args.concurrent} concurrent runs of 10 steps x {args.runs} rounds "
            f"while profiled: {result['runs_per_s']:.1f} runs/s (profiler overhead included)"
        )
    if args.fan_out:
        return (
            f"{args.mode}: fan-out of {args.fan_out} x {args.runs} runs while profiled: "
            f"{result['ops_per_s']:.0f} ops/s (profiler overhead included)"
        )
    return (
        f"{args.mode}: chain of {args.steps} x {args.runs} runs while profiled: per-step p50 "
        f"{result['step_p50_ms']:.2f} ms (profiler overhead included); phases "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in result["phases_p50_ms"].items())
    )


def _short(file: str) -> str:
    for marker in ("site-packages/", "/src/", "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["embedded", "distributed"], default="embedded")
    parser.add_argument("--profiler", choices=["cprofile", "pyinstrument"], default="cprofile")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--fan-out", type=int, default=0, help="profile a fan-out this wide")
    parser.add_argument(
        "--concurrent", type=int, default=0, help="profile this many concurrent 10-step runs"
    )
    parser.add_argument("--out", type=Path, help="where to keep the raw profile")
    args = parser.parse_args()
    per_run = args.fan_out + 1 if args.fan_out else args.concurrent * 10 or args.steps
    steps = per_run * args.runs
    if args.mode == "distributed":
        with tempfile.TemporaryDirectory() as tmp:
            out_dir = (args.out or Path(tmp)).resolve()
            out_dir.mkdir(parents=True, exist_ok=True)
            result = asyncio.run(profile_distributed(args, out_dir))
            print(_headline(args, result))
            for name in ("gateway", "scheduler", "op-runner"):
                print(f"\n===== {name}")
                path = out_dir / f"{name}.prof"
                if args.profiler == "cprofile":
                    print(summarize_cprofile(path, steps, args.top))
                else:
                    print(path.read_text())
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / ("chain.prof" if args.profiler == "cprofile" else "chain.txt")
        result = asyncio.run(profile(args, out.resolve()))
        print(_headline(args, result))
        if args.profiler == "cprofile":
            print(summarize_cprofile(out, steps, args.top))
        else:
            text = out.read_text()
            print(text)
            match = re.search(r"Duration: ([0-9.]+)\s+CPU time: ([0-9.]+)", text)
            if match:
                wall, cpu = float(match[1]), float(match[2])
                print(
                    f"per step: {wall / steps * 1e6:.0f} µs profiled wall time, "
                    f"{cpu / steps * 1e6:.0f} µs CPU time (pyinstrument)"
                )
            print(f"(HTML call tree: {out.with_suffix('.html')})" if args.out else "")


if __name__ == "__main__":
    main()
