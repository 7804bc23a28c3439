"""A worker: ``python -m raikoo_op_runner.workers.worker MEMORY_BYTES``.

It reads jobs as frames on stdin — a template to render, a JMESPath expression to apply, a
conversion (``_registry``) — and answers each on stdout. Its address space can never pass
``MEMORY_BYTES``; each job lowers that to its own ``memory_bytes``, and limits the worker's
CPU time to its ``cpu_seconds`` plus a margin, so that even work nothing can interrupt
(one long C call) ends; the op-runner kills it at its deadline anyway. It imports the job
types' modules before it reads a job, so a replacement is ready when one is needed.
"""

from __future__ import annotations

import gc
import math
import os
import resource
import signal
import sys
from typing import Any, BinaryIO

from raikoo_op_runner.workers._frames import decode, encode, read_frame, write_frame
from raikoo_op_runner.workers._registry import JOB_TYPES, JobFunction

CPU_MARGIN = 2
"""Seconds of CPU past a job's limit before the kernel stops the worker."""
RECYCLE_RSS = 256 * 2**20
"""Resident memory after a job past which the worker exits: Python keeps freed memory."""


def main() -> None:
    memory = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the op-runner stops its workers itself
    # Frames go to a private copy of stdout: a stray print must not corrupt them.
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    jobs = {name: job_type.load() for name, job_type in JOB_TYPES.items()}
    serve(jobs, sys.stdin.buffer, replies)


def serve(jobs: dict[str, JobFunction], requests: BinaryIO, replies: BinaryIO) -> None:
    while (frame := read_frame(requests)) is not None:
        request: dict[str, Any] = decode(frame[0])
        job = request["job"]
        _limit_cpu(request["cpu_seconds"])
        memory = _limit_memory(request["memory_bytes"])
        parts: tuple[bytes, bytes] | None = None
        try:
            reply, returned = jobs[job](request, frame[1])
            recycle = _peak_bytes() > RECYCLE_RSS and _resident_bytes() > RECYCLE_RSS
            parts = encode({**reply, "recycle": recycle}, returned)
        except MemoryError:
            pass  # answered below: here the traceback still holds the job's memory
        if parts is None:
            frame = None  # the payload too: the reply needs room
            gc.collect()
            parts = encode(_out_of_memory(job, memory))
            recycle = True
        write_frame(replies, parts)
        if recycle:
            return


def _out_of_memory(job: str, memory: int) -> dict[str, Any]:
    mebibytes = f"{memory / 2**20:,.0f}"
    message = f"the work needed more than the {mebibytes} MiB of memory its worker may use"
    kind = JOB_TYPES[job].memory_error_kind
    return {"error": {"kind": kind, "message": message, "limit": "memory"}, "recycle": True}


def _limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    soft = math.ceil(used + seconds + CPU_MARGIN)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _limit_memory(wanted: int) -> int:
    """This job's address space (at most the worker's own limit); the limit set."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return soft


def _peak_bytes() -> int:
    """The most memory the worker ever held (cheap): only past the limit is ``statm`` read."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _peak_bytes()


if __name__ == "__main__":
    main()
