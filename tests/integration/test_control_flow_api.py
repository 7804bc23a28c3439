"""Branches, loops, approvals and sub-workflows through the API, over the whole stack."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.integration._api import Api

BRANCHES_AND_LOOPS = {
    "name": "branches-and-loops",
    "inputs": {"xs": {"type": "array"}},
    "operations": {
        "check": {
            "uses": "if",
            "with": {"condition": "{{ inputs.xs | length > 2 }}"},
            "then": ["each"],
            "else": ["few"],
        },
        "few": {"uses": "set", "with": {"note": "too few"}},
        "each": {
            "uses": "foreach",
            "with": {"items": "{{ inputs.xs }}", "max_parallel": 3, "batch_size": 2},
            "do": {
                "double": {"uses": "set", "with": {"v": "{{ item | map('int') | sum * 2 }}"}},
                "tag": {
                    "uses": "set",
                    "needs": ["double"],
                    "with": {"t": "b{{ index }}={{ ops.double.output.v }}"},
                },
            },
        },
        "report": {
            "uses": "set",
            "needs": ["each", "few"],
            "when": "none_failed",
            "with": {"tags": "{{ ops.each.output | map(attribute='tag.t') | list }}"},
        },
    },
    "outputs": {"tags": "{{ ops.report.output.tags }}"},
}


async def test_a_branch_and_a_batched_group_loop_end_to_end(api: Api) -> None:
    created = await api.run({"definition": BRANCHES_AND_LOOPS, "inputs": {"xs": [1, 2, 3, 4, 5]}})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run
    assert run["outputs"] == {"tags": ["b0=6", "b1=14", "b2=10"]}
    ops = (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    states = {op["key"]: op["state"] for op in ops}
    assert states["few"] == "skipped"
    assert states["each[2].tag"] == "succeeded"
    page = await api.http.get(f"/v1/runs/{created['id']}/operations?loop=each&limit=4")
    body = page.json()
    assert [op["key"] for op in body["items"]] == [
        "each[0].double",
        "each[1].double",
        "each[2].double",
        "each[0].tag",
    ]
    rest = await api.http.get(
        f"/v1/runs/{created['id']}/operations",
        params={"loop": "each", "limit": 4, "cursor": body["next_cursor"]},
    )
    assert [op["key"] for op in rest.json()["items"]] == ["each[1].tag", "each[2].tag"]
    assert rest.json()["next_cursor"] is None


async def test_a_runs_open_approvals_come_in_pages(api: Api) -> None:
    definition = {
        "name": "many-gates",
        "operations": {f"ask{n}": {"uses": "wait.approval"} for n in range(3)},
    }
    created = await api.run({"definition": definition})
    for _ in range(200):
        first = (
            await api.http.get(f"/v1/runs/{created['id']}/approvals", params={"limit": 2})
        ).json()
        if len(first["items"]) == 2 and first["next_cursor"]:
            break
        await asyncio.sleep(0.05)
    rest = await api.http.get(
        f"/v1/runs/{created['id']}/approvals", params={"cursor": first["next_cursor"]}
    )
    keys = [a["op_key"] for a in first["items"]] + [a["op_key"] for a in rest.json()["items"]]
    assert keys == ["ask0", "ask1", "ask2"]
    assert rest.json()["next_cursor"] is None
    bad = await api.http.get(f"/v1/runs/{created['id']}/approvals", params={"cursor": "x"})
    assert bad.status_code == 422
    await api.http.post(f"/v1/runs/{created['id']}/cancel", json={})


async def _waiting(api: Api, run_id: str) -> list[dict[str, Any]]:
    for _ in range(200):
        response = await api.http.get(f"/v1/runs/{run_id}/approvals")
        # A child run exists once the scheduler took the request its parent sent: 404 until.
        items: list[dict[str, Any]] = (
            response.json()["items"] if response.status_code != 404 else []
        )
        if items:
            return items
        await asyncio.sleep(0.05)
    raise AssertionError("no approval opened")


async def test_an_approval_gated_run_waits_then_goes_on(api: Api) -> None:
    definition = {
        "name": "gated",
        "operations": {
            "ask": {"uses": "wait.approval", "with": {"message": "Ship it?"}},
            "ship": {
                "uses": "set",
                "needs": ["ask"],
                "with": {"by": "{{ ops.ask.output.decided_by }}"},
            },
        },
        "outputs": {"by": "{{ ops.ship.output.by }}"},
    }
    created = await api.run({"definition": definition})
    [approval] = await _waiting(api, created["id"])
    assert approval["message"] == "Ship it?"
    assert (await api.http.get(f"/v1/runs/{created['id']}")).json()["state"] == "waiting"
    wrong = await api.http.post(
        f"/v1/runs/{created['id']}/approvals/nope", json={"decision": "approve"}
    )
    assert wrong.status_code == 409
    assert wrong.json()["open"] == ["ask"]
    decided = await api.http.post(
        f"/v1/runs/{created['id']}/approvals/ask", json={"decision": "approve", "comment": "ok"}
    )
    assert decided.status_code == 202, decided.text
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded"
    assert run["outputs"] == {"by": "local admin"}


async def test_workflow_call_runs_a_child_and_cancelling_the_parent_cancels_it(api: Api) -> None:
    child = {
        "name": "child",
        "inputs": {"n": {"type": "integer"}},
        "operations": {
            "hold": {"uses": "wait.approval", "when": "{{ inputs.n < 0 }}"},
            "double": {"uses": "set", "with": {"v": "{{ inputs.n * 2 }}"}},
        },
        "outputs": {"v": "{{ ops.double.output.v }}"},
    }
    assert (await api.http.post("/v1/workflows", json=child)).status_code == 201
    parent = {
        "name": "parent",
        "inputs": {"n": {"type": "integer"}},
        "operations": {
            "call": {
                "uses": "workflow.call",
                "with": {"workflow": "child", "inputs": {"n": "{{ inputs.n }}"}},
            }
        },
        "outputs": {"v": "{{ ops.call.output.v }}"},
    }
    created = await api.run({"definition": parent, "inputs": {"n": 21}})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run
    assert run["outputs"] == {"v": 42}

    waiting = await api.run({"definition": parent, "inputs": {"n": -1}})
    ops: list[dict[str, Any]] = []
    for _ in range(200):
        ops = (await api.http.get(f"/v1/runs/{waiting['id']}/operations")).json()["items"]
        if ops and ops[0]["state"] == "running" and ops[0]["output"]:
            break
        await asyncio.sleep(0.05)
    child_id = ops[0]["output"]["run_id"]
    await _waiting(api, child_id)
    child_view = (await api.http.get(f"/v1/runs/{child_id}")).json()
    assert child_view["parent"]["run_id"] == waiting["id"]
    assert child_view["trigger"] == "workflow.call"
    await api.http.post(f"/v1/runs/{waiting['id']}/cancel", json={"reason": "enough"})
    parent_run, _ = await api.finish(waiting["id"])
    child_run, _ = await api.finish(child_id)
    assert parent_run["state"] == "cancelled"
    assert child_run["state"] == "cancelled"
    assert "parent operation 'call'" in child_run["error"]["message"]


async def test_a_project_operation_runs_with_its_pinned_preset(api: Api) -> None:
    operation: dict[str, Any] = {
        "name": "greet",
        "kind": "template.render",
        "inputs": {"who": {"type": "string"}, "times": {"type": "integer", "default": 2}},
        "config": {"template": "Hello {{ name }}", "values": {"name": "{{ inputs.who }}"}},
        "outputs": {"text": "{{ output.text }}"},
    }
    assert (await api.http.post("/v1/operations", json=operation)).status_code == 201
    definition = {
        "name": "uses-greet",
        "operations": {"hi": {"uses": "op/greet", "with": {"who": "Ann"}}},
        "outputs": {"text": "{{ ops.hi.output.text }}"},
    }
    stored = await api.http.post("/v1/workflows", json=definition)
    assert stored.status_code == 201, stored.text
    changed = {**operation, "config": {**operation["config"], "template": "Bye {{ name }}"}}
    assert (await api.http.put("/v1/operations/greet", json=changed)).status_code == 200
    created = await api.run({"workflow": "uses-greet"})
    run, _ = await api.finish(created["id"])
    assert run["outputs"] == {"text": "Hello Ann"}, "the stored version pinned version 1"


async def test_large_values_travel_as_artifacts_and_download_streamed(api: Api) -> None:
    definition = {
        "name": "big-values",
        "operations": {
            "big": {"uses": "set", "with": {"text": "{{ 'x' * 100000 }}"}},
            "measure": {
                "uses": "set",
                "needs": ["big"],
                "with": {"n": "{{ ops.big.output.text | length }}"},
            },
        },
        "outputs": {"n": "{{ ops.measure.output.n }}", "text": "{{ ops.big.output.text }}"},
    }
    created = await api.run({"definition": definition})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run["error"]
    reference = run["outputs"]["$artifact"]
    assert reference["content_type"].startswith("application/json")
    ops = (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    big = next(op for op in ops if op["key"] == "big")
    assert set(big["output"]) == {"$artifact"}, "the 100 kB output is a reference in the row"
    relative = reference["key"].split("/", 2)[2]
    async with api.http.stream("GET", f"/v1/runs/{created['id']}/artifacts/{relative}") as response:
        assert response.status_code == 200
        assert response.headers["content-length"] == str(reference["size"])
        body = b"".join([chunk async for chunk in response.aiter_bytes()])
    outputs = json.loads(body)
    assert outputs == {"n": 100000, "text": "x" * 100000}
    missing = await api.http.get(f"/v1/runs/{created['id']}/artifacts/nope/output.json")
    assert missing.status_code == 404
    escape = await api.http.get(f"/v1/runs/{created['id']}/artifacts/..%2F..%2Fetc/passwd")
    assert escape.status_code == 404


async def test_the_run_view_shows_each_loops_progress(api: Api) -> None:
    definition = {
        "name": "loop-progress",
        "operations": {
            "first": {"uses": "set", "with": {"x": 1}},
            "enrich": {
                "uses": "foreach",
                "needs": ["first"],
                "with": {"items": "{{ range(30) | list }}", "max_parallel": 3},
                "do": {"uses": "sleep", "with": {"duration": "20ms"}},
            },
            "pages": {
                "uses": "until",
                "with": {"condition": "{{ index >= 3 }}", "max_iterations": 10},
                "do": {"uses": "set", "with": {"page": "{{ index }}"}},
            },
        },
    }
    created = await api.run({"definition": definition})
    assert {loop["key"]: loop["state"] for loop in created["loops"]} == {
        "enrich": "pending",
        "pages": "pending",
    }
    seen: set[int] = set()
    for _ in range(2000):  # until the loop is over, noting how far each view had got
        view = (await api.http.get(f"/v1/runs/{created['id']}")).json()
        loops = {loop["key"]: loop for loop in view["loops"]}
        seen.add(loops["enrich"]["done"])
        if view["state"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.01)
    assert view["state"] == "succeeded", view["error"]
    assert seen & set(range(1, 30)), f"only {sorted(seen)} items done were ever shown"
    enrich, pages = loops["enrich"], loops["pages"]
    assert enrich == {
        "key": "enrich",
        "kind": "foreach",
        "state": "succeeded",
        "total": 30,
        "max_iterations": None,
        "done": 30,
        "failed": 0,
        "active": 0,
    }
    assert (pages["kind"], pages["done"], pages["total"], pages["max_iterations"]) == (
        "until",
        3,
        None,
        10,
    )
    listed = (await api.http.get("/v1/runs")).json()["items"]
    assert "loops" not in listed[0], "the list stays one query: progress is on the run's view"
