"""Composition root of the scheduler: wiring only."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import Bus
from raikoo_common.outbox import OutboxRelay
from raikoo_common.storage import Artifacts
from raikoo_scheduler.adapters.sql_store import PRODUCER, SqlRunStore
from raikoo_scheduler.handlers import subscriptions
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.plans import PlanCache
from raikoo_scheduler.service import Scheduler
from raikoo_scheduler.settings import SchedulerSettings


def build_scheduler(
    settings: SchedulerSettings,
    engine: AsyncEngine,
    bus: Bus,
    *,
    bus_keeps_messages: bool,
    artifacts: Artifacts | None = None,
) -> Scheduler:
    relay = OutboxRelay(
        engine,
        bus,
        PRODUCER,
        lease=settings.outbox_lease_seconds,
        exclusive=not bus_keeps_messages,
    )
    scheduler = Scheduler(
        SqlRunStore(
            engine,
            PlanCache(),
            # One process owns everything in embedded mode: trust the run cache, and let
            # start-up recovery (not an outbox table) re-send what the in-memory bus lost.
            exclusive=not bus_keeps_messages,
            outbox_owner=relay.owner if bus_keeps_messages else None,
            artifacts=artifacts,
        ),
        relay,
        bus,
        Leases(settings.scheduler_lease_seconds, settings.scheduler_lease_grace_seconds),
        tick_seconds=settings.scheduler_tick_seconds,
        redispatch_on_start=not bus_keeps_messages,
        events_linger=settings.scheduler_events_linger_seconds,
    )
    for subscription in subscriptions(
        scheduler,
        concurrency=settings.scheduler_concurrency,
        max_deliveries=settings.bus_max_deliveries,
    ):
        bus.subscribe(subscription)
    return scheduler
