"""What every runner service does the same way: attach an executor to its queue."""

from __future__ import annotations

from raikoo_common.budgets import BudgetLedger
from raikoo_common.bus import Bus
from raikoo_common.runner.executor import OperationExecutor
from raikoo_common.runner.kind import Catalog
from raikoo_common.secrets import SecretStore
from raikoo_common.storage.artifacts import Artifacts


def attach_executor(
    bus: Bus,
    catalog: Catalog,
    channel: str,
    *,
    concurrency: int,
    max_deliveries: int,
    artifacts: Artifacts | None = None,
    secrets: SecretStore | None = None,
    bus_keeps_messages: bool = True,
    budgets: BudgetLedger | None = None,
) -> OperationExecutor:
    """``bus_keeps_messages``: False for a bus that keeps nothing across restarts (the
    in-memory one of embedded mode), which delivers only what was sent while we listened."""
    executor = OperationExecutor(
        bus,
        catalog,
        artifacts=artifacts,
        secrets=secrets,
        bus_keeps_messages=bus_keeps_messages,
        budgets=budgets,
    )
    for subscription in executor.subscriptions(
        channel, concurrency=concurrency, max_deliveries=max_deliveries
    ):
        bus.subscribe(subscription)
    return executor
