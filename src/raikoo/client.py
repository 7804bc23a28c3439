"""A small client for the Raikoo REST API, including its server-sent event stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from raikoo.credentials import api_key_for


class ApiError(Exception):
    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail") or problem.get("title") or f"HTTP {status}")
        self.status = status
        self.problem = problem


class RaikooClient:
    def __init__(
        self, base_url: str, *, api_key: str | None = None, data_dir: Path | None = None
    ) -> None:
        """``api_key``: sent as a bearer token; None: found as ``raikoo.credentials`` says
        (RAIKOO_API_KEY, or the local admin key of ``data_dir`` for a local server)."""
        self.base_url = base_url.rstrip("/")
        key = api_key_for(self.base_url, data_dir, api_key)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=30.0, headers=headers)

    async def __aenter__(self) -> RaikooClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()

    async def _json(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text}
            raise ApiError(response.status_code, problem)
        return response.json() if response.content else None

    async def create_run(self, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(await self._http.post("/v1/runs", json=body))
        return result

    async def store_workflow(
        self, content: bytes, content_type: str
    ) -> tuple[dict[str, Any], bool]:
        """Store a definition (YAML or JSON text) as a version; True when it is a new one."""
        response = await self._http.post(
            "/v1/workflows", content=content, headers={"content-type": content_type}
        )
        stored: dict[str, Any] = await self._json(response)
        return stored, response.status_code == 201

    async def find_workflow(self, name: str, version: int | None = None) -> dict[str, Any] | None:
        """The stored workflow (its latest version, or ``version``); None if there is none."""
        path = f"/v1/workflows/{quote(name, safe='')}"
        if version is not None:
            path += f"/versions/{version}"
        response = await self._http.get(path)
        if response.status_code == 404:
            return None
        found: dict[str, Any] = await self._json(response)
        return found

    async def get_run(self, run_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(await self._http.get(f"/v1/runs/{run_id}"))
        return result

    async def approvals(self, run_id: str) -> list[dict[str, Any]]:
        """The run's operations waiting for a decision."""
        body = await self._json(await self._http.get(f"/v1/runs/{run_id}/approvals"))
        items: list[dict[str, Any]] = body["items"]
        return items

    async def decide(
        self, run_id: str, op_key: str, decision: str, comment: str | None = None
    ) -> dict[str, Any]:
        response = await self._http.post(
            f"/v1/runs/{run_id}/approvals/{op_key}",
            json={"decision": decision, "comment": comment},
        )
        result: dict[str, Any] = await self._json(response)
        return result

    async def retry_run(self, run_id: str) -> dict[str, Any]:
        """A new run of a failed run that reuses what succeeded in it."""
        result: dict[str, Any] = await self._json(await self._http.post(f"/v1/runs/{run_id}/retry"))
        return result

    async def schedules(self, workflow: str | None = None) -> list[dict[str, Any]]:
        """Every schedule of the project (page after page), newest first."""
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 500} | ({"workflow": workflow} if workflow else {})
        while True:
            page = await self._json(await self._http.get("/v1/schedules", params=params))
            found += page["items"]
            if page["next_cursor"] is None:
                return found
            params["cursor"] = page["next_cursor"]

    async def create_schedule(self, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(await self._http.post("/v1/schedules", json=body))
        return result

    async def schedule_action(self, schedule_id: str, action: str) -> dict[str, Any] | None:
        """``pause``, ``resume`` (the schedule as it is now) or ``delete`` (None)."""
        path = f"/v1/schedules/{quote(schedule_id, safe='')}"
        if action == "delete":
            await self._json(await self._http.delete(path))
            return None
        result: dict[str, Any] = await self._json(await self._http.post(f"{path}/{action}"))
        return result

    async def cancel_run(self, run_id: str) -> None:
        await self._json(await self._http.post(f"/v1/runs/{run_id}/cancel"))

    async def events(self, run_id: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Run events until the run's final state; resumes after a dropped connection."""
        last = 0
        while True:
            try:
                async with self._http.stream(
                    "GET",
                    f"/v1/runs/{run_id}/events",
                    params={"after": last},
                    timeout=httpx.Timeout(30.0, read=None),
                ) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        await self._json(response)
                    event, data = "message", ""
                    async for line in response.aiter_lines():
                        if line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("data:"):
                            data += line[5:].strip()
                        elif line.startswith("id:"):
                            last = int(line[3:].strip() or last)
                        elif line == "" and data:
                            payload = json.loads(data)
                            yield event, payload
                            if event == "run.state_changed" and payload["state"] in (
                                "succeeded",
                                "failed",
                                "cancelled",
                            ):
                                return
                            event, data = "message", ""
            except (httpx.RemoteProtocolError, httpx.ReadError):
                pass
            await asyncio.sleep(0.2)  # the stream ended early: resume after the last event


async def server_alive(base_url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=0.5) as http:
            response = await http.get(f"{base_url.rstrip('/')}/healthz")
    except httpx.HTTPError:
        return False
    return response.status_code == 200
