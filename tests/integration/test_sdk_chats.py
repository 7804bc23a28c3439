"""Chats through the Python SDK against a live ``raikoo up`` whose AI provider is the fake
OpenAI-compatible server: open a thread with a persona, stream an answer (the message,
its text as written, then the answer), ask again with the conversation remembered, read the
thread back, one message at a time, and delete it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from raikoo import AsyncClient, Client, Conflict, NotFound
from tests.integration._cli import raikoo_up_with_key
from tests.unit.ai._fake_openai import Answer, FakeOpenAI, fake_openai

pytestmark = pytest.mark.integration

FIRST = "You were charged twice because a payment was retried."
SECOND = "Yes: the second charge is refunded within five days."
SLOW = Answer("This answer takes its time.", delay=3.0)


@pytest.fixture(scope="module")
def model() -> Iterator[FakeOpenAI]:
    with fake_openai(Answer(FIRST), Answer(SECOND), SLOW, default=Answer("Anything else?")) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, model: FakeOpenAI
) -> Iterator[tuple[str, str]]:
    env = {
        "RAIKOO_AI_BASE_URL": model.base_url,
        "RAIKOO_AI_MODEL": "fake-model",
        "RAIKOO_AI_ALLOW_HOSTS": json.dumps(["127.0.0.1"]),
    }
    with raikoo_up_with_key(Path(tmp_path_factory.mktemp("sdk-chats")), env) as up:
        yield up


def test_a_persona_chat_streams_its_answer_and_remembers_the_thread(
    server: tuple[str, str], model: FakeOpenAI
) -> None:
    with Client(*server) as client:
        chat = client.chats.open(
            persona={"instructions": "You answer billing questions briefly."},
            title="Billing",
        )
        events = list(client.chats.stream(chat.id, "Why was I charged twice?", timeout=60))
        assert events[0].type == "message"
        assert events[0].message is not None
        assert events[0].message.content == "Why was I charged twice?"
        written = "".join(event.text for event in events if event.type == "delta")
        assert written == FIRST, events
        last = events[-1]
        assert last.type == "answer"
        assert last.message is not None
        assert (last.message.state, last.message.answer) == ("succeeded", FIRST)

        answered = client.chats.ask(chat.id, "Will I get it back?", timeout=60)
        assert answered.answer == SECOND
        sent = model.chats()[-1]["messages"]  # the second question came with the first
        assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
        assert sent[2]["content"] == FIRST

        thread = list(client.chats.messages(chat.id, page_size=1))
        assert [(m.seq, m.answer) for m in thread] == [(1, FIRST), (2, SECOND)]
        assert client.chats.message(chat.id, thread[0].id) == thread[0]
        assert client.chats.get(chat.id).messages == 2
        assert chat.id in {listed.id for listed in client.chats.list()}

        client.chats.delete(chat.id)
        with pytest.raises(NotFound):
            client.chats.get(chat.id)


async def test_the_async_client_asks_and_a_second_message_waits_for_the_first(
    server: tuple[str, str],
) -> None:
    async with AsyncClient(*server) as client:
        chat = await client.chats.open(persona={"instructions": "You are terse."})
        pending = await client.chats.send(chat.id, "Take your time.")
        assert pending.state in ("queued", "running")
        with pytest.raises(Conflict):  # one message at a time
            await client.chats.send(chat.id, "Are you there?")
        run = await asyncio.wait_for(client.runs.wait(pending.run_id), 60)
        assert run.state == "succeeded"
        answered = await client.chats.message(chat.id, pending.id)
        assert answered.answer == SLOW.text
        again = await client.chats.ask(chat.id, "Anything else?")
        assert again.answer == "Anything else?"
        assert again.seq == 2
