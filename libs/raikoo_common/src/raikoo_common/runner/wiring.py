"""What every runner service does the same way: find its kinds, attach to its queue."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import Any

from raikoo_common.bus import Bus
from raikoo_common.runner.executor import OperationExecutor
from raikoo_common.runner.kind import Catalog, Kind
from raikoo_common.secrets import SecretStore
from raikoo_common.storage.artifacts import Artifacts


def discover_kinds(package: str, path: Iterable[str]) -> Catalog:
    """Every public module of ``package`` defines one kind as ``KIND``."""
    kinds: dict[str, Kind[Any]] = {}
    for module_info in pkgutil.iter_modules(path):
        if module_info.name.startswith("_"):
            continue
        kind = importlib.import_module(f"{package}.{module_info.name}").KIND
        if kind.name in kinds:
            raise RuntimeError(f"operation kind {kind.name!r} is defined twice in {package}")
        kinds[kind.name] = kind
    return kinds


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
) -> OperationExecutor:
    """``bus_keeps_messages``: False for a bus that keeps nothing across restarts (the
    in-memory one of embedded mode), which delivers only what was sent while we listened."""
    executor = OperationExecutor(
        bus, catalog, artifacts=artifacts, secrets=secrets, bus_keeps_messages=bus_keeps_messages
    )
    for subscription in executor.subscriptions(
        channel, concurrency=concurrency, max_deliveries=max_deliveries
    ):
        bus.subscribe(subscription)
    return executor
