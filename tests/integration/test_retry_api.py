"""Retry from failure through the HTTP API of an embedded Raikoo (SQLite and PostgreSQL):
a retry re-runs only the failed operation and what depends on it — counted by the calls a
local server receives — reuses every other result, and links both runs."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests._reachable import reachable_server
from tests.integration._api import Api
from tests.unit.net._servers import Hit, LocalServer, Reply, Route

PATHS = ("fetch", "left", "flaky", "after_flaky", "join", "alone")


class Flaky:
    """``/flaky`` answers 400 (not retried) until mended; every other path 200."""

    def __init__(self) -> None:
        self.broken = True

    def reply(self, hit: Hit) -> Reply:
        if hit.path == "/flaky" and self.broken:
            return Reply(400, [("content-type", "text/plain")], b"not today")
        body = b'{"path": "' + hit.path.encode() + b'"}'
        return Reply(200, [("content-type", "application/json")], body)


@pytest.fixture
def flaky() -> Flaky:
    return Flaky()


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch, flaky: Flaky) -> Iterator[LocalServer]:
    routes: dict[str, Route] = {f"/{path}": flaky.reply for path in PATHS}
    with reachable_server(monkeypatch, routes) as server:
        yield server


def _workflow(sink: LocalServer) -> dict[str, Any]:
    def call(path: str, *needs: str) -> dict[str, Any]:
        return {"uses": "http.request", "needs": list(needs), "with": {"url": sink.url(f"/{path}")}}

    return {
        "name": "retry-me",
        "operations": {
            "fetch": call("fetch"),
            "left": call("left", "fetch"),
            "flaky": call("flaky", "fetch"),
            "after_flaky": call("after_flaky", "flaky"),
            "join": call("join", "left", "after_flaky"),
            "alone": call("alone"),
        },
        "outputs": {"left": "{{ ops.left.output.body.path }}"},
    }


def _calls(sink: LocalServer) -> Counter[str]:
    return Counter(hit.path.strip("/") for hit in sink.hits)


async def test_a_retry_runs_only_the_failed_operation_and_its_dependents(
    sink: LocalServer, flaky: Flaky, api: Api
) -> None:
    stored = await api.http.post("/v1/workflows", json=_workflow(sink))
    assert stored.status_code in (200, 201), stored.text
    first = await api.run({"workflow": "retry-me"})
    failed, _ = await api.finish(first["id"])
    assert failed["state"] == "failed"
    assert _calls(sink) == Counter({"fetch": 1, "left": 1, "flaky": 1, "alone": 1})

    flaky.broken = False
    response = await api.http.post(f"/v1/runs/{first['id']}/retry")
    assert response.status_code == 201, response.text
    retry = response.json()
    assert retry["retry_of"] == first["id"]
    assert retry["trigger"] == "retry"
    assert response.headers["location"] == f"/v1/runs/{retry['id']}"
    done, _ = await api.finish(retry["id"])
    assert done["state"] == "succeeded", done
    assert done["outputs"] == {"left": "/left"}, "a reused output feeds the run's outputs"
    assert _calls(sink) == Counter(
        {"fetch": 1, "left": 1, "alone": 1, "flaky": 2, "after_flaky": 1, "join": 1}
    ), "only the failed operation and its dependents ran again"

    before = (await api.http.get(f"/v1/runs/{first['id']}/operations")).json()["items"]
    after = (await api.http.get(f"/v1/runs/{retry['id']}/operations")).json()["items"]
    original = {op["key"]: op for op in before}
    for op in after:
        if op["key"] in ("fetch", "left", "alone"):
            assert op["reused_from"] == original[op["key"]]["id"]
            assert op["output"] == original[op["key"]]["output"]
        else:
            assert op["reused_from"] is None
        assert op["state"] == "succeeded"
    assert (await api.http.get(f"/v1/runs/{first['id']}")).json()["retries"] == [retry["id"]]

    audit = (await api.http.get("/v1/audit", params={"action": "run.retried"})).json()["items"]
    assert [(e["target"], e["details"]) for e in audit] == [
        (retry["id"], {"retry_of": first["id"]})
    ]


async def test_only_a_failed_or_cancelled_run_is_retried(sink: LocalServer, api: Api) -> None:
    ok = {"name": "fine", "operations": {"one": {"uses": "set", "with": {"x": 1}}}}
    run = await api.run({"definition": ok})
    finished, _ = await api.finish(run["id"])
    assert finished["state"] == "succeeded"
    refused = await api.http.post(f"/v1/runs/{run['id']}/retry")
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/run-not-retryable")
    assert problem["state"] == "succeeded"
    missing = await api.http.post(f"/v1/runs/{uuid.uuid4()}/retry")
    assert missing.status_code == 404


async def test_a_retry_with_an_idempotency_key_starts_once(
    sink: LocalServer, flaky: Flaky, api: Api
) -> None:
    first = await api.run({"definition": _workflow(sink)})
    failed, _ = await api.finish(first["id"])
    assert failed["state"] == "failed"
    headers = {"Idempotency-Key": "retry-once"}
    one = await api.http.post(f"/v1/runs/{first['id']}/retry", headers=headers)
    two = await api.http.post(f"/v1/runs/{first['id']}/retry", headers=headers)
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["id"] == two.json()["id"]
    await api.finish(one.json()["id"])
