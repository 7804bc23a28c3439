"""Generic operation execution shared by op-runner and ai-runner."""

from raikoo_common.runner.executor import OperationExecutor
from raikoo_common.runner.kind import (
    Catalog,
    Kind,
    OperationContext,
    OperationError,
    RunnerFault,
)
from raikoo_common.runner.wiring import attach_executor, discover_kinds

__all__ = [
    "Catalog",
    "Kind",
    "OperationContext",
    "OperationError",
    "OperationExecutor",
    "RunnerFault",
    "attach_executor",
    "discover_kinds",
]
