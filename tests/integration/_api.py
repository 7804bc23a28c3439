"""A client for the REST API of a Raikoo started in-process, as tests use it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from raikoo.sdk import AsyncClient
from tests._budget import WAIT_SECONDS


class Api:
    def __init__(self, base_url: str, http: httpx.AsyncClient, api_key: str | None) -> None:
        self.base_url = base_url
        self.http = http
        self.api_key = api_key

    async def run(self, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post("/v1/runs", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def finish(
        self, run_id: str, timeout: float = WAIT_SECONDS
    ) -> tuple[dict[str, Any], list[Any]]:
        events: list[tuple[str, dict[str, Any]]] = []
        async with AsyncClient(self.base_url, api_key=self.api_key) as client:

            async def collect() -> None:
                async for event in client.runs.events(run_id):
                    events.append((event.type, event.data))

            await asyncio.wait_for(collect(), timeout)
        run = (await self.http.get(f"/v1/runs/{run_id}")).json()
        return run, events
