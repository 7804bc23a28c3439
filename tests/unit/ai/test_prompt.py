"""``ai.prompt`` against the fake server: messages sent, streaming, usage and cost,
persona overrides, structured outputs and repairs, provider errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from raikoo_ai_runner.kinds.prompt import KIND
from raikoo_common.runner import OperationError
from tests._budget import WAIT_SECONDS
from tests.unit.ai._fake_openai import Answer, Fail, Raw, fake_openai
from tests.unit.ai.conftest import Ran, provider, run_ai

SCHEMA = {
    "type": "object",
    "properties": {"label": {"enum": ["bug", "idea"]}},
    "required": ["label"],
}


async def test_a_prompt_is_sent_with_its_persona_examples_and_history() -> None:
    with fake_openai(Answer("Paris.", prompt_tokens=20, completion_tokens=3)) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "persona": {
                    "name": "geo",
                    "instructions": "You answer in one word.",
                    "model": "persona-model",
                    "temperature": 0.9,
                },
                "temperature": 0.1,
                "system": "Be terse.",
                "examples": [{"user": "Capital of Italy?", "assistant": "Rome."}],
                "history": [
                    {"role": "user", "content": "Hi"},
                    {"role": "assistant", "content": "Hello"},
                ],
                "prompt": "Capital of France?",
                "max_tokens": 50,
                "seed": 7,
                "stop": ["\n"],
                "stream": False,
            },
        )
    sent = fake.chats()[0]
    assert sent["model"] == "persona-model"
    assert sent["temperature"] == 0.1, "the operation's own field wins over the persona's"
    assert sent["max_tokens"] == 50
    assert sent["seed"] == 7
    assert sent["stop"] == ["\n"]
    assert [m["role"] for m in sent["messages"]] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert sent["messages"][0]["content"] == "You answer in one word.\n\nBe terse."
    assert sent["messages"][-1]["content"] == "Capital of France?"
    assert out["text"] == "Paris."
    assert out["data"] == "Paris."
    assert out["request"]["messages"] == sent["messages"]
    assert out["usage"]["prompt_tokens"] == 20
    assert out["usage"]["calls"] == 1
    assert out["cost"] is None, "an unknown model has no cost"


async def test_the_answer_streams_and_usage_comes_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = Ran()
    with fake_openai(
        Answer("Hello there, world", prompt_tokens=1000, completion_tokens=500, cached_tokens=400)
    ) as fake:
        out = await run_ai(
            KIND, {"provider": provider(fake), "model": "gpt-4o-mini", "prompt": "hi"}, ran
        )
    sent = fake.chats()[0]
    assert sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}
    assert ran.text == "Hello there, world" == out["text"]
    assert len(ran.streamed) > 1, "written as it arrives, delta by delta"
    assert out["usage"]["cached_tokens"] == 400
    # gpt-4o-mini: 0.15 in, 0.075 cached, 0.60 out per million
    assert out["cost"] == pytest.approx((600 * 0.15 + 400 * 0.075 + 500 * 0.60) / 1e6)
    assert ran.usage[-1].calls == 1, "usage is reported to the executor as it is spent"


async def test_prices_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from raikoo_ai_runner import runtime

    monkeypatch.setenv("RAIKOO_AI_PRICES", '{"local-llama": [1.0, 2.0, null]}')
    runtime.reset()
    with fake_openai(Answer("ok", prompt_tokens=1_000_000, completion_tokens=1_000_000)) as fake:
        out = await run_ai(
            KIND, {"provider": provider(fake), "model": "local-llama", "prompt": "hi"}
        )
    assert out["cost"] == pytest.approx(3.0)
    assert out["usage"]["by_model"]["local-llama"]["cost"] == pytest.approx(3.0)


async def test_429_is_retried_after_what_retry_after_asks() -> None:
    with fake_openai(
        Fail(429, "slow down", headers=(("retry-after-ms", "10"),)),
        Fail(503, "busy"),
        Answer("fine"),
    ) as fake:
        out = await run_ai(KIND, {"provider": provider(fake), "model": "m", "prompt": "hi"})
    assert out["text"] == "fine"
    assert len(fake.chats()) == 3


async def test_500s_past_the_retries_fail_as_provider_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from raikoo_ai_runner import runtime

    monkeypatch.setenv("RAIKOO_AI_MAX_RETRIES", "2")
    runtime.reset()
    with fake_openai(default=None) as fake:
        fake.default = None
        fake.script = [Fail(500, "boom")] * 5
        with pytest.raises(OperationError) as caught:
            await run_ai(KIND, {"provider": provider(fake), "model": "m", "prompt": "hi"})
    assert caught.value.kind == "provider_unavailable"
    assert caught.value.retryable
    assert "after 3 attempts" in str(caught.value)
    assert len(fake.chats()) == 3


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (
            Fail(
                400,
                "This model's maximum context length is 8192 tokens",
                code="context_length_exceeded",
            ),
            "context_length",
        ),
        (Fail(401, "Incorrect API key provided"), "provider_auth"),
        (Fail(404, "The model `nope` does not exist"), "unknown_model"),
        (Fail(400, "temperature is invalid"), "provider_error"),
    ],
)
async def test_provider_errors_have_specific_kinds(reply: Fail, kind: str) -> None:
    with fake_openai(reply) as fake, pytest.raises(OperationError) as caught:
        await run_ai(KIND, {"provider": provider(fake), "model": "m", "prompt": "hi"})
    assert caught.value.kind == kind
    assert not caught.value.retryable
    assert reply.message in str(caught.value)
    assert len(fake.chats()) == 1, "not retried"


async def test_native_structured_output_is_asked_for_and_parsed() -> None:
    with fake_openai(Answer('{"label": "bug"}')) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake, structured_outputs=True),
                "model": "m",
                "prompt": "classify",
                "output_schema": SCHEMA,
            },
        )
    sent = fake.chats()[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"] == SCHEMA
    assert out["data"] == {"label": "bug"}
    assert out["alignment"] == [
        {"rule": "output_schema", "stage": "output", "outcome": "passed", "detail": None}
    ]


async def test_without_native_support_the_schema_is_in_the_instructions_and_repaired() -> None:
    with fake_openai(Answer("It is a bug."), Answer('```json\n{"label": "bug"}\n```')) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "classify",
                "output_schema": SCHEMA,
            },
        )
    first, second = fake.chats()
    assert "response_format" not in first
    assert "JSON Schema" in first["messages"][0]["content"]
    assert second["messages"][-2] == {"role": "assistant", "content": "It is a bug."}
    assert "output_schema" in second["messages"][-1]["content"]
    assert out["data"] == {"label": "bug"}
    assert out["repairs"] == 1
    assert [d["outcome"] for d in out["alignment"]] == ["violated", "repaired", "passed"]


async def test_an_answer_still_invalid_after_the_repairs_fails_naming_what_is_wrong() -> None:
    with (
        fake_openai(default=Answer('{"label": "praise"}')) as fake,
        pytest.raises(OperationError) as caught,
    ):
        await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "x",
                "output_schema": SCHEMA,
                "max_repairs": 1,
            },
        )
    assert caught.value.kind == "schema_mismatch"
    assert "after 1 repair" in str(caught.value)
    assert "$.label" in str(caught.value)
    assert len(fake.chats()) == 2


async def test_a_refusal_fails_the_operation() -> None:
    with (
        fake_openai(Answer("", refusal="I can't help with that.")) as fake,
        pytest.raises(OperationError) as caught,
    ):
        await run_ai(
            KIND,
            {"provider": provider(fake), "model": "m", "prompt": "x", "output_schema": SCHEMA},
        )
    assert caught.value.kind == "refused"
    assert "I can't help with that." in str(caught.value)


async def test_without_any_provider_the_error_says_how_to_configure_one() -> None:
    with pytest.raises(OperationError) as caught:
        await run_ai(KIND, {"model": "m", "prompt": "x"})
    assert caught.value.kind == "no_provider"
    assert "RAIKOO_AI_BASE_URL" in str(caught.value)
    assert "dry_run" in str(caught.value)


async def test_the_default_connection_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from raikoo_ai_runner import runtime

    monkeypatch.delenv("RAIKOO_AI_ALLOW_HOSTS")  # the operator's own endpoint needs no entry
    with fake_openai(Answer("from default")) as fake:
        monkeypatch.setenv("RAIKOO_AI_BASE_URL", fake.base_url)
        monkeypatch.setenv("RAIKOO_AI_MODEL", "default-model")
        runtime.reset()
        out = await run_ai(KIND, {"prompt": "x"})
    assert out["text"] == "from default"
    assert fake.chats()[0]["model"] == "default-model"


async def test_a_private_endpoint_is_refused_unless_allow_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from raikoo_ai_runner import runtime

    monkeypatch.delenv("RAIKOO_AI_ALLOW_HOSTS")
    runtime.reset()
    with fake_openai(Answer("never")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(KIND, {"provider": provider(fake), "model": "m", "prompt": "x"})
    assert caught.value.kind == "blocked_url"
    assert "RAIKOO_AI_ALLOW_HOSTS" in str(caught.value)
    assert fake.requests == []


def _event(chunk: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


async def test_an_error_chunk_in_a_stream_fails_the_operation_with_its_message() -> None:
    text = {"model": "m", "choices": [{"index": 0, "delta": {"content": "Hal"}}]}
    error = {"error": {"message": "the server overloaded mid-answer", "type": "server_error"}}
    stream = _event(text) + _event(error) + b"data: [DONE]\n\n"
    with fake_openai(Raw(stream, "text/event-stream")) as fake:
        ran = Ran()
        with pytest.raises(OperationError) as caught:
            await run_ai(KIND, {"provider": provider(fake), "model": "m", "prompt": "hi"}, ran)
    assert caught.value.kind == "provider_error"
    assert "the server overloaded mid-answer" in str(caught.value)
    assert ran.text == "Hal", "what was written before the error was passed on"
    assert len(fake.chats()) == 1, "a stream that wrote text is not tried again"


@pytest.mark.parametrize(
    ("reply", "what"),
    [
        (Raw(b"<html>Bad gateway</html>", "text/html"), "the answer is not JSON"),
        (Raw(b"[1, 2]"), "the answer is not a JSON object"),
        (Raw(b"data: {oops\n\n", "text/event-stream"), "a streamed chunk is not JSON"),
    ],
)
async def test_an_answer_that_is_not_a_chat_completion_fails_naming_what_is_wrong(
    reply: Raw, what: str
) -> None:
    stream = reply.media_type == "text/event-stream"
    config = {"provider": None, "model": "m", "prompt": "hi", "stream": stream}
    with fake_openai(reply) as fake, pytest.raises(OperationError) as caught:
        await run_ai(KIND, {**config, "provider": provider(fake)})
    assert caught.value.kind == "provider_error"
    assert what in str(caught.value)
    assert "answered something that is not a chat completion" in str(caught.value)


async def test_streamed_answers_leave_their_connection_for_the_next_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from raikoo_ai_runner.providers import calls

    # The drain waits 100 ms for the body's end; a busy machine may take longer to send it.
    monkeypatch.setattr(calls, "_DRAIN_SECONDS", WAIT_SECONDS)
    config = {"model": "m", "prompt": "hi", "stream": True}
    with fake_openai(Answer("one two three"), Answer("four five six")) as fake:
        first = await run_ai(KIND, {**config, "provider": provider(fake)})
        second = await run_ai(KIND, {**config, "provider": provider(fake)})
    assert (first["text"], second["text"]) == ("one two three", "four five six")
    peers = [seen.peer for seen in fake.requests]
    assert peers[0] is not None
    assert peers[0] == peers[1], "the second call reused the first one's connection"
