"""The AI runner's own cost, against the fake OpenAI-compatible server in another process.

    uv run python bench/ai_runner.py [--calls 300] [--concurrent 1000] [--delay 5] [--json FILE]

1. Overhead per call: ``ai.prompt`` (its ``execute``, as the executor calls it: plan,
   messages, pooled client through the SSRF guard, usage, output model) against a bare
   ``openai`` SDK call (a default ``AsyncOpenAI`` client) to the same server, both
   non-streamed and streamed, interleaved call by call in one run; p50 and p90 of each, and
   the difference of the p50s (target: ≤ 5 ms).
2. ``--concurrent`` calls in flight at once against a server answering after ``--delay``
   seconds, in this one process, streamed and not: its peak RSS (sampled every 10 ms) and
   the event loop's lag (a 10 ms ticker's oversleep: p50, p99, max) while they wait and
   complete, and the makespan (the ideal is ``--delay``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from statistics import quantiles
from typing import Any

import psutil
import structlog

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, delay: float) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "_fake_openai_server.py"),
                str(self.port),
                str(delay),
            ]
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the fake server did not start") from None
                time.sleep(0.05)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def _context() -> Any:
    from raikoo_common.runner import OperationContext

    return OperationContext(
        org_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        op_run_id=uuid.uuid4(),
        op_key="bench",
        attempt=1,
        log=structlog.get_logger(),
        stream=lambda text: None,
        record_usage=lambda usage: None,
    )


def _ms(values: list[float], q: int) -> float:
    return round(quantiles(values, n=100)[q - 1] * 1000, 3)


async def _bare_call(bare: Any, stream: bool) -> None:
    """The same request with the SDK alone."""
    messages = [{"role": "user", "content": "Say something short."}]
    if stream:
        answer = await bare.chat.completions.create(
            model="bench-model",
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
        )
        async for _ in answer:
            pass
    else:
        await bare.chat.completions.create(model="bench-model", messages=messages)


async def overhead(base_url: str, calls: int) -> dict[str, Any]:
    from openai import AsyncOpenAI

    from raikoo_ai_runner.kinds.prompt import KIND

    assert KIND.execute is not None
    bare = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)
    results: dict[str, Any] = {}
    for stream in (False, True):
        config = KIND.config.model_validate(
            {
                "provider": {"kind": "compatible", "base_url": base_url},
                "model": "bench-model",
                "prompt": "Say something short.",
                "stream": stream,
            }
        )
        sdk, runner = [], []
        for _ in range(20):  # warm both: connections, imports, caches
            await _bare_call(bare, stream)
            await KIND.execute(config, _context())
        for _ in range(calls):
            started = time.perf_counter()
            await _bare_call(bare, stream)
            sdk.append(time.perf_counter() - started)
            started = time.perf_counter()
            await KIND.execute(config, _context())
            runner.append(time.perf_counter() - started)
        key = "streamed" if stream else "plain"
        results[key] = {
            "sdk_p50_ms": _ms(sdk, 50),
            "sdk_p90_ms": _ms(sdk, 90),
            "runner_p50_ms": _ms(runner, 50),
            "runner_p90_ms": _ms(runner, 90),
            "overhead_p50_ms": round(_ms(runner, 50) - _ms(sdk, 50), 3),
        }
    await bare.close()
    return results


async def concurrency(base_url: str, count: int, *, stream: bool) -> dict[str, Any]:
    from raikoo_ai_runner.kinds.prompt import KIND

    assert KIND.execute is not None
    config = KIND.config.model_validate(
        {
            "provider": {"kind": "compatible", "base_url": base_url},
            "model": "bench-model",
            "prompt": "Wait for it.",
            "stream": stream,
        }
    )
    process = psutil.Process()
    rss_before = process.memory_info().rss
    peak = rss_before
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal peak
        loop = asyncio.get_running_loop()
        while not done.is_set():
            started = loop.time()
            await asyncio.sleep(0.01)
            lags.append(loop.time() - started - 0.01)
            peak = max(peak, process.memory_info().rss)

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    outputs = await asyncio.gather(
        *(KIND.execute(config, _context()) for _ in range(count)), return_exceptions=True
    )
    elapsed = time.perf_counter() - started
    done.set()
    await tick
    failures = [o for o in outputs if isinstance(o, BaseException)]
    return {
        "calls": count,
        "failed": len(failures),
        "first_failure": repr(failures[0]) if failures else None,
        "makespan_s": round(elapsed, 3),
        "rss_before_mib": round(rss_before / 2**20, 1),
        "peak_rss_mib": round(peak / 2**20, 1),
        "loop_lag_p50_ms": _ms(lags, 50),
        "loop_lag_p99_ms": _ms(lags, 99),
        "loop_lag_max_ms": round(max(lags) * 1000, 3),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--concurrent", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=5.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ["RAIKOO_AI_ALLOW_HOSTS"] = '["127.0.0.1"]'
    os.environ["RAIKOO_AI_CONNECTION_CONCURRENCY"] = str(max(args.concurrent, 32))
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(30))
    from raikoo_ai_runner import runtime

    runtime.reset()
    report: dict[str, Any] = {}
    quick = Server(0.0)
    try:
        report["overhead"] = await overhead(quick.base_url, args.calls)
    finally:
        quick.stop()
    await runtime.close_clients()
    slow = Server(args.delay)
    try:
        for stream in (True, False):
            key = "concurrent_streamed" if stream else "concurrent_plain"
            report[key] = await concurrency(slow.base_url, args.concurrent, stream=stream)
            await runtime.close_clients()
    finally:
        slow.stop()
    await runtime.close_clients()
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
