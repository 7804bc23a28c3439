"""The workers: real processes, killed when their caller is cancelled or times out,
replaced so the pool stays warm, and limited in memory and CPU time per job."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

import pytest

from raikoo_common.workflow.bounds import RenderLimits
from raikoo_op_runner.kinds.json_transform import KIND as JSON_TRANSFORM
from raikoo_op_runner.kinds.template_render import KIND as TEMPLATE_RENDER
from raikoo_op_runner.workers import (
    PoolSettings,
    WorkerFailed,
    WorkerPool,
    close_shared_pool,
    shared_pool,
)
from tests.unit.kinds._processes import gone
from tests.unit.kinds._run import run_kind

SPIN = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
"""Ten billion steps: it never finishes by itself within a test."""
LIMITS = RenderLimits(max_steps=10**12, max_seconds=600)


def render(template: str, limits: RenderLimits = LIMITS, **values: Any) -> dict[str, Any]:
    return {
        "job": "render",
        "template": template,
        "values": values,
        "where": "template",
        "limits": asdict(limits),
        "cpu_seconds": limits.max_seconds,
        "memory_bytes": 512 * 2**20,
    }


@pytest.fixture
async def pool() -> AsyncIterator[WorkerPool]:
    workers = WorkerPool(PoolSettings(size=1, memory_bytes=512 * 2**20))
    yield workers
    await workers.close()


async def test_a_job_runs_in_a_worker_and_the_worker_is_kept(pool: WorkerPool) -> None:
    assert pool.workers == 0  # lazy: nothing started before the first job
    reply = await pool.run(render("Hello {{ name }}", name="Ada"), wall_seconds=60)
    assert reply == {"ok": "Hello Ada"}
    [worker] = pool._idle
    assert (await pool.run(render("{{ [1, 2] | sum }}"), wall_seconds=60)) == {"ok": 3}
    assert pool._idle == [worker]
    assert worker.process.pid != os.getpid()


async def test_a_cancelled_job_kills_its_worker_and_a_new_one_takes_its_place(
    pool: WorkerPool,
) -> None:
    await pool.run(render("warm"), wall_seconds=60)
    [worker] = pool._idle
    job = asyncio.ensure_future(pool.run(render(SPIN), wall_seconds=600))
    await asyncio.sleep(0.3)
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    assert await gone(worker.process.pid)
    [replacement] = pool._idle
    assert replacement is not worker
    assert (await pool.run(render("{{ 6 * 7 }}"), wall_seconds=60)) == {"ok": 42}


async def test_a_job_past_its_wall_time_fails_and_its_worker_is_killed(pool: WorkerPool) -> None:
    await pool.run(render("warm"), wall_seconds=60)
    [worker] = pool._idle
    with pytest.raises(WorkerFailed, match=r"the work ran for more than 0.5 s"):
        await pool.run(render(SPIN), wall_seconds=0.5)
    assert await gone(worker.process.pid)
    assert pool.workers == 1


async def test_the_cpu_deadline_inside_the_worker_ends_a_render_with_its_bound(
    pool: WorkerPool,
) -> None:
    limits = RenderLimits(max_steps=10**12, max_seconds=0.3)
    reply = await pool.run(render(SPIN, limits), wall_seconds=600)
    assert reply["error"]["kind"] == "template"
    assert "the template ran for more than 0.3 s of CPU time" in reply["error"]["message"]


async def test_a_worker_over_its_memory_limit_fails_the_job_not_the_runner(
    pool: WorkerPool,
) -> None:
    # The render's own estimate is lifted, so only the worker's address space stops it.
    unbounded = RenderLimits(max_size=10**10, max_memory=10**12, max_seconds=600)
    hog = "{{ ('x' * 2000000000) | length }}"
    reply = await pool.run(render(hog, unbounded), wall_seconds=600)
    assert reply["error"] == {
        "kind": "template",
        "message": "template: the template needed more memory than this process may use "
        "(line 1 of the template)",
    }
    assert (await pool.run(render("{{ 1 + 1 }}"), wall_seconds=60)) == {"ok": 2}


async def test_jobs_wait_for_a_free_worker(pool: WorkerPool) -> None:
    replies = await asyncio.gather(
        *(pool.run(render("{{ n * 2 }}", n=n), wall_seconds=60) for n in range(5))
    )
    assert [reply["ok"] for reply in replies] == [0, 2, 4, 6, 8]
    assert pool.workers == 1


async def test_closing_stops_the_idle_workers(pool: WorkerPool) -> None:
    await pool.run(render("warm"), wall_seconds=60)
    [worker] = pool._idle
    await pool.close()
    assert await gone(worker.process.pid)
    with pytest.raises(WorkerFailed, match="stopping"):
        await pool.run(render("late"), wall_seconds=60)


async def test_an_operation_timeout_stops_template_render_at_once() -> None:
    await close_shared_pool()  # a fresh pool: its one worker is the one that renders
    await run_kind(TEMPLATE_RENDER, {"template": "warm"})
    pids = [worker.process.pid for worker in shared_pool()._idle]
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):  # what the executor does with a timeout
            await run_kind(TEMPLATE_RENDER, {"template": SPIN})
    assert pids
    for pid in pids:
        assert await gone(pid)


async def test_json_transform_runs_its_expression_in_a_worker() -> None:
    output = await run_kind(JSON_TRANSFORM, {"data": {"a": [1, 2, 3]}, "expression": "sum(a)"})
    assert output == {"result": 6}
    assert shared_pool().workers >= 1
