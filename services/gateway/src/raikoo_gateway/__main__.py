"""``python -m raikoo_gateway``: the API as its own process (distributed mode)."""

from raikoo_common.event_loop import pause_collection

pause_collection()  # before the imports below: they are most of a start-up

from raikoo_common.db.prepare import prepared_engine
from raikoo_common.distributed import (
    distributed_bus,
    require_shared_blob_store,
    require_shared_database,
)
from raikoo_common.runtime import run, serve
from raikoo_common.secrets import secrets_client
from raikoo_common.storage import artifacts_from
from raikoo_gateway.app import Gateway
from raikoo_gateway.catalog import full_catalog
from raikoo_gateway.settings import GatewaySettings


async def main() -> None:
    settings = GatewaySettings()
    require_shared_database(settings, "gateway")
    bus = distributed_bus(settings, "gateway")
    engine = await prepared_engine(settings, pre_ping=True)
    require_shared_blob_store(settings, "gateway")
    artifacts = artifacts_from(settings)
    secrets = secrets_client(settings)
    gateway = Gateway(settings, engine, bus, full_catalog(), artifacts, secrets)
    try:
        await serve(
            "gateway",
            settings,
            bus,
            gateway.start,
            gateway.stop,
            app=gateway.asgi(),
            host=settings.host,
            port=settings.port,
        )
    finally:
        await engine.dispose()
        await artifacts.store.close()
        if secrets is not None:
            await secrets.close()


if __name__ == "__main__":
    run(main())
