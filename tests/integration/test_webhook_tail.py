"""The outbound tailer on PostgreSQL reads run events by transaction horizon: an event whose
transaction commits after a later one's (ids are handed out at insert, not at commit) is
still turned into a delivery, once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_gateway.webhooks.tail import tail_once
from tests._embedded import embedded_client
from tests.integration.test_hooks_api import GREETER
from tests.security._world import until_finished

pytestmark = pytest.mark.integration


def _event(run: Any, seq: int) -> dict[str, Any]:
    return {
        "org_id": run.org_id,
        "run_id": run.id,
        "seq": seq,
        "type": "run.state_changed",
        "state": "running",
        "data": {"run_id": str(run.id), "seq": seq, "state": "running"},
        "created_at": utcnow(),
    }


async def test_an_event_committed_late_is_not_skipped(
    make_postgres_database: Callable[[], str], tmp_path: Path
) -> None:
    async with embedded_client(tmp_path, database_url=make_postgres_database()) as (raikoo, http):
        assert raikoo.gateway is not None
        context = raikoo.gateway.context
        assert context.webhooks is not None
        await context.webhooks.stop()  # this test drives the tailer itself
        engine = context.engine
        assert (await http.post("/v1/workflows", json=GREETER)).status_code == 201
        made = await http.post("/v1/webhooks", json={"name": "s", "url": "https://example.com/"})
        assert made.status_code == 201, made.text
        started = await http.post("/v1/runs", json={"workflow": "greeter", "inputs": {"who": "A"}})
        await until_finished(http, started.json()["id"])
        async with engine.connect() as conn:
            run = (await conn.execute(sa.select(t.runs))).one()
        while await tail_once(engine, utcnow(), 1000):
            pass  # the run's own events
        d = t.webhook_deliveries.c

        async def delivered_seqs() -> list[int]:
            async with engine.connect() as conn:
                payloads = await conn.scalars(
                    sa.select(d.payload).where(d.event_type == "run.running")
                )
                return sorted(p["data"]["seq"] for p in payloads)

        before = await delivered_seqs()
        async with engine.connect() as slow:
            transaction = await slow.begin()
            await slow.execute(sa.insert(t.run_events).values(_event(run, 100)))  # id n
            async with engine.begin() as fast:
                await fast.execute(sa.insert(t.run_events).values(_event(run, 101)))  # id n+1
            assert await tail_once(engine, utcnow(), 1000) == 0  # 101 waits behind 100
            await transaction.commit()
        assert await delivered_seqs() == before
        assert await tail_once(engine, utcnow(), 1000) == 2
        assert await delivered_seqs() == sorted([*before, 100, 101])
        assert await tail_once(engine, utcnow(), 1000) == 0  # each event once
