"""Schedule ticks: how fast gateway tickers fire ticks that fell due together, alone and
racing on one PostgreSQL. Each of N schedules has one tick due; every ticker makes one
pass at the same simulated instant. Prints ticks fired per second, claims lost to the
other tickers, and checks that each tick started exactly one run.

    uv run python bench/schedule_ticks.py [--schedules 1000] [--tickers 1 2 4]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import sqlalchemy as sa

from _modes import PG_ADMIN_DSN, drop_database
from raikoo_common.bus import InMemoryBus
from raikoo_common.db import create_engine, tables
from raikoo_common.db.migrate import upgrade
from raikoo_common.outbox import OutboxRelay
from raikoo_gateway.schedules.ticker import ScheduleTicker
from raikoo_gateway.service.runs import PRODUCER
from raikoo_gateway.service.tenancy import ensure_default_tenant

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def _database(schedules: int) -> tuple[str, str]:
    name = f"raikoo_bench_ticks_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    engine = create_engine(url)
    await upgrade(engine)
    tenant = await ensure_default_tenant(engine)
    common = {"org_id": tenant.org_id, "project_id": tenant.project_id, "created_at": T0}
    workflow_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(tables.workflows).values(
                id=workflow_id, name="tick", latest_version=1, updated_at=T0, **common
            )
        )
        definition = {"name": "tick", "operations": {"a": {"uses": "noop"}}}
        await conn.execute(
            sa.insert(tables.workflow_versions).values(
                id=uuid.uuid4(),
                workflow_id=workflow_id,
                version=1,
                definition=definition,
                digest="0" * 64,
                **common,
            )
        )
        rows = [
            {
                "id": uuid.uuid4(),
                "workflow_id": workflow_id,
                "cron": "* * * * *",
                "timezone": "UTC",
                "inputs": {},
                "enabled": True,
                "missed": "skip",
                "max_catch_up": 0,
                "next_fire_at": T0,
                "created_by": "bench",
                "updated_at": T0,
                **common,
            }
            for _ in range(schedules)
        ]
        await conn.execute(sa.insert(tables.schedules), rows)
    await engine.dispose()
    return name, url


async def measure(schedules: int, tickers: int) -> dict[str, float]:
    name, url = await _database(schedules)
    bus = InMemoryBus()
    made = []
    try:
        for _ in range(tickers):
            engine = create_engine(url)
            relay = OutboxRelay(engine, bus, PRODUCER)
            await relay.start()
            made.append((ScheduleTicker(engine, relay, every=None), engine))
        now = T0 + timedelta(seconds=1)
        started = time.perf_counter()
        fired = await asyncio.gather(*(ticker.tick(now) for ticker, _ in made))
        elapsed = time.perf_counter() - started
        runs = [run for each in fired for run in each]
        check = create_engine(url)
        async with check.connect() as conn:
            count = sa.select(sa.func.count()).select_from(tables.run_requests)
            requests = await conn.scalar(count)
        await check.dispose()
        assert len(runs) == len(set(runs)) == requests == schedules, (len(runs), requests)
        return {
            "tickers": tickers,
            "seconds": elapsed,
            "ticks_per_second": schedules / elapsed,
            "claims_lost": sum(ticker.claims_lost for ticker, _ in made),
        }
    finally:
        for ticker, engine in made:
            await ticker.relay.stop()
            await engine.dispose()
        await drop_database(name)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--tickers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    print(f"{args.schedules} schedules, one tick due each, one pass per ticker (PostgreSQL)")
    print(f"{'tickers':>8} {'seconds':>8} {'ticks/s':>8} {'claims lost':>12}")
    for count in args.tickers:
        result = await measure(args.schedules, count)
        print(
            f"{count:>8} {result['seconds']:>8.2f} {result['ticks_per_second']:>8.0f} "
            f"{result['claims_lost']:>12.0f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
