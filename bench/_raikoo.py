"""The three scenarios against a running Raikoo API (embedded or distributed alike).

Figures come from the server's own timestamps wherever possible:

* per step: ``finished_at`` of consecutive operations of the chain (GET
  /v1/runs/{id}/operations), stamped by the runner right after the operation ran;
* run wall time / latency: from the client's wall clock just before ``POST /v1/runs``
  to the run's ``finished_at`` (stamped by the scheduler when it decided the final state).
  Client and server share this machine's clock.

How the client learns that a run finished (SSE stream or a slow poll) therefore only
decides when the next run starts, not the figures.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from itertools import pairwise
from typing import Any

import httpx2

from _stats import median, percentile
from _workflows import chain, fan_out
from raikoo.sdk import AsyncClient

TERMINAL = ("succeeded", "failed", "cancelled")


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


class RaikooBench:
    def __init__(self, base_url: str, api_key: str, *, wait: str = "sse") -> None:
        self.base_url = base_url
        self.api_key = api_key
        self.wait = wait
        # httpx2, not httpx: httpcore 1.0's pool re-checks every pooled connection (two
        # system calls each, and a quadratic count of idle checks) on every request and
        # response. With 100 runs started at once, this client took a fifth of the
        # machine's CPU from the system it measures; on httpcore2's one-pass pool it
        # takes 3 % (docs/benchmarks.md, "Re-check on 2026-12-07").
        self.http = httpx2.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx2.Timeout(120.0),
            limits=httpx2.Limits(max_connections=200, max_keepalive_connections=200),
        )
        self._stored: set[str] = set()

    async def close(self) -> None:
        await self.http.aclose()

    async def _store(self, definition: dict[str, Any]) -> str:
        name: str = definition["name"]
        if name not in self._stored:
            response = await self.http.post("/v1/workflows", json=definition)
            response.raise_for_status()
            self._stored.add(name)
        return name

    async def _submit(self, workflow: str) -> tuple[str, float]:
        submitted = time.time()
        response = await self.http.post("/v1/runs", json={"workflow": workflow})
        if response.status_code != 201:
            raise RuntimeError(f"POST /v1/runs answered {response.status_code}: {response.text}")
        return response.json()["id"], submitted

    async def _until_final_sse(self, run_id: str) -> None:
        async with AsyncClient(str(self.http.base_url), api_key=self.api_key) as client:
            async for _ in client.runs.events(run_id):
                pass

    async def _until_final_poll(self, run_id: str, interval: float = 0.1) -> None:
        while (await self._run(run_id))["state"] not in TERMINAL:  # noqa: ASYNC110 (a poll)
            await asyncio.sleep(interval)

    async def _run(self, run_id: str) -> dict[str, Any]:
        response = await self.http.get(f"/v1/runs/{run_id}")
        response.raise_for_status()
        view: dict[str, Any] = response.json()
        return view

    async def run_once(self, workflow: str) -> dict[str, Any]:
        run_id, submitted = await self._submit(workflow)
        if self.wait == "sse":
            await self._until_final_sse(run_id)
        else:
            await self._until_final_poll(run_id)
        view = await self._run(run_id)
        if view["state"] != "succeeded":
            raise RuntimeError(f"run {run_id} ended {view['state']}: {view.get('error')}")
        view["submitted"] = submitted
        return view

    async def warm_up(self) -> None:
        await self.run_once(await self._store(chain(5, name="bench-warmup-chain")))
        await self.run_once(await self._store(fan_out(20, 10, name="bench-warmup-fanout")))

    async def chain_steps(self, steps: int, runs: int) -> dict[str, Any]:
        workflow = await self._store(chain(steps))
        per_step: list[float] = []
        by_duration: list[float] = []
        run_p50s: list[float] = []
        phases: dict[str, list[float]] = {"dispatch": [], "execute": [], "apply": []}
        for _ in range(runs):
            view = await self.run_once(workflow)
            response = await self.http.get(f"/v1/runs/{view['id']}/operations")
            response.raise_for_status()
            ops = sorted(response.json()["items"], key=lambda op: op["key"])
            finished = [_epoch(op["finished_at"]) for op in ops]
            steps_here = [b - a for a, b in pairwise(finished)]
            per_step.extend(steps_here)
            for prev, op in pairwise(ops):
                ready, started = _epoch(op["ready_at"]), _epoch(op["started_at"])
                phases["apply"].append(ready - _epoch(prev["finished_at"]))
                phases["dispatch"].append(started - ready)
                phases["execute"].append(_epoch(op["finished_at"]) - started)
            run_p50s.append(median(steps_here))
            run_time = _epoch(view["finished_at"]) - _epoch(view["started_at"])
            by_duration.append(run_time / steps)
        return {
            "steps": steps,
            "runs": runs,
            "definition": "per step = finished_at(op i) - finished_at(op i-1), pooled over runs",
            "step_p50_ms": median(per_step) * 1000,
            "step_p99_ms": percentile(per_step, 99) * 1000,
            "step_p50_ms_per_run": [x * 1000 for x in run_p50s],
            "step_from_run_duration_ms": median(by_duration) * 1000,
            "samples": len(per_step),
            # Where a step's time goes (medians, ms): result -> scheduler's unit of work
            # began (apply), -> runner started it (dispatch: commit, publish, deliver),
            # -> runner finished it (execute).
            "phases_p50_ms": {name: median(v) * 1000 for name, v in phases.items()},
        }

    async def fan_out(self, width: int, max_parallel: int, runs: int) -> dict[str, Any]:
        workflow = await self._store(fan_out(width, max_parallel))
        ops = width + 1
        rates, server_rates, walls = [], [], []
        for _ in range(runs):
            view = await self.run_once(workflow)
            wall = _epoch(view["finished_at"]) - view["submitted"]
            walls.append(wall)
            rates.append(ops / wall)
            server_rates.append(ops / (_epoch(view["finished_at"]) - _epoch(view["created_at"])))
        return {
            "width": width,
            "max_parallel": max_parallel,
            "runs": runs,
            "definition": "ops/s = (width + join) / (run finished_at - client submit time)",
            "ops_per_s": median(rates),
            "ops_per_s_per_run": rates,
            "ops_per_s_server_created_to_finished": median(server_rates),
            "wall_s": median(walls),
        }

    async def concurrent(self, runs: int, steps: int, rounds: int) -> dict[str, Any]:
        workflow = await self._store(chain(steps))
        rates, p50s, p95s = [], [], []
        for _ in range(rounds):
            submitted = await asyncio.gather(*(self._submit(workflow) for _ in range(runs)))
            views = await self._until_all_final([run_id for run_id, _ in submitted])
            latencies = []
            for run_id, at in submitted:
                view = views[run_id]
                if view["state"] != "succeeded":
                    raise RuntimeError(f"run {run_id} ended {view['state']}: {view.get('error')}")
                latencies.append(_epoch(view["finished_at"]) - at)
            first = min(at for _, at in submitted)
            last = max(_epoch(v["finished_at"]) for v in views.values())
            rates.append(runs / (last - first))
            p50s.append(median(latencies))
            p95s.append(percentile(latencies, 95))
        return {
            "runs": runs,
            "steps": steps,
            "rounds": rounds,
            "definition": "latency = run finished_at - client submit time; "
            "runs/s = runs / (last finished_at - first submit)",
            "runs_per_s": median(rates),
            "latency_p50_ms": median(p50s) * 1000,
            "latency_p95_ms": median(p95s) * 1000,
            "runs_per_s_per_round": rates,
        }

    async def _until_all_final(
        self, run_ids: list[str], interval: float = 0.25
    ) -> dict[str, dict[str, Any]]:
        """One list query per interval, however many runs: a light poll. The runs waited
        for are the newest (the list is newest first), so the page holds them and no more:
        500 rows a poll, with 100 runs waited for, took a fifth of the gateway's CPU and a
        fifth of the throughput measured (docs/benchmarks.md, "The observer's poll")."""
        wanted = set(run_ids)
        while True:
            response = await self.http.get("/v1/runs", params={"limit": min(len(wanted), 500)})
            response.raise_for_status()
            views = {v["id"]: v for v in response.json()["items"] if v["id"] in wanted}
            if len(views) == len(wanted) and all(v["state"] in TERMINAL for v in views.values()):
                return views
            await asyncio.sleep(interval)
