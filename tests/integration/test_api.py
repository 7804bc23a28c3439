"""The REST API over the whole embedded stack (real HTTP server, scheduler, runners),
on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

from tests.integration._api import Api

CHAIN = """
apiVersion: raikoo/v1
kind: Workflow
name: chain
inputs:
  n: {type: integer}
  label: {type: string, default: x}
operations:
  first: {uses: set, with: {n: "{{ inputs.n }}"}}
  second: {uses: set, needs: [first], with: {n: "{{ ops.first.output.n + 1 }}"}}
  side: {uses: noop, needs: [first]}
  last: {uses: set, needs: [second, side], with: {n: "{{ ops.second.output.n * 10 }}"}}
outputs:
  result: "{{ ops.last.output.n }}"
  label: "{{ inputs.label }}"
"""


async def test_health_and_readiness(api: Api) -> None:
    assert (await api.http.get("/healthz")).json()["status"] == "ok"
    ready = await api.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"started": "ok", "database": "ok"}


async def test_store_versions_and_run_a_stored_workflow(api: Api) -> None:
    headers = {"content-type": "application/yaml"}
    first = await api.http.post("/v1/workflows", content=CHAIN, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1
    same = await api.http.post("/v1/workflows", content=CHAIN, headers=headers)
    assert same.status_code == 200
    assert same.json()["version_id"] == first.json()["version_id"]
    changed = await api.http.post(
        "/v1/workflows", content=CHAIN.replace("default: x", "default: y"), headers=headers
    )
    assert changed.json()["version"] == 2

    created = await api.run({"workflow": "chain", "inputs": {"n": 4}})
    assert created["state"] in ("queued", "running")
    assert created["workflow"] == {"name": "chain", "version": 2}
    run, events = await api.finish(created["id"])
    assert run["state"] == "succeeded"
    assert run["outputs"] == {"result": 50, "label": "y"}
    seqs = [data["seq"] for _, data in events]
    assert seqs == list(range(1, len(seqs) + 1)), "events arrive in order without gaps"

    pinned = await api.run({"workflow": "chain", "version": 1, "inputs": {"n": 1}})
    run, _ = await api.finish(pinned["id"])
    assert run["outputs"] == {"result": 20, "label": "x"}

    ops = (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    # second and side are independent: their relative order is not part of the contract.
    assert sorted((o["key"], o["state"], o["attempt"]) for o in ops) == [
        ("first", "succeeded", 1),
        ("last", "succeeded", 1),
        ("second", "succeeded", 1),
        ("side", "succeeded", 1),
    ]


async def test_invalid_definition_lists_every_problem_and_stores_nothing(api: Api) -> None:
    bad = """
name: broken
operations:
  a: {uses: no.such.kind}
  b: {uses: noop, needs: [a, ghost]}
  c: {uses: set, needs: [c], with: {x: "{{ ops.b.output }}"}}
  d: {uses: sleep, with: {}}
"""
    response = await api.http.post(
        "/v1/workflows", content=bad, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    paths = {error["path"] for error in problem["errors"]}
    assert {"operations.a.uses", "operations.b.needs[1]", "operations.c.needs[0]"} <= paths
    assert any(p.startswith("operations.c.with") for p in paths)
    assert any(p.startswith("operations.d.with") for p in paths)
    assert all(error.get("line") for error in problem["errors"])
    assert (await api.http.get("/v1/workflows/broken")).status_code == 404


async def test_declarations_are_checked_when_stored(api: Api) -> None:
    bad = """
name: declared-badly
inputs:
  n: {type: integer, default: three}
operations:
  a: {uses: noop, retry: {on: [timeout, teapot]}}
outputs: {token: "{{ secrets.TOKEN }}"}
"""
    response = await api.http.post(
        "/v1/workflows", content=bad, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 422
    found = {(error["path"], error["line"]) for error in response.json()["errors"]}
    assert found == {("inputs.n.default", 4), ("operations.a.retry.on[1]", 6), ("outputs.token", 7)}
    # A workflow.call target may be stored after its caller: not checked here.
    calls = {
        "name": "caller",
        "operations": {"c": {"uses": "workflow.call", "with": {"workflow": "later"}}},
    }
    assert (await api.http.post("/v1/workflows", json=calls)).status_code == 201


async def test_inline_run_with_idempotency_key(api: Api) -> None:
    body = {"definition": CHAIN, "inputs": {"n": "2"}, "idempotency_key": "order-17"}
    created = await api.run(body)
    again = await api.http.post("/v1/runs", json=body)
    assert again.status_code == 200
    assert again.json()["id"] == created["id"]
    conflict = await api.http.post("/v1/runs", json={**body, "inputs": {"n": 3}})
    assert conflict.status_code == 409
    assert conflict.json()["run_id"] == created["id"]
    run, _ = await api.finish(created["id"])
    assert run["outputs"]["result"] == 30


async def test_the_run_list_pages_through_every_run_newest_first(api: Api) -> None:
    """The cursor holds a creation time: the next page turns it back into a time (it once
    reached the database as text and failed)."""
    created = [(await api.run({"definition": CHAIN, "inputs": {"n": n}}))["id"] for n in range(3)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await api.http.get("/v1/runs", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [run["id"] for run in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(created))


async def test_bad_inputs_and_unknown_things(api: Api) -> None:
    missing = await api.http.post("/v1/runs", json={"definition": CHAIN, "inputs": {}})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["path"] == "inputs.n"
    wrong = await api.http.post(
        "/v1/runs", json={"definition": CHAIN, "inputs": {"n": "four", "extra": 1}}
    )
    assert {e["path"] for e in wrong.json()["errors"]} == {"inputs.n", "inputs.extra"}
    neither = await api.http.post("/v1/runs", json={"inputs": {}})
    assert neither.status_code == 422
    unknown_wf = await api.http.post("/v1/runs", json={"workflow": "nope"})
    assert unknown_wf.status_code == 404
    for path in ("/v1/runs/00000000-0000-0000-0000-000000000000", "/v1/workflows/nope"):
        response = await api.http.get(path)
        assert response.status_code == 404
        assert response.json()["status"] == 404
    assert (await api.http.get("/v1/runs/not-a-uuid")).status_code == 422


async def test_text_holding_nul_is_refused_with_where_in_every_mode(api: Api) -> None:
    """PostgreSQL cannot store U+0000: refused where it enters, the same way on SQLite."""
    inputs = await api.http.post(
        "/v1/runs", json={"definition": CHAIN, "inputs": {"n": 1, "label": "a\x00b"}}
    )
    assert inputs.status_code == 422
    assert inputs.json()["errors"][0]["path"] == "inputs.label"
    yaml_escape = CHAIN.replace("default: x", 'default: "x\\0"')
    definition = await api.http.post(
        "/v1/workflows", content=yaml_escape, headers={"content-type": "application/yaml"}
    )
    assert definition.status_code == 422
    [problem] = definition.json()["errors"]
    assert problem["path"] == "inputs.label.default"
    assert "NUL" in problem["message"]
    rendered = await api.run(
        {
            "definition": {
                "name": "nul",
                "operations": {"a": {"uses": "set", "with": {"v": "{{ 'x' ~ '\\x00' }}"}}},
            }
        }
    )
    run, _ = await api.finish(rendered["id"])
    assert run["state"] == "failed"
    assert "operations.a.with.v: the result contains a NUL character" in run["error"]["message"]
    # A secret reference (its marks are NULs) in the outputs is refused before anything runs.
    leaked = await api.http.post(
        "/v1/runs",
        json={
            "definition": {
                "name": "leak",
                "operations": {"a": {"uses": "noop"}},
                "outputs": {"token": "{{ secrets.API_TOKEN }}"},
            }
        },
    )
    assert leaked.status_code == 422
    [problem] = leaked.json()["errors"]
    assert problem["path"] == "outputs.token"
    assert problem["message"].startswith("outputs cannot read secrets")
    listed = await api.http.get("/v1/runs?limit=500")
    assert all(r["inputs"].get("label") != "a\x00b" for r in listed.json()["items"])


async def test_oversized_body_is_refused(api: Api) -> None:
    response = await api.http.post(
        "/v1/workflows",
        content=b"x" * (2 * 1024 * 1024),
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413


async def test_cancel_stops_running_and_pending_operations(api: Api) -> None:
    definition = {
        "name": "long",
        "operations": {
            "wait": {"uses": "sleep", "with": {"duration": "30s"}},
            "after": {"uses": "noop", "needs": ["wait"]},
        },
    }
    created = await api.run({"definition": definition})
    run_id = created["id"]
    for _ in range(200):
        ops = (await api.http.get(f"/v1/runs/{run_id}/operations")).json()["items"]
        if ops and ops[0]["state"] in ("ready", "running"):
            break
        await asyncio.sleep(0.02)
    response = await api.http.post(f"/v1/runs/{run_id}/cancel", json={"reason": "changed my mind"})
    assert response.status_code == 202
    run, _ = await api.finish(run_id, timeout=10)
    assert run["state"] == "cancelled"
    assert run["error"]["message"] == "changed my mind"
    ops = (await api.http.get(f"/v1/runs/{run_id}/operations")).json()["items"]
    assert {o["state"] for o in ops} == {"cancelled"}
    again = await api.http.post(f"/v1/runs/{run_id}/cancel")
    assert again.status_code == 409


async def test_retries_then_failure_reports_where(api: Api) -> None:
    definition = {
        "name": "flaky",
        "operations": {
            "recovers": {
                "uses": "fail",
                "with": {"fail_attempts": 2},
                "retry": {"max_attempts": 3, "backoff": "10ms"},
            },
            "gives_up": {
                "uses": "fail",
                "with": {"message": "still broken"},
                "retry": {"max_attempts": 2, "backoff": "10ms"},
            },
            "never": {"uses": "noop", "needs": ["gives_up"]},
        },
    }
    created = await api.run({"definition": definition})
    run, events = await api.finish(created["id"])
    assert run["state"] == "failed"
    assert "gives_up" in run["error"]["message"]
    assert "still broken" in run["error"]["message"]
    ops = {
        o["key"]: o
        for o in (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    }
    assert (ops["recovers"]["state"], ops["recovers"]["attempt"]) == ("succeeded", 3)
    assert (ops["gives_up"]["state"], ops["gives_up"]["attempt"]) == ("failed", 2)
    assert ops["never"]["state"] == "skipped"
    retrying = [d for e, d in events if e == "operation.state_changed" and d["state"] == "retrying"]
    assert len(retrying) == 3


async def test_runner_fault_is_dead_lettered_and_fails_the_run(api: Api) -> None:
    definition = {
        "name": "poison",
        "operations": {
            "boom": {"uses": "fail", "with": {"runner_fault": True, "message": "vault unreachable"}}
        },
    }
    created = await api.run({"definition": definition})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "failed"
    assert "dead-lettered after 5 deliveries" in run["error"]["message"]
    assert "vault unreachable" in run["error"]["message"]


async def test_operation_kinds_are_discoverable(api: Api) -> None:
    kinds = (await api.http.get("/v1/operation-kinds")).json()["items"]
    names = {k["name"] for k in kinds}
    assert {"noop", "set", "fail", "sleep"} <= names
    sleep = (await api.http.get("/v1/operation-kinds/sleep")).json()
    assert "duration" in sleep["config_schema"]["properties"]
    assert (await api.http.get("/v1/operation-kinds/nope")).status_code == 404


async def test_operation_timeout_fails_the_attempt_and_retries(api: Api) -> None:
    definition = {
        "name": "slow",
        "operations": {
            "slow": {
                "uses": "sleep",
                "with": {"duration": "30s"},
                "timeout": "600ms",
                "retry": {"max_attempts": 2, "backoff": "10ms", "on": ["timeout"]},
            }
        },
    }
    created = await api.run({"definition": definition})
    run, events = await api.finish(created["id"], timeout=20)
    assert run["state"] == "failed"
    assert "did not finish within its timeout of 0.6s" in run["error"]["message"]
    states = [d["state"] for e, d in events if e == "operation.state_changed"]
    assert states == ["ready", "running", "retrying", "ready", "running", "failed"]
    [op] = (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    assert (op["attempt"], op["error"]["kind"]) == (2, "timeout")


async def test_concurrent_requests_racing_on_one_workflow_and_one_key(api: Api) -> None:
    definition = {"name": "raced", "operations": {"a": {"uses": "noop"}}}
    responses = await asyncio.gather(
        *(api.http.post("/v1/runs", json={"definition": definition}) for _ in range(8))
    )
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    assert {r.json()["workflow"]["version"] for r in responses} == {1}

    keyed = await asyncio.gather(
        *(
            api.http.post("/v1/runs", json={"workflow": "raced", "idempotency_key": "same"})
            for _ in range(6)
        )
    )
    assert sorted(r.status_code for r in keyed) == [200] * 5 + [201], [r.text for r in keyed]
    assert len({r.json()["id"] for r in keyed}) == 1
