"""Render workers: the processes where the op-runner renders ``template.render`` templates
and applies ``json.transform`` expressions, so that an operation's timeout stops them.

``shared_pool()`` is the op-runner's pool, made on first use from its settings; nothing
starts before a job needs it. ``close_shared_pool()`` stops it (the runner's shutdown, and
at exit in any case).
"""

from __future__ import annotations

import atexit
from dataclasses import asdict
from typing import Any

from raikoo_common.workflow.bounds import RenderLimits
from raikoo_op_runner.render_workers._pool import PoolSettings, RenderPool, WorkerFailed

__all__ = [
    "PoolSettings",
    "RenderPool",
    "WorkerFailed",
    "close_shared_pool",
    "job_limits",
    "run_job",
    "shared_pool",
]

JOB_STEPS = 10_000_000
"""Steps of a job in a worker: ten times a render in the scheduler, which it cannot stall."""
JOB_MEMORY = 512 * 2**20
"""Memory a job's values may take, estimated; the worker's address space bounds the rest."""

_shared: RenderPool | None = None


def shared_pool() -> RenderPool:
    global _shared  # noqa: PLW0603 (one pool per process, made lazily)
    if _shared is None:
        from raikoo_op_runner.settings import current_settings

        settings = current_settings()
        _shared = RenderPool(
            PoolSettings(
                size=settings.template_workers,
                memory_bytes=settings.template_worker_memory_mib * 2**20,
            )
        )
        atexit.register(_shared.close_now)
    return _shared


async def close_shared_pool() -> None:
    global _shared
    if _shared is not None:
        pool, _shared = _shared, None
        atexit.unregister(pool.close_now)
        await pool.close()


def job_limits() -> RenderLimits:
    """The bounds of one job: bigger than the scheduler's, as a worker can be stopped."""
    from raikoo_op_runner.settings import current_settings

    return RenderLimits(
        max_steps=JOB_STEPS, max_seconds=current_settings().template_seconds, max_memory=JOB_MEMORY
    )


async def run_job(request: dict[str, Any]) -> dict[str, Any]:
    """Run a job (``render`` or ``jmespath``) in the shared pool with ``job_limits()``:
    ``{"ok": result}`` or ``{"error": {"kind", "message"}}``. Raises ``WorkerFailed`` when
    the worker died or ran past twice its CPU limit in wall time (a loaded machine)."""
    limits = job_limits()
    wall = 2 * limits.max_seconds + 10
    return await shared_pool().run({**request, "limits": asdict(limits)}, wall_seconds=wall)
