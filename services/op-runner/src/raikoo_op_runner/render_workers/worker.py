"""A render worker: ``python -m raikoo_op_runner.render_workers.worker MEMORY_BYTES``.

It reads jobs (a template to render, a JMESPath expression to apply) as frames on stdin and
answers each on stdout. It limits its own address space to ``MEMORY_BYTES`` and, for each
job, its CPU time to the job's limit plus a margin, so that even work the sandbox cannot
interrupt (one long C call) ends; the op-runner kills it at its deadline anyway. It imports
only the template engine, so a replacement starts quickly.
"""

from __future__ import annotations

import math
import os
import resource
import signal
import sys
from typing import Any, BinaryIO

from jmespath.exceptions import JMESPathError

from raikoo_common.workflow.bounds import BoundExceeded, RenderLimits, render_budget
from raikoo_common.workflow.jmespath_bounded import compiled, search, search_failure
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_op_runner.render_workers._frames import decode, encode, read_frame

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
    serve(sys.stdin.buffer, replies)


def serve(jobs: BinaryIO, replies: BinaryIO) -> None:
    while (body := read_frame(jobs)) is not None:
        request = decode(body)
        limits = RenderLimits(**request["limits"])
        _limit_cpu(limits.max_seconds)
        try:
            reply = run_job(request, limits)
            recycle = _peak_bytes() > RECYCLE_RSS and _resident_bytes() > RECYCLE_RSS
        except MemoryError:
            mebibytes = resource.getrlimit(resource.RLIMIT_AS)[0] / 2**20
            message = f"the work needed more than its worker's {mebibytes:,.0f} MiB of memory"
            reply, recycle = {"error": {"kind": _error_kind(request), "message": message}}, True
        _write_all(replies, encode({**reply, "recycle": recycle}))
        if recycle:
            return


def _write_all(stream: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[written or 0 :]


def run_job(request: dict[str, Any], limits: RenderLimits) -> dict[str, Any]:
    """``{"ok": result}`` or ``{"error": {"kind", "message"}}``, as the kinds report them."""
    try:
        if request["job"] == "render":
            template, values, where = request["template"], request["values"], request["where"]
            return {"ok": render_value(template, values, where=where, limits=limits)}
        return {"ok": _jmespath(request, limits)}
    except TemplateError as error:
        return {"error": {"kind": "template", "message": str(error)}}
    except _ExpressionFailed as failure:
        return {"error": {"kind": "expression_error", "message": failure.message}}


def _error_kind(request: dict[str, Any]) -> str:
    return "template" if request["job"] == "render" else "expression_error"


class _ExpressionFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _jmespath(request: dict[str, Any], limits: RenderLimits) -> Any:
    expression = request["expression"]
    try:
        with render_budget(limits):
            return search(compiled(expression), request["data"])
    except (JMESPathError, BoundExceeded, RecursionError) as error:
        raise _ExpressionFailed(
            search_failure(request["where"], expression, request["about"], error)
        ) from None


def _limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    soft = math.ceil(used + seconds + CPU_MARGIN)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


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
