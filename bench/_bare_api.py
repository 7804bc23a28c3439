"""The reference of bench/api_auth.py: a bare FastAPI app, served by its own process the way
the gateway is (one uvicorn server, the same engine factory), doing the database work of
``POST /v1/runs`` and ``GET /v1/runs/{id}`` through the gateway's own service functions,
in the default organization and project, with none of the rest: no credentials, rate limit,
project lookup, audit record, publish to the bus, middleware or response model.

Prints the base URL once it listens; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from typing import Any

from fastapi import FastAPI, HTTPException
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.db import create_engine
from raikoo_common.db.engine import read_only
from raikoo_common.logging import configure_logging
from raikoo_common.outbox import OutboxOwner
from raikoo_common.runtime import freeze_startup_heap, http_server, until_signalled
from raikoo_gateway.service import runs, transactions
from raikoo_gateway.service.tenancy import ensure_default_tenant
from raikoo_gateway.service.workflows import find_version

OWNER = OutboxOwner("bench-bare")
"""Its outbox rows are never published: the gateway adopts only rows of its own producer."""


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    configure_logging("warning")
    engine = create_engine(args.database_url, pre_ping=True)
    tenant = await ensure_default_tenant(engine)
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/runs", status_code=201)
    async def create_run(body: dict[str, Any]) -> dict[str, Any]:
        async def start(conn: AsyncConnection) -> runs.RunCreated:
            version = await find_version(conn, tenant, body["workflow"])
            if version is None:
                raise HTTPException(404)
            return await runs.request_run(
                conn,
                tenant,
                version,
                body.get("inputs", {}),
                idempotency_key=None,
                trigger="api",
                outbox_owner=OWNER,
            )

        created = await transactions.write(engine, start)
        async with read_only(engine) as conn:
            view = await runs.get_run(conn, tenant, created.run_id)
        assert view is not None
        return view

    @app.get("/runs/{run_id}")
    async def get_run(run_id: uuid.UUID) -> dict[str, Any]:
        async with read_only(engine) as conn:
            view = await runs.get_run(conn, tenant, run_id)
        if view is None:
            raise HTTPException(404)
        return view

    server = http_server(app, "127.0.0.1", args.port)
    task = asyncio.create_task(server.serve())
    freeze_startup_heap()
    try:
        await until_signalled()
    finally:
        server.should_exit = True
        await task
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
