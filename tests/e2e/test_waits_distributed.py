"""Loops, durable waits and child runs across separate processes: a waiting run holds
nothing, so every service can be killed and restarted while it waits."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.e2e._stack import Stack
from tests.e2e.test_distributed import count, wait_for_ops
from tests.unit.net._servers import Reply, server_factory

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

CHILD = {
    "name": "double-it",
    "inputs": {"n": {"type": "integer"}},
    "operations": {"d": {"uses": "set", "with": {"v": "{{ inputs.n * 2 }}"}}},
    "outputs": {"v": "{{ ops.d.output.v }}"},
}

GATED = {
    "name": "gated-batch",
    "operations": {
        "prepare": {
            "uses": "foreach",
            "with": {"items": "{{ range(12) | list }}", "max_parallel": 4},
            "do": {
                "uses": "workflow.call",
                "with": {"workflow": "double-it", "inputs": {"n": "{{ item }}"}},
            },
        },
        "review": {"uses": "wait.approval", "needs": ["prepare"], "with": {"message": "Go?"}},
        "cool_off": {"uses": "delay", "needs": ["review"], "with": {"duration": "1s"}},
        "finish": {
            "uses": "set",
            "needs": ["cool_off"],
            "with": {"total": "{{ ops.prepare.output | map(attribute='v') | sum }}"},
        },
    },
    "outputs": {"total": "{{ ops.finish.output.total }}"},
}


async def test_a_waiting_run_survives_a_restart_of_every_service(stack: Stack) -> None:
    api = await stack.up()
    stored = await api.http.post("/v1/workflows", json=CHILD)
    assert stored.status_code == 201, stored.text
    run_id = await api.create_run(GATED)

    def waiting(ops: dict[str, dict[str, Any]]) -> bool:
        return ops.get("review", {}).get("state") == "waiting"

    ops = await wait_for_ops(api, run_id, "the approval opens", waiting, timeout=60)
    assert count(ops, "succeeded") == 1 + 12, "the loop and its 12 child calls"
    assert (await api.run(run_id))["state"] == "waiting"

    stack.kill_all()
    restarted = [stack.start(service) for service in ("gateway", "scheduler", "op-runner")]
    await stack.ready(*restarted)
    api = stack.api()
    approvals = (await api.http.get(f"/v1/runs/{run_id}/approvals")).json()["items"]
    assert [a["op_key"] for a in approvals] == ["review"]
    decided = await api.http.post(
        f"/v1/runs/{run_id}/approvals/review", json={"decision": "approve"}
    )
    assert decided.status_code == 202, decided.text

    run = await api.wait_finished(run_id, timeout=60)
    assert run["state"] == "succeeded", run
    assert run["outputs"] == {"total": 2 * sum(range(12))}
    children = await stack.query(
        "SELECT state, count(*) AS n FROM runs WHERE parent_run_id = $1 GROUP BY state",
        uuid.UUID(run_id),
    )
    assert [(row["state"], row["n"]) for row in children] == [("succeeded", 12)]


async def test_secrets_go_from_the_api_through_the_secrets_proxy_to_the_runner_only(
    stack: Stack,
) -> None:
    secret, alpha_secret = "e2e-very-secret-value", "e2e-alpha-secret-value"
    with server_factory() as make:
        target = make(
            {"/hook": lambda hit: Reply(200, [("content-type", "application/json")], b"{}")}
        )
        proxy = stack.start("secrets-proxy")
        await stack.ready(proxy)
        stack.settings["RAIKOO_SECRETS_PROXY_URL"] = proxy.url
        stack.settings["RAIKOO_HTTP_ALLOW_HOSTS"] = json.dumps([f"127.0.0.1:{target.port}"])
        api = await stack.up()
        stored = await api.http.put("/v1/secrets/HOOK_TOKEN", json={"value": secret})
        assert stored.status_code == 204, stored.text
        listed = (await api.http.get("/v1/secrets")).json()["items"]
        assert [(item["name"], item["scope"]) for item in listed] == [
            ("HOOK_TOKEN", "organization")
        ]
        assert secret not in json.dumps(listed)
        hook = {
            "name": "secret-hook",
            "operations": {
                "hook": {
                    "uses": "http.request",
                    "with": {
                        "url": target.url("/hook"),
                        "method": "POST",
                        "headers": {"Authorization": "Bearer {{ secrets.HOOK_TOKEN }}"},
                    },
                },
            },
        }
        run = await api.wait_finished(await api.create_run(hook), timeout=60)
        assert run["state"] == "succeeded", run
        [hit] = target.hits
        assert hit.headers["authorization"] == f"Bearer {secret}"

        # A project's own secret of that name wins in that project's runs.
        made = await api.http.post("/v1/projects", json={"slug": "alpha", "name": "Alpha"})
        assert made.status_code == 201, made.text
        api.http.headers["Raikoo-Project"] = "alpha"
        stored = await api.http.put(
            "/v1/secrets/HOOK_TOKEN", json={"value": alpha_secret}, params={"scope": "project"}
        )
        assert stored.status_code == 204, stored.text
        run = await api.wait_finished(await api.create_run(hook), timeout=60)
        assert run["state"] == "succeeded", run
        assert target.hits[-1].headers["authorization"] == f"Bearer {alpha_secret}"
        rows = await stack.query("SELECT body FROM outbox")
        logs = stack.logs("op-runner") + stack.logs("scheduler")
        for value in (secret, alpha_secret):
            assert all(value.encode() not in row["body"] for row in rows), "no message has it"
            assert value not in logs
