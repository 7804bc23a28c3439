"""Gateway, scheduler and op-runner as separate OS processes over RabbitMQ and PostgreSQL.

What only a real deployment shows: a process killed mid-run loses nothing and records
nothing twice; poison messages are redelivered, dead-lettered and turned into a clear
failure; cancellation reaches a runner in another process.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest

from raikoo.sdk import AsyncClient
from tests._budget import WAIT_SECONDS
from tests.e2e._stack import Api, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

OP_QUEUE = "ops.ready.programmatic"

# -- a 30-operation workflow: two fan-outs, two fan-ins, sleeps, data flowing through -----

BRANCH_SLEEPS_MS = [300, 50, 200, 150, 250, 100]
TAIL_SLEEPS_MS = [250, 300, 150, 200]
BRANCHES = range(1, len(BRANCH_SLEEPS_MS) + 1)
TAILS = range(1, len(TAIL_SLEEPS_MS) + 1)


def _refs(template: str, keys: range) -> str:
    return "[" + ", ".join(template.format(i) for i in keys) + "]"


def fan_workflow() -> dict[str, Any]:
    ops: dict[str, Any] = {
        "seed": {"uses": "set", "with": {"n": "{{ inputs.base }}", "word": "{{ inputs.word }}"}},
    }
    for i, ms in zip(BRANCHES, BRANCH_SLEEPS_MS, strict=True):
        ops[f"a{i}"] = {
            "uses": "set",
            "needs": ["seed"],
            "with": {
                "v": f"{{{{ ops.seed.output.n * {i} }}}}",
                "tag": f"{{{{ ops.seed.output.word }}}}-{i}",
            },
        }
        ops[f"s{i}"] = {"uses": "sleep", "needs": [f"a{i}"], "with": {"duration": f"{ms}ms"}}
        ops[f"b{i}"] = {
            "uses": "set",
            "needs": [f"s{i}"],
            "with": {
                "v": f"{{{{ ops.a{i}.output.v + {i * i} }}}}",
                "tag": f"{{{{ ops.a{i}.output.tag | upper }}}}",
            },
        }
    ops["join1"] = {
        "uses": "set",
        "needs": [f"b{i}" for i in BRANCHES],
        "with": {
            "total": "{{ " + _refs("ops.b{}.output.v", BRANCHES) + " | sum }}",
            "tags": "{{ " + _refs("ops.b{}.output.tag", BRANCHES) + " | join(',') }}",
        },
    }
    for j, ms in zip(TAILS, TAIL_SLEEPS_MS, strict=True):
        ops[f"c{j}"] = {
            "uses": "set",
            "needs": ["join1"],
            "with": {"v": f"{{{{ ops.join1.output.total * {j} - {j} }}}}"},
        }
        ops[f"d{j}"] = {"uses": "sleep", "needs": [f"c{j}"], "with": {"duration": f"{ms}ms"}}
    slept = (
        _refs("ops.s{}.output.slept_seconds", BRANCHES)[:-1]
        + ", "
        + _refs("ops.d{}.output.slept_seconds", TAILS)[1:]
    )
    ops["join2"] = {
        "uses": "set",
        "needs": [f"d{j}" for j in TAILS],
        "with": {
            "grand": "{{ " + _refs("ops.c{}.output.v", TAILS) + " | sum }}",
            "slept_ms": "{{ (" + slept + " | sum * 1000) | round | int }}",
        },
    }
    ops["final"] = {
        "uses": "set",
        "needs": ["join2"],
        "with": {
            "summary": "{{ ops.seed.output.word }}:{{ ops.join1.output.total }}"
            ":{{ ops.join2.output.grand }}"
        },
    }
    assert len(ops) == 30
    return {
        "name": "fan-out-fan-in",
        "inputs": {"base": {"type": "integer"}, "word": {"type": "string", "default": "rk"}},
        "settings": {"max_parallel": 3},
        "operations": ops,
        "outputs": {
            "total": "{{ ops.join1.output.total }}",
            "tags": "{{ ops.join1.output.tags }}",
            "grand": "{{ ops.join2.output.grand }}",
            "slept_ms": "{{ ops.join2.output.slept_ms }}",
            "summary": "{{ ops.final.output.summary }}",
            "branches": "{{ " + _refs("ops.b{}.output.v", BRANCHES) + " }}",
            "tails": "{{ " + _refs("ops.c{}.output.v", TAILS) + " }}",
        },
    }


def expected_outputs(base: int, word: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(run outputs, every operation's output), computed without Raikoo."""
    ops: dict[str, Any] = {"seed": {"n": base, "word": word}}
    for i, ms in zip(BRANCHES, BRANCH_SLEEPS_MS, strict=True):
        ops[f"a{i}"] = {"v": base * i, "tag": f"{word}-{i}"}
        ops[f"s{i}"] = {"slept_seconds": ms / 1000}
        ops[f"b{i}"] = {"v": base * i + i * i, "tag": f"{word}-{i}".upper()}
    total = sum(ops[f"b{i}"]["v"] for i in BRANCHES)
    tags = ",".join(ops[f"b{i}"]["tag"] for i in BRANCHES)
    ops["join1"] = {"total": total, "tags": tags}
    for j, ms in zip(TAILS, TAIL_SLEEPS_MS, strict=True):
        ops[f"c{j}"] = {"v": total * j - j}
        ops[f"d{j}"] = {"slept_seconds": ms / 1000}
    grand = sum(ops[f"c{j}"]["v"] for j in TAILS)
    slept_ms = sum(BRANCH_SLEEPS_MS) + sum(TAIL_SLEEPS_MS)
    ops["join2"] = {"grand": grand, "slept_ms": slept_ms}
    ops["final"] = {"summary": f"{word}:{total}:{grand}"}
    outputs = {
        "total": total,
        "tags": tags,
        "grand": grand,
        "slept_ms": slept_ms,
        "summary": f"{word}:{total}:{grand}",
        "branches": [ops[f"b{i}"]["v"] for i in BRANCHES],
        "tails": [ops[f"c{j}"]["v"] for j in TAILS],
    }
    return outputs, ops


async def wait_for_ops(
    api: Api, run_id: str, what: str, condition: Any, timeout: float = WAIT_SECONDS
) -> dict[str, dict[str, Any]]:
    """Poll the run's operations until ``condition(ops)`` holds; returns that snapshot."""
    deadline = time.monotonic() + timeout
    while True:
        ops = await api.operations(run_id)
        if condition(ops):
            return ops
        if time.monotonic() > deadline:
            states = Counter(op["state"] for op in ops.values())
            raise AssertionError(
                f"{what}: not reached within {timeout}s (states {dict(states)})\n"
                f"{api.stack.report()}"
            )
        await asyncio.sleep(0.03)


def count(ops: dict[str, dict[str, Any]], *states: str) -> int:
    return sum(1 for op in ops.values() if op["state"] in states)


def in_flight_sleeps(ops: dict[str, dict[str, Any]]) -> list[str]:
    return [
        k for k, op in ops.items() if op["kind"] == "sleep" and op["state"] in ("ready", "running")
    ]


async def collect_events(api: Api, run_id: str, into: list[tuple[str, dict[str, Any]]]) -> None:
    async with AsyncClient(str(api.http.base_url), api_key=api.stack.admin_key) as client:
        async for event in client.runs.events(run_id):
            into.append((event.type, event.data))


# -- 1. crashes -----------------------------------------------------------------------------


async def test_killing_op_runner_and_scheduler_mid_run_loses_nothing_and_records_once(
    stack: Stack,
) -> None:
    api = await stack.up()
    run_id = await api.create_run(fan_workflow(), inputs={"base": 7, "word": "raikoo"})
    events: list[tuple[str, dict[str, Any]]] = []
    sse = asyncio.create_task(collect_events(api, run_id, events))
    total = 30

    try:
        # Kill the op-runner while sleeps are executing in it and part of the run is done.
        ops = await wait_for_ops(
            api,
            run_id,
            "op-runner kill point",
            lambda ops: 4 <= count(ops, "succeeded") <= 12 and in_flight_sleeps(ops),
        )
        stack.kill(stack.current("op-runner"))
        done_at_runner_kill = count(ops, "succeeded")
        cut_off = in_flight_sleeps(ops)
        runner = stack.start("op-runner")
        await stack.ready(runner)

        # The new op-runner makes progress; kill the scheduler while the run is still going.
        ops = await wait_for_ops(
            api,
            run_id,
            "scheduler kill point",
            lambda ops: done_at_runner_kill + 3 <= count(ops, "succeeded") <= total - 6,
        )
        stack.kill(stack.current("scheduler"))
        done_at_scheduler_kill = count(ops, "succeeded")
        scheduler = stack.start("scheduler")
        await stack.ready(scheduler)

        run = await api.wait_finished(run_id, timeout=45)
        await asyncio.wait_for(asyncio.shield(sse), 15)
    finally:
        sse.cancel()
        await asyncio.gather(sse, return_exceptions=True)

    context = (
        f"killed op-runner at {done_at_runner_kill}/{total} succeeded (in flight: {cut_off}), "
        f"scheduler at {done_at_scheduler_kill}/{total}"
    )
    print(context)
    assert run["state"] == "succeeded", f"{context}: {run}\n{stack.report()}"
    outputs, op_outputs = expected_outputs(7, "raikoo")
    assert run["outputs"] == outputs, context
    assert run["operations"] == {"total": 30, "finished": 30, "failed": 0, "active": 0}

    ops = await api.operations(run_id)
    assert {k: op["state"] for k, op in ops.items()} == dict.fromkeys(op_outputs, "succeeded")
    assert {k: op["output"] for k, op in ops.items()} == op_outputs
    assert all(op["attempt"] == 1 for op in ops.values()), "no operation needed a retry"

    # The store: each operation's result applied exactly once, nothing half-done.
    rows = await stack.query(
        "SELECT op_key, state, count(*) AS n FROM run_events "
        "WHERE run_id = $1 AND type = 'operation.state_changed' GROUP BY op_key, state",
        run_id,
    )
    succeeded = {r["op_key"]: r["n"] for r in rows if r["state"] == "succeeded"}
    assert succeeded == dict.fromkeys(op_outputs, 1), f"{context}: succeeded events {succeeded}"
    assert not [r for r in rows if r["state"] in ("failed", "retrying", "cancelled", "skipped")]
    op_rows = await stack.query(
        "SELECT op_key, state, attempt FROM operation_runs WHERE run_id = $1", run_id
    )
    assert len(op_rows) == 30
    assert {(r["state"], r["attempt"]) for r in op_rows} == {("succeeded", 1)}
    run_events = await stack.query(
        "SELECT state FROM run_events WHERE run_id = $1 AND type = 'run.state_changed' "
        "ORDER BY seq",
        run_id,
    )
    assert [r["state"] for r in run_events] == ["running", "succeeded"]
    seqs = await stack.query("SELECT seq FROM run_events WHERE run_id = $1 ORDER BY seq", run_id)
    assert [r["seq"] for r in seqs] == list(range(1, len(seqs) + 1)), "event seqs have no gaps"
    leftovers = await stack.query("SELECT producer, channel FROM outbox")
    assert leftovers == [] or await _outbox_drains(stack), f"outbox kept {leftovers}"

    # The live stream saw the whole run once, in order, across the scheduler's restart.
    assert [data["seq"] for _, data in events] == [r["seq"] for r in seqs]
    assert events[-1][0] == "run.state_changed"
    assert events[-1][1]["state"] == "succeeded"


async def _outbox_drains(stack: Stack, timeout: float = WAIT_SECONDS) -> bool:
    """Published outbox rows are deleted in the background, and a killed process's rows
    once another process adopted them after its lease (2 s here): give the relays time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not await stack.query("SELECT id FROM outbox"):
            return True
        await asyncio.sleep(0.2)
    return False


# -- 2. a message whose handler always fails -------------------------------------------------


async def test_runner_fault_is_dead_lettered_after_max_deliveries_and_fails_the_run(
    stack: Stack,
) -> None:
    stack.settings["RAIKOO_BUS_MAX_DELIVERIES"] = "3"
    api = await stack.up()
    definition = {
        "name": "poison-op",
        "operations": {
            "boom": {
                "uses": "fail",
                "with": {"runner_fault": True, "message": "vault unreachable (e2e)"},
            },
            "after_boom": {"uses": "noop", "needs": ["boom"]},
            "left": {"uses": "set", "with": {"x": 20}},
            "right": {"uses": "sleep", "with": {"duration": "200ms"}},
            "joined": {
                "uses": "set",
                "needs": ["left", "right"],
                "with": {"x": "{{ ops.left.output.x + ops.right.output.slept_seconds * 10 }}"},
            },
        },
    }
    run_id = await api.create_run(definition)
    run = await api.wait_finished(run_id, timeout=30)

    assert run["state"] == "failed", stack.report()
    message = run["error"]["message"]
    assert "'boom'" in message
    assert "dead-lettered after 3 deliveries" in message
    assert OP_QUEUE in message
    assert "RunnerFault: vault unreachable (e2e)" in message

    ops = await api.operations(run_id)
    assert ops["boom"]["state"] == "failed"
    assert ops["boom"]["error"]["kind"] == "dead_lettered"
    assert ops["boom"]["attempt"] == 1
    assert ops["after_boom"]["state"] == "skipped"
    assert {k: ops[k]["state"] for k in ("left", "right", "joined")} == dict.fromkeys(
        ("left", "right", "joined"), "succeeded"
    )
    assert ops["joined"]["output"] == {"x": 22.0}

    # The op-runner really saw it three times: twice retried, the third time given up.
    runner_log = stack.logs("op-runner")
    assert runner_log.count('"event": "bus.handler_failed"') == 2, runner_log
    assert runner_log.count('"event": "bus.handler_failed_finally"') == 1, runner_log
    assert stack.current("op-runner").incarnation == 1, "the fault did not take the runner down"
    failed = await stack.query(
        "SELECT count(*) AS n FROM run_events WHERE run_id = $1 AND op_key = 'boom' "
        "AND state = 'failed'",
        run_id,
    )
    assert failed[0]["n"] == 1


# -- 3. malformed messages -------------------------------------------------------------------


async def test_malformed_message_is_dead_lettered_and_the_op_runner_keeps_working(
    stack: Stack,
) -> None:
    api = await stack.up()
    runner = stack.current("op-runner")
    await stack.publish_raw(f"{stack.prefix}.{OP_QUEUE}", b"\xff\xfe{not an envelope")

    run_id = await api.create_run(
        {
            "name": "after-garbage",
            "operations": {
                "one": {"uses": "set", "with": {"x": 1}},
                "two": {
                    "uses": "set",
                    "needs": ["one"],
                    "with": {"x": "{{ ops.one.output.x + 1 }}"},
                },
            },
        }
    )
    run = await api.wait_finished(run_id, timeout=20)
    assert run["state"] == "succeeded", stack.report()
    assert run["outputs"] == {}
    assert (await api.operations(run_id))["two"]["output"] == {"x": 2}
    assert runner.alive, "the op-runner process died on the garbage"
    assert stack.current("op-runner") is runner

    # It went to the dead-letter channel with its reason; the scheduler, which consumes
    # that channel, cannot act on an unreadable letter and parks it, unconsumed.
    runner_log = stack.logs("op-runner")
    assert '"event": "bus.malformed_body"' in runner_log, runner_log
    parked = f"{stack.prefix}.{OP_QUEUE}.parked"
    deadline = time.monotonic() + 5
    while not await stack.queue_depth(parked):
        assert time.monotonic() < deadline, f"not parked\n{stack.report()}"
        await asyncio.sleep(0.1)
    assert "body is not JSON" in stack.logs("scheduler")


# -- 4. cancellation -------------------------------------------------------------------------


async def test_cancel_reaches_the_op_runner_through_the_control_broadcast(stack: Stack) -> None:
    # One slot: the next run can only start once the runner really stopped the sleep (an
    # hour: longer than any wait of the suite).
    stack.settings["RAIKOO_OP_RUNNER_CONCURRENCY"] = "1"
    api = await stack.up()
    run_id = await api.create_run(
        {
            "name": "long",
            "operations": {
                "nap": {"uses": "sleep", "with": {"duration": "1h"}},
                "after": {"uses": "noop", "needs": ["nap"]},
            },
        }
    )
    await wait_for_ops(
        api, run_id, "sleep running", lambda ops: ops.get("nap", {}).get("state") == "running"
    )

    response = await api.http.post(f"/v1/runs/{run_id}/cancel", json={"reason": "e2e: stop it"})
    assert response.status_code == 202, response.text
    run = await api.wait_finished(run_id)
    assert run["state"] == "cancelled"
    assert run["error"]["message"] == "e2e: stop it"
    ops = await api.operations(run_id)
    assert {k: op["state"] for k, op in ops.items()} == {"nap": "cancelled", "after": "cancelled"}

    # The runner's only slot is free again: a new run goes through at once.
    next_id = await api.create_run(
        {"name": "next", "operations": {"quick": {"uses": "set", "with": {"ok": True}}}}
    )
    after = await api.wait_finished(next_id)
    assert after["state"] == "succeeded", stack.report()
    deadline = time.monotonic() + WAIT_SECONDS
    while '"event": "operation cancelled"' not in stack.logs("op-runner"):
        assert time.monotonic() < deadline, stack.report()
        await asyncio.sleep(0.1)
    nap_results = await stack.query(
        "SELECT state FROM run_events WHERE run_id = $1 AND op_key = 'nap' ORDER BY seq", run_id
    )
    assert [r["state"] for r in nap_results][-1] == "cancelled"
    assert "succeeded" not in [r["state"] for r in nap_results]


# -- dead letters the scheduler cannot attribute to an operation ------------------------------


async def _scheduler_and_runner(stack: Stack) -> None:
    started = [stack.start("scheduler"), stack.start("op-runner")]
    await stack.ready(*started)


async def _wait_for_log(
    stack: Stack, service: str, text: str, timeout: float = WAIT_SECONDS
) -> None:
    deadline = time.monotonic() + timeout
    while text not in stack.logs(service):
        assert time.monotonic() < deadline, f"{service} never logged {text!r}\n{stack.report()}"
        await asyncio.sleep(0.1)


async def _parked_depth(stack: Stack, queue: str, timeout: float = 5.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        depth = await stack.queue_depth(queue)
        if depth or time.monotonic() > deadline:
            return depth
        await asyncio.sleep(0.1)


async def test_unreadable_dead_letter_is_parked_not_destroyed(stack: Stack) -> None:
    """A letter the scheduler cannot read is not acked away: it is parked, unconsumed."""
    await _scheduler_and_runner(stack)
    garbage = b"\xff\xfe{not an envelope"
    await stack.publish_raw(f"{stack.prefix}.{OP_QUEUE}", garbage)
    await _wait_for_log(stack, "op-runner", '"event": "bus.malformed_body"')
    parked = f"{stack.prefix}.{OP_QUEUE}.parked"
    assert await _parked_depth(stack, parked) == 1, stack.report()
    assert '"event": "bus.dead_letter_unusable"' in stack.logs("scheduler")


async def test_dead_letter_with_an_invalid_dispatch_payload_is_parked_once(
    stack: Stack,
) -> None:
    """An operation.ready whose payload does not validate is dead-lettered by the runner;
    the scheduler cannot act on it either, so it is parked at once, not retried forever."""
    await _scheduler_and_runner(stack)
    envelope = (
        b'{"type": "operation.ready", "org_id": "00000000-0000-0000-0000-000000000001",'
        b' "payload": {"op_key": "ghost"}}'
    )
    await stack.publish_raw(f"{stack.prefix}.{OP_QUEUE}", envelope)
    await _wait_for_log(stack, "op-runner", '"event": "bus.malformed_message"')
    parked = f"{stack.prefix}.{OP_QUEUE}.parked"
    assert await _parked_depth(stack, parked) == 1, stack.report()
    await asyncio.sleep(1)
    assert '"event": "bus.dead_letter_handler_failed"' not in stack.logs("scheduler")


# -- several replicas --------------------------------------------------------------------


async def test_two_schedulers_and_two_runners_share_runs_without_double_application(
    stack: Stack,
) -> None:
    """Scheduler replicas compete for the same results of the same runs: the run-row lock and
    the versioned run cache must keep every run consistent and every result applied once."""
    gateway = stack.start("gateway")
    replicas = [stack.start(s) for s in ("scheduler", "scheduler", "op-runner", "op-runner")]
    await stack.ready(gateway, *replicas)
    api = stack.api()
    inputs = [(3, "alpha"), (5, "beta"), (8, "gamma"), (13, "delta")]
    run_ids = await asyncio.gather(
        *(api.create_run(fan_workflow(), inputs={"base": b, "word": w}) for b, w in inputs)
    )
    runs = await asyncio.gather(*(api.wait_finished(r, timeout=60) for r in run_ids))

    for run, (base, word) in zip(runs, inputs, strict=True):
        assert run["state"] == "succeeded", f"{run}\n{stack.report()}"
        assert run["outputs"] == expected_outputs(base, word)[0]
    duplicates = await stack.query(
        "SELECT run_id, op_key, count(*) AS n FROM run_events "
        "WHERE run_id = ANY($1::uuid[]) AND state = 'succeeded' AND op_key IS NOT NULL "
        "GROUP BY run_id, op_key HAVING count(*) <> 1",
        list(run_ids),
    )
    assert duplicates == [], "a result was applied more than once"
    applied = await stack.query(
        "SELECT count(*) AS n FROM run_events WHERE run_id = ANY($1::uuid[]) "
        "AND state = 'succeeded' AND op_key IS NOT NULL",
        list(run_ids),
    )
    assert applied[0]["n"] == 30 * len(run_ids)
    assert all(p.alive for p in replicas), stack.report()
