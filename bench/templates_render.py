"""What one template render costs: the scheduler's own expressions (in-process) and the
``template.render`` operation kind (in the op-runner's worker pool).

    uv run python bench/templates_render.py [--repeat 7] [--timeouts 3] [--json FILE]

Each figure is the median, over ``--repeat`` batches, of the mean time of one call in a
batch (µs, wall clock; this process only). The shapes are what the scheduler renders for a
typical operation: a ``with`` without templates, a small ``with`` with a few expressions, a
``when`` condition, an ``outputs`` mapping, and a text template with a loop. Then
``template.render`` through its ``execute``: the first call (which starts a worker) and
warm calls; and ``--timeouts`` times a render of seconds cancelled after 0.5 s, as the
executor does at an operation's timeout: how late the cancel lands, and how long the work
goes on after it (until the worker process is gone; before the workers, until the thread
that rendered it ends — run this file against the older code to see it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from statistics import median
from typing import Any

from raikoo_common.workflow import render_value

CONTEXT: dict[str, Any] = {
    "inputs": {"url": "https://example.com/api", "limit": 100, "flag": True, "name": "Ada"},
    "ops": {
        "fetch": {"output": {"status": 200, "body": {"items": [{"id": i} for i in range(20)]}}},
        "classify": {
            "output": [[{"label": "bug"}, {"label": "idea"}], [{"label": "bug"}]] * 5,
        },
    },
    "run": {"id": "r-1", "trigger": "api"},
    "item": {"id": 7, "title": "pen"},
}

CASES: dict[str, Any] = {
    "with, no template": {"method": "GET", "url": "https://example.com", "retries": 3},
    "with, 3 expressions": {
        "url": "{{ inputs.url }}/items/{{ item.id }}",
        "method": "POST",
        "json": {
            "count": "{{ ops.fetch.output.body['items'] | length }}",
            "who": "{{ inputs.name }}",
        },
    },
    "when": "{{ ops.fetch.output.status == 200 and inputs.flag }}",
    "outputs, filter chain": {
        "bugs": (
            "{{ ops.classify.output | flatten | selectattr('label', 'eq', 'bug') | list | length }}"
        ),
        "ids": "{{ ops.fetch.output.body['items'] | map(attribute='id') | list }}",
    },
    "text, loop of 20": (
        "Hello {{ inputs.name }}:\n{% for it in ops.fetch.output.body['items'] %}"
        "- {{ it.id }}{% if not loop.last %},{% endif %}\n{% endfor %}"
    ),
}


def per_call(fn: Callable[[], Any], repeat: int, budget: float = 0.2) -> float:
    fn()  # compile and warm caches
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        if time.perf_counter() - start > budget / 4:
            break
        calls *= 2
    batches = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        batches.append((time.perf_counter() - start) / calls)
    return median(batches) * 1e6


async def kind_per_call(repeat: int, calls: int = 200) -> dict[str, float]:
    """``template.render`` through its real ``execute`` (worker pool, or thread before it)."""
    from raikoo_op_runner.kinds.template_render import KIND

    assert KIND.execute is not None
    config = KIND.config.model_validate(
        {
            "template": "Hello {{ name }}, {{ items | length }} items",
            "values": {"name": "Ada", "items": [1, 2]},
        }
    )
    ctx = _context()
    first = time.perf_counter()
    await KIND.execute(config, ctx)
    cold = (time.perf_counter() - first) * 1e6
    batches = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            await KIND.execute(config, ctx)
        batches.append((time.perf_counter() - start) / calls)
    return {"template.render first call": cold, "template.render warm": median(batches) * 1e6}


SPIN = "{% for a in range(5000) %}{{ xs | sort | length }}{% endfor %}"
"""Seconds of work before and after the bounds (a sort is a C call, ~2 ms here)."""
SPIN_VALUES = {"xs": [(n * 7919) % 10007 for n in range(10_000)]}


async def timeout_overshoot(repeat: int) -> dict[str, float]:
    """How late a ``template.render`` timeout fires (what the executor does: cancel the
    task at the deadline), and how long its work goes on after it: until the worker process
    is gone, or (before the workers) until the render's thread ends."""
    from raikoo_op_runner.kinds.template_render import KIND

    workers: Any
    try:
        from raikoo_op_runner import workers
    except ImportError:
        try:  # the pool's first name
            from raikoo_op_runner import render_workers as workers  # type: ignore[no-redef,attr-defined]
        except ImportError:  # before the workers: the template ran in a thread
            workers = None
    assert KIND.execute is not None
    ctx = _context()
    spin = KIND.config.model_validate({"template": SPIN, "values": SPIN_VALUES})
    await KIND.execute(KIND.config.model_validate({"template": "warm"}), ctx)
    late, stopped = [], []
    for _ in range(repeat):
        pool = workers.shared_pool() if workers else None
        pids = [worker.process.pid for worker in pool._idle] if pool else []
        start = time.perf_counter()
        try:
            async with asyncio.timeout(0.5):
                await KIND.execute(spin, ctx)
        except TimeoutError:
            late.append((time.perf_counter() - start - 0.5) * 1e3)
        while any(_running(pid) for pid in pids) or (pool is None and _busy_threads()):  # noqa: ASYNC110 (polling another process)
            await asyncio.sleep(0.001)
        stopped.append((time.perf_counter() - start - 0.5) * 1e3)
        await asyncio.sleep(2)  # let a replacement worker start
    return {
        "template.render timeout 0.5 s, fired late by (ms)": median(late),
        "template.render timeout 0.5 s, work went on for (ms)": median(stopped),
    }


def _busy_threads() -> bool:
    return any(_rendering(thread) for thread in threading.enumerate())


def _rendering(thread: threading.Thread) -> bool:
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_filename == "<template>":
            return True
        frame = frame.f_back
    return False


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _context() -> Any:
    import uuid

    import structlog

    from raikoo_common.runner import OperationContext

    org, project, run, op_run = (uuid.uuid4() for _ in range(4))
    return OperationContext(org, project, run, op_run, "render", 1, structlog.get_logger())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--skip-kind", action="store_true", help="only the in-process renders")
    parser.add_argument("--timeouts", type=int, default=3, help="template.render timeouts to time")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    for name, value in CASES.items():
        figures[name] = per_call(partial(render_value, value, CONTEXT, where="bench"), args.repeat)
    if not args.skip_kind:
        figures.update(asyncio.run(kind_per_call(args.repeat)))
        if args.timeouts:
            figures.update(asyncio.run(timeout_overshoot(args.timeouts)))
    width = max(map(len, figures))
    for name, value in figures.items():
        unit = "" if "(ms)" in name else " µs"
        print(f"{name:<{width}}  {value:10.1f}{unit}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
