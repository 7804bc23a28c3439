"""``python -m raikoo_scheduler``: the scheduler as its own process (distributed mode)."""

from raikoo_common.event_loop import pause_collection

pause_collection()  # before the imports below: they are most of a start-up

from raikoo_common.db.prepare import prepared_engine
from raikoo_common.distributed import (
    distributed_bus,
    require_shared_blob_store,
    require_shared_database,
)
from raikoo_common.runtime import run, serve
from raikoo_common.storage import artifacts_from
from raikoo_scheduler.app import build_scheduler
from raikoo_scheduler.settings import SchedulerSettings


async def main() -> None:
    settings = SchedulerSettings()
    require_shared_database(settings, "scheduler")
    bus = distributed_bus(settings, "scheduler")
    engine = await prepared_engine(settings)
    require_shared_blob_store(settings, "scheduler")
    artifacts = artifacts_from(settings)
    scheduler = build_scheduler(settings, engine, bus, bus_keeps_messages=True, artifacts=artifacts)
    try:
        await serve("scheduler", settings, bus, scheduler.start, scheduler.stop)
    finally:
        await engine.dispose()
        await artifacts.store.close()


if __name__ == "__main__":
    run(main())
