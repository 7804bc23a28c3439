"""The job types a worker runs, by name: where each one's function lives, and how a job of
that type that ran out of memory is reported.

A job function takes the request (a JSON object) and its payload (bytes) and returns the
reply: ``({"ok": …} or {"error": {"kind", "message"}}, payload)``. It runs in the worker
process only; the kinds send requests with ``raikoo_op_runner.workers.run_job``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JobReply = tuple[dict[str, Any], bytes]
JobFunction = Callable[[dict[str, Any], bytes], JobReply]


@dataclass(frozen=True, slots=True)
class JobType:
    function: str
    """``module:function``; the module is imported when the worker starts."""
    memory_error_kind: str
    """The operation error kind of a job that needed more memory than its limit."""

    def load(self) -> JobFunction:
        module, _, name = self.function.partition(":")
        function: JobFunction = getattr(importlib.import_module(module), name)
        return function


JOB_TYPES = {
    "render": JobType("raikoo_op_runner.workers._template_jobs:render", "template"),
    "jmespath": JobType("raikoo_op_runner.workers._template_jobs:jmespath", "expression_error"),
    "convert": JobType("raikoo_op_runner.kinds._convert.job:run", "invalid_input"),
}
