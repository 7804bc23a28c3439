"""Workers: the processes where the op-runner renders ``template.render`` templates,
applies ``json.transform`` expressions and runs ``convert`` conversions, so that an
operation's timeout stops them and each job has its own memory and CPU limits.

``shared_pool()`` is the op-runner's pool, made on first use from its settings; nothing
starts before a job needs it. ``close_shared_pool()`` stops it (the runner's shutdown, and
at exit in any case).
"""

from __future__ import annotations

import atexit
from dataclasses import asdict
from typing import Any

from raikoo_common.workflow.bounds import RenderLimits
from raikoo_op_runner.workers._pool import PoolSettings, Reply, WorkerFailed, WorkerPool

__all__ = [
    "PoolSettings",
    "Reply",
    "WorkerFailed",
    "WorkerPool",
    "close_shared_pool",
    "job_limits",
    "run_job",
    "run_template_job",
    "shared_pool",
]

JOB_STEPS = 10_000_000
"""Steps of a template job: ten times a render in the scheduler, which it cannot stall."""
JOB_MEMORY = 512 * 2**20
"""Memory a template job's values may take, estimated; the worker's address space bounds
the rest."""

_shared: WorkerPool | None = None


def shared_pool() -> WorkerPool:
    global _shared  # noqa: PLW0603 (one pool per process, made lazily)
    if _shared is None:
        from raikoo_op_runner.settings import current_settings

        settings = current_settings()
        most = max(settings.template_worker_memory_mib, settings.convert_memory_mib)
        _shared = WorkerPool(PoolSettings(size=settings.workers, memory_bytes=most * 2**20))
        atexit.register(_shared.close_now)
    return _shared


async def close_shared_pool() -> None:
    global _shared
    if _shared is not None:
        pool, _shared = _shared, None
        atexit.unregister(pool.close_now)
        await pool.close()


async def run_job(
    request: dict[str, Any], payload: bytes = b"", *, cpu_seconds: float, memory_bytes: int
) -> Reply:
    """Run a job (``request["job"]``, a registered type) in the shared pool, with at most
    ``cpu_seconds`` of CPU time and ``memory_bytes`` of address space. Raises
    ``WorkerFailed`` when the worker died (past its CPU limit, crashed) or ran past twice
    its CPU limit in wall time (a loaded machine)."""
    limits = {"cpu_seconds": cpu_seconds, "memory_bytes": memory_bytes}
    wall = 2 * cpu_seconds + 10
    return await shared_pool().call({**request, **limits}, payload, wall_seconds=wall)


def job_limits() -> RenderLimits:
    """The bounds of a template job: bigger than the scheduler's, as a worker can be
    stopped."""
    from raikoo_op_runner.settings import current_settings

    return RenderLimits(
        max_steps=JOB_STEPS, max_seconds=current_settings().template_seconds, max_memory=JOB_MEMORY
    )


async def run_template_job(request: dict[str, Any]) -> dict[str, Any]:
    """Run a ``render`` or ``jmespath`` job with ``job_limits()``: ``{"ok": result}`` or
    ``{"error": {"kind", "message"}}``."""
    from raikoo_op_runner.settings import current_settings

    limits = job_limits()
    memory = current_settings().template_worker_memory_mib * 2**20
    reply = await run_job(
        {**request, "limits": asdict(limits)},
        cpu_seconds=limits.max_seconds,
        memory_bytes=memory,
    )
    return reply.message
