"""Operation kinds and their execution, shared by op-runner and ai-runner.

The package exports what describes a kind (its schemas and context); the executor that
runs kinds from the bus is imported from ``raikoo_common.runner.executor`` and
``raikoo_common.runner.wiring`` by the runners alone, so the gateway and the CLI, which
only read the schemas, never load it.
"""

from raikoo_common.json_bytes import JsonBytes
from raikoo_common.runner.catalog import discover_kinds
from raikoo_common.runner.kind import (
    Catalog,
    Kind,
    OperationContext,
    OperationError,
    RunnerFault,
)

__all__ = [
    "Catalog",
    "JsonBytes",
    "Kind",
    "OperationContext",
    "OperationError",
    "RunnerFault",
    "discover_kinds",
]
