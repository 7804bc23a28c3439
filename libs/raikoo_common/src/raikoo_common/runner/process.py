"""A runner service as its own process: what op-runner and ai-runner do the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from raikoo_common.bus import Bus
from raikoo_common.distributed import distributed_bus, require_shared_blob_store
from raikoo_common.runtime import serve
from raikoo_common.secrets import SecretStore, secrets_client
from raikoo_common.settings import ServiceSettings
from raikoo_common.storage import Artifacts, artifacts_from

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)

Build = Callable[[SettingsT, Bus, Artifacts | None, SecretStore | None], Any]


async def serve_runner(name: str, settings: SettingsT, build: Build[SettingsT]) -> None:
    """Connect the bus, the shared artifact store and the secrets-proxy, attach the runner
    ``build`` wires, and serve until signalled; then close what was opened."""
    bus = distributed_bus(settings, name)
    require_shared_blob_store(settings, name)
    artifacts = artifacts_from(settings)
    secrets = secrets_client(settings)
    build(settings, bus, artifacts, secrets)
    try:
        await serve(name, settings, bus)
    finally:
        await artifacts.store.close()
        if secrets is not None:
            await secrets.close()
