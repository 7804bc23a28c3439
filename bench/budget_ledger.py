"""What the budget ledger adds to each model call: a reservation before it and a settlement
after it (``raikoo_common.db.budgets``), on SQLite (embedded) and PostgreSQL (shared by
replicas), with no budget, one, and two that apply; one call at a time (p50, p90 of
reserve + settle) and ``--concurrent`` at once on one budget (calls per second).

    uv run python bench/budget_ledger.py [--calls 300] [--concurrent 50] \
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres] [--json FILE]

The PostgreSQL URL names a server where a scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from _stats import percentile
from raikoo_common.budgets import Charge, ChargeScope
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.budgets import SqlBudgetLedger
from raikoo_common.db.engine import create_engine
from raikoo_common.db.migrate import upgrade


async def _tenant(engine: AsyncEngine, budgets: int) -> ChargeScope:
    org, project = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.organizations).values(
                id=org, slug=f"o{org.hex[:8]}", name="o", created_at=utcnow()
            )
        )
        await conn.execute(
            sa.insert(t.projects).values(
                id=project, org_id=org, slug="p", name="p", created_at=utcnow()
            )
        )
        for index in range(budgets):
            await conn.execute(
                sa.insert(t.budgets).values(
                    id=uuid.uuid4(),
                    org_id=org,
                    project_id=project if index else None,
                    scope_key=str(project) if index else "org",
                    period="month",
                    unit="tokens",
                    limit=1e15,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
    return ChargeScope(org, project, uuid.uuid4())


async def _one_at_a_time(ledger: SqlBudgetLedger, scope: ChargeScope, calls: int) -> list[float]:
    spent = []
    for _ in range(calls):
        started = time.perf_counter()
        held = await ledger.reserve(scope, Charge(1100, None))
        await ledger.settle(held, Charge(1000, None))
        spent.append((time.perf_counter() - started) * 1000)
    return spent


async def _at_once(ledger: SqlBudgetLedger, scope: ChargeScope, calls: int, width: int) -> float:
    gate = asyncio.Semaphore(width)

    async def call() -> None:
        async with gate:
            held = await ledger.reserve(scope, Charge(1100, None))
            await ledger.settle(held, Charge(1000, None))

    started = time.perf_counter()
    await asyncio.gather(*(call() for _ in range(calls)))
    return calls / (time.perf_counter() - started)


async def _measure(engine: AsyncEngine, calls: int, width: int) -> dict[str, Any]:
    await upgrade(engine)
    ledger = SqlBudgetLedger(engine)
    figures: dict[str, Any] = {}
    for budgets in (0, 1, 2):
        scope = await _tenant(engine, budgets)
        await _one_at_a_time(ledger, scope, 20)  # warm up
        spent = await _one_at_a_time(ledger, scope, calls)
        figures[f"{budgets} budgets"] = {
            "p50_ms": round(percentile(spent, 50), 3),
            "p90_ms": round(percentile(spent, 90), 3),
        }
    scope = await _tenant(engine, 1)
    figures[f"{width} at once, 1 budget: calls/s"] = round(
        await _at_once(ledger, scope, calls, width)
    )
    await engine.dispose()
    return figures


async def _postgres(admin_url: str, calls: int, width: int) -> dict[str, Any]:
    name = f"raikoo_bench_{uuid.uuid4().hex[:12]}"
    admin = make_url(admin_url).set(drivername="postgresql").render_as_string(False)
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        return await _measure(create_engine(url, pool_size=width), calls, width)
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'ledger.db'}"
        results["sqlite"] = await _measure(create_engine(url), args.calls, args.concurrent)
    if args.postgres:
        results["postgresql"] = await _postgres(args.postgres, args.calls, args.concurrent)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
