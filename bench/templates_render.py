"""What one template render costs: the scheduler's own expressions (in-process) and the
``template.render`` operation kind (in the op-runner's worker pool).

    uv run python bench/templates_render.py [--repeat 7] [--json bench/results/templates.json]

Each figure is the median, over ``--repeat`` batches, of the mean time of one call in a
batch (µs, wall clock; this process only). The shapes are what the scheduler renders for a
typical operation: a ``with`` without templates, a small ``with`` with a few expressions, a
``when`` condition, an ``outputs`` mapping, and a text template with a loop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
    import uuid

    import structlog

    from raikoo_common.runner import OperationContext
    from raikoo_op_runner.kinds.template_render import KIND

    assert KIND.execute is not None
    config = KIND.config.model_validate(
        {
            "template": "Hello {{ name }}, {{ items | length }} items",
            "values": {"name": "Ada", "items": [1, 2]},
        }
    )
    org, project, run, op_run = (uuid.uuid4() for _ in range(4))
    ctx = OperationContext(org, project, run, op_run, "render", 1, structlog.get_logger())
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--skip-kind", action="store_true", help="only the in-process renders")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    for name, value in CASES.items():
        figures[name] = per_call(partial(render_value, value, CONTEXT, where="bench"), args.repeat)
    if not args.skip_kind:
        figures.update(asyncio.run(kind_per_call(args.repeat)))
    width = max(map(len, figures))
    for name, micros in figures.items():
        print(f"{name:<{width}}  {micros:10.1f} µs")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
