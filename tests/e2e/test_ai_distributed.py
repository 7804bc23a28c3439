"""AI operations with the services as separate processes: an ``ai.prompt`` with a tool loop
runs on the ai-runner over RabbitMQ, and survives the ai-runner being SIGKILLed in the
middle of a provider call — the operation is executed again by the next ai-runner and its
result is applied once, and every call either execution made is accounted in the run's
usage and the budget (reserved and settled through the gateway's ledger) exactly once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from raikoo_common.db.budgets import SqlBudgetLedger
from tests._budget import WAIT_SECONDS
from tests.e2e._stack import Stack
from tests.unit.ai._fake_openai import Answer, Call, FakeOpenAI, fake_openai
from tests.unit.net._servers import Hit, LocalServer, Reply

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

SLOW = 600.0
"""The answer the killed ai-runner waits for: it never comes while the test runs."""
LEDGER_TOKEN = "e2e-ledger-token-4b1d9c7e2f"
CALL_TOKENS = 11 + 7
"""What the fake model reports for each answer (``Answer``'s prompt and completion)."""


def _weather(hit: Hit) -> Reply:
    return Reply(200, [("content-type", "application/json")], b'{"celsius": 21}')


@pytest.fixture
def tool() -> Iterator[LocalServer]:
    server = LocalServer({"/weather/paris": _weather}).start()
    yield server
    server.stop()


def _workflow(tool: LocalServer) -> dict[str, Any]:
    return {
        "name": "ai-distributed",
        "operations": {
            "ask": {
                "uses": "ai.prompt",
                "with": {
                    "persona": {"instructions": "You are a weather assistant."},
                    "prompt": "What is the weather in Paris?",
                    "tools": [
                        {
                            "type": "http",
                            "name": "weather",
                            "description": "Current weather of a city",
                            "method": "GET",
                            "url": tool.url("").rstrip("/")
                            + "/weather/{% raw %}{{ args.city | lower }}{% endraw %}",
                            "parameters": {
                                "type": "object",
                                "properties": {"city": {"type": "string"}},
                                "required": ["city"],
                            },
                        }
                    ],
                },
            },
            "after": {
                "uses": "template.render",
                "needs": ["ask"],
                "with": {
                    "template": "{{ answer | upper }}",
                    "values": {"answer": "{{ ops.ask.output.text }}"},
                },
            },
        },
        "outputs": {
            "answer": "{{ ops.ask.output.text }}",
            "shout": "{{ ops.after.output.text }}",
            "calls": "{{ ops.ask.output.tool_calls | length }}",
        },
    }


def _use(stack: Stack, model: FakeOpenAI) -> None:
    stack.settings.update(
        RAIKOO_AI_BASE_URL=model.base_url,
        RAIKOO_AI_MODEL="fake-model",
        # The fake model and the tool both listen on loopback.
        RAIKOO_AI_ALLOW_HOSTS=json.dumps(["127.0.0.1"]),
    )


async def _chats(model: FakeOpenAI, count: int) -> None:
    """Until the fake model has been asked ``count`` times (it records in its own thread)."""
    for _ in range(int(WAIT_SECONDS / 0.05)):
        if len(model.chats()) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the model was asked {len(model.chats())} times, not {count}")


async def _succeeded_events(stack: Stack, run_id: str, op_key: str) -> int:
    rows = await stack.query(
        "SELECT count(*) AS n FROM run_events WHERE run_id = $1::uuid AND op_key = $2 "
        "AND type = 'operation.state_changed' AND state = 'succeeded'",
        run_id,
        op_key,
    )
    return int(rows[0]["n"])


async def test_an_ai_prompt_with_a_tool_loop_runs_on_the_ai_runner(
    stack: Stack, tool: LocalServer
) -> None:
    script = (Answer(calls=(Call("weather", '{"city": "Paris"}'),)), Answer("It is 21 degrees."))
    with fake_openai(*script) as model:
        _use(stack, model)
        api = await stack.up()
        await stack.ready(stack.start("ai-runner"))
        run_id = await api.create_run(_workflow(tool))
        run = await api.wait_finished(run_id)
    assert run["state"] == "succeeded", (run.get("error"), stack.report())
    assert run["outputs"] == {
        "answer": "It is 21 degrees.",
        "shout": "IT IS 21 DEGREES.",
        "calls": 1,
    }
    assert [hit.path for hit in tool.hits] == ["/weather/paris"]
    first = model.chats()[0]["messages"]
    assert first[0] == {"role": "system", "content": "You are a weather assistant."}
    assert await _succeeded_events(stack, run_id, "ask") == 1


async def test_an_ai_runner_killed_mid_call_leaves_the_operation_to_the_next_one(
    stack: Stack, tool: LocalServer
) -> None:
    """The first ai-runner asks the model, calls the tool, asks again and is SIGKILLed
    while that answer is pending; the message it held goes back to the queue and the
    restarted ai-runner executes the operation from the start. The run succeeds with the
    second execution's answer, applied once, and what follows runs once."""
    script = (
        Answer(calls=(Call("weather", '{"city": "Paris"}'),)),
        Answer("never delivered", delay=SLOW),
        Answer(calls=(Call("weather", '{"city": "Paris"}'),)),
        Answer("It is 21 degrees."),
    )
    with fake_openai(*script) as model:
        _use(stack, model)
        stack.settings["RAIKOO_BUDGET_LEDGER_TOKEN"] = LEDGER_TOKEN
        api = await stack.up()
        budget = {"period": "month", "unit": "tokens", "limit": 1_000_000}
        assert (await api.http.put("/v1/budgets", json=budget)).status_code == 200
        ledger = {"RAIKOO_BUDGET_LEDGER_URL": stack.current("gateway").url}
        first = stack.start("ai-runner", **ledger)
        await stack.ready(first)
        run_id = await api.create_run(_workflow(tool))
        await _chats(model, 2)  # the second call is in flight, its answer far away
        # The first call's usage is reported a moment after it: then the runner dies.
        assert (await _counted(stack, run_id, "ask"))["calls"] == 1
        stack.kill(first)
        await stack.ready(stack.start("ai-runner", **ledger))
        run = await api.wait_finished(run_id)
        chats = len(model.chats())
    assert run["state"] == "succeeded", (run.get("error"), stack.report())
    assert run["outputs"]["answer"] == "It is 21 degrees."
    assert run["outputs"]["shout"] == "IT IS 21 DEGREES."
    assert chats == 4, "the restarted ai-runner asked the model twice more"
    assert len(tool.hits) == 2  # once per execution
    ops = await api.operations(run_id)
    assert ops["ask"]["state"] == "succeeded"
    assert ops["after"]["state"] == "succeeded"
    assert await _succeeded_events(stack, run_id, "ask") == 1
    assert await _succeeded_events(stack, run_id, "after") == 1
    # Usage: the three calls that answered — one of the killed execution, two of the one
    # after — each once; the call cut off reported nothing.
    for usage in (run["usage"], ops["ask"]["usage"]):
        assert (usage["calls"], usage["total_tokens"]) == (3, 3 * CALL_TOKENS), usage
    # The budget: the same three calls settled at what they reported, and the cut-off
    # call's estimate held, until its hold expires and is charged once.
    (month,) = await _budgets(api)
    assert month["used"] == 3 * CALL_TOKENS
    estimate = month["reserved"]
    assert estimate > 0
    await stack.query("UPDATE budget_reservations SET expires_at = now() - interval '1 second'")
    engine = create_async_engine(stack.database_url)
    try:
        sweeper = SqlBudgetLedger(engine)
        assert await sweeper.sweep() == 1
        assert await sweeper.sweep() == 0
    finally:
        await engine.dispose()
    (month,) = await _budgets(api)
    assert (month["used"], month["reserved"]) == (3 * CALL_TOKENS + estimate, 0)


async def _counted(stack: Stack, run_id: str, op_key: str) -> dict[str, Any]:
    """The operation's usage once the scheduler has counted some."""
    for _ in range(int(WAIT_SECONDS / 0.05)):
        rows = await stack.query(
            "SELECT usage FROM operation_runs WHERE run_id = $1::uuid AND op_key = $2",
            run_id,
            op_key,
        )
        if rows and rows[0]["usage"] is not None:
            usage: dict[str, Any] = json.loads(rows[0]["usage"])
            return usage
        await asyncio.sleep(0.05)
    raise AssertionError(f"no usage of {op_key} was counted\n{stack.report()}")


async def _budgets(api: Any) -> list[dict[str, Any]]:
    response = await api.http.get("/v1/budgets")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
