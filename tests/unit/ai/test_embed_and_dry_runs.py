"""``ai.embed`` batching; dry runs of both kinds; cancelling an operation closes its call;
response processing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from raikoo_ai_runner.kinds import embed, prompt
from raikoo_common.runner import OperationError
from tests.unit.ai._fake_openai import Answer, fake_openai
from tests.unit.ai.conftest import Ran, provider, run_ai


async def test_embeddings_are_batched_and_kept_in_order() -> None:
    texts = [f"text {i}" for i in range(5)]
    with fake_openai() as fake:
        out = await run_ai(
            embed.KIND,
            {
                "provider": provider(fake),
                "model": "text-embedding-3-small",
                "input": texts,
                "batch_size": 2,
            },
        )
        single = await run_ai(
            embed.KIND,
            {"provider": provider(fake), "model": "text-embedding-3-small", "input": "text 3"},
        )
    assert fake.embedding_batches == [2, 2, 1, 1]
    assert out["count"] == 5
    assert out["dimensions"] == 4
    assert out["embeddings"][3] == single["embedding"], "each vector is its own text's"
    assert out["usage"]["calls"] == 3
    assert out["cost"] == pytest.approx(10 * 0.02 / 1e6)


async def test_a_dry_run_calls_nothing_and_returns_the_schema_example() -> None:
    schema = {
        "type": "object",
        "properties": {"label": {"enum": ["bug", "idea"]}, "score": {"type": "number"}},
    }
    ran = Ran()
    out = await run_ai(
        prompt.KIND,
        {
            "prompt": "classify",
            "output_schema": schema,
            "tools": [{"type": "workflow", "name": "w", "workflow": "x", "mock": {"ok": True}}],
        },
        ran,
        dry_run=True,
    )
    assert out["data"] == {"label": "bug", "score": 0}
    assert out["dry_run"] is True
    assert out["usage"]["calls"] == 0
    assert ran.text == out["text"]


async def test_a_dry_run_returns_the_mock_and_embeds_without_a_provider() -> None:
    out = await run_ai(prompt.KIND, {"prompt": "x", "mock": "mocked"}, dry_run=True)
    assert out["text"] == "mocked"
    vectors = await run_ai(embed.KIND, {"input": ["a", "b", "a"]}, dry_run=True)
    assert vectors["embeddings"][0] == vectors["embeddings"][2] != vectors["embeddings"][1]


async def test_response_processing_extracts_maps_and_renders() -> None:
    answer = '{"items": [{"name": "a", "n": 1}, {"name": "b", "n": 2}]}'
    with fake_openai(Answer(answer)) as fake:
        out = await run_ai(
            prompt.KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "x",
                "response": {
                    "parse": "json",
                    "jmespath": "items",
                    "outputs": {"names": "[].name", "total": "sum([].n)"},
                    "template": "{{ outputs.names | join(', ') }} ({{ outputs.total }})",
                },
            },
        )
    assert out["data"] == [{"name": "a", "n": 1}, {"name": "b", "n": 2}]
    assert out["outputs"] == {"names": ["a", "b"], "total": 3}
    assert out["result"] == "a, b (3)"


async def test_lines_and_regex() -> None:
    with fake_openai(Answer("- one\n\n- two\n"), Answer("Score: 7/10")) as fake:
        lines = await run_ai(
            prompt.KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "x",
                "response": {"parse": "lines"},
            },
        )
        score = await run_ai(
            prompt.KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "x",
                "response": {"regex": r"Score: (?P<score>\d+)/(?P<of>\d+)"},
            },
        )
    assert lines["data"] == ["- one", "- two"]
    assert score["data"] == {"score": "7", "of": "10"}


async def test_cancelling_the_operation_aborts_its_call() -> None:
    with fake_openai(Answer("late", delay=30)) as fake:
        task = asyncio.create_task(
            run_ai(prompt.KIND, {"provider": provider(fake), "model": "m", "prompt": "x"})
        )
        while not fake.chats():  # noqa: ASYNC110 - the request arrives on the server's thread
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(fake.chats()) == 1, "not retried"


async def test_a_tool_in_a_dry_run_is_not_opened_and_answers_its_mock() -> None:
    from contextlib import AsyncExitStack

    from raikoo_ai_runner.config.prompt import PromptConfig
    from raikoo_ai_runner.prompting.plan import plan
    from raikoo_ai_runner.settings import current_settings
    from raikoo_ai_runner.tools.box import open_toolbox
    from tests.unit.ai.conftest import ai_context

    config = PromptConfig.model_validate(
        {
            "prompt": "x",
            "tools": [
                {
                    "type": "http",
                    "name": "lookup",
                    "url": "http://10.0.0.1/x",
                    "mock": {"found": True},
                },
                {"type": "mcp", "name": "files", "server": "unlisted", "allow": ["read"]},
            ],
        }
    )
    async with AsyncExitStack() as stack:
        box = await open_toolbox(
            plan(config).tools, ai_context(Ran(), dry_run=True), current_settings(), stack
        )
    assert box.entries["lookup"].port is None
    assert box.entries["lookup"].mock() == '{"found":true}'
    assert box.entries["read"].mock() == "(dry run: read was not called)"


@pytest.mark.parametrize(
    ("kind", "config", "words"),
    [
        (prompt.KIND, {"persona": "analyst", "prompt": "x"}, "persona 'analyst' was not resolved"),
        (prompt.KIND, {"tools": ["search"], "prompt": "x"}, "tools names search"),
        (prompt.KIND, {"provider": "llm", "prompt": "x"}, "provider names connection 'llm'"),
        (embed.KIND, {"provider": "llm", "input": "x"}, "provider 'llm' was not resolved"),
    ],
)
async def test_a_name_the_platform_did_not_resolve_fails_before_any_call(
    kind: Any, config: dict[str, Any], words: str
) -> None:
    with pytest.raises(OperationError, match=words) as failed:
        await run_ai(kind, config)
    assert failed.value.kind == "invalid_config"
