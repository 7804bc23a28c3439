"""Chats over the API in embedded mode, against the fake OpenAI-compatible server: a thread
with a persona streams each answer and sends the conversation so far with the next
message; a chat workflow answers the same way; threads are the caller's own."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from raikoo_ai_runner import runtime
from tests._embedded import embedded_client
from tests.integration._api import Api
from tests.unit.ai._fake_openai import Answer, FakeOpenAI, fake_openai

pytestmark = pytest.mark.integration

PERSONA = {"name": "Billing", "instructions": "You answer billing questions briefly."}

CHAT_WORKFLOW = """
apiVersion: raikoo/v1
kind: Workflow
name: support-bot
inputs:
  message: {type: string}
  history: {type: array, default: []}
operations:
  reply:
    uses: ai.prompt
    with:
      system: "Sign every answer as Support."
      prompt: "{{ inputs.message }}"
      history: "{{ inputs.history }}"
outputs:
  answer: "{{ ops.reply.output.text }} -- Support"
"""


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with fake_openai(
        Answer("You were charged twice because of a retry."),
        Answer("Yes, the second charge is refunded."),
        default=Answer("Anything else?"),
    ) as fake:
        yield fake


@pytest.fixture
async def api(
    tmp_path: Path, model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Api]:
    monkeypatch.setenv("RAIKOO_AI_BASE_URL", model.base_url)
    monkeypatch.setenv("RAIKOO_AI_MODEL", "fake-model")
    runtime.reset()
    try:
        async with embedded_client(tmp_path) as (raikoo, http):
            yield Api(str(raikoo.base_url), http, raikoo.local_admin_key)
    finally:
        runtime.reset()


async def _send(http: httpx.AsyncClient, chat_id: str, content: str) -> list[tuple[str, Any]]:
    """Post a message and read its event stream to the end."""
    events: list[tuple[str, Any]] = []
    async with http.stream(
        "POST", f"/v1/chats/{chat_id}/messages", json={"content": content}, timeout=120
    ) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        event, data = "message", ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line == "" and data:
                events.append((event, json.loads(data)))
                event, data = "message", ""
    return events


async def test_a_persona_chat_streams_answers_and_remembers_the_conversation(
    api: Api, model: FakeOpenAI
) -> None:
    opened = await api.http.post("/v1/chats", json={"persona": PERSONA})
    assert opened.status_code == 201, opened.text
    chat = opened.json()
    assert chat["title"] == "Billing"
    assert chat["workflow"]["name"].startswith("chat-")
    assert opened.headers["location"] == f"/v1/chats/{chat['id']}"

    first = await _send(api.http, chat["id"], "Why was I charged twice?")
    kinds = [event for event, _ in first]
    assert kinds[0] == "message"
    assert kinds[-1] == "answer"
    assert first[0][1]["content"] == "Why was I charged twice?"
    assert first[0][1]["seq"] == 1
    deltas = "".join(data["text"] for event, data in first if event == "delta")
    assert deltas == "You were charged twice because of a retry."
    assert first[-1][1]["answer"] == "You were charged twice because of a retry."
    assert first[-1][1]["state"] == "succeeded"

    second = await _send(api.http, chat["id"], "Will I get it back?")
    assert second[-1][1]["answer"] == "Yes, the second charge is refunded."
    sent = model.chats()[1]["messages"]
    assert sent == [
        {"role": "system", "content": PERSONA["instructions"]},
        {"role": "user", "content": "Why was I charged twice?"},
        {"role": "assistant", "content": "You were charged twice because of a retry."},
        {"role": "user", "content": "Will I get it back?"},
    ]

    thread = (await api.http.get(f"/v1/chats/{chat['id']}/messages")).json()
    assert [(m["seq"], m["content"], m["answer"]) for m in thread["items"]] == [
        (1, "Why was I charged twice?", "You were charged twice because of a retry."),
        (2, "Will I get it back?", "Yes, the second charge is refunded."),
    ]
    run = (await api.http.get(f"/v1/runs/{thread['items'][1]['run_id']}")).json()
    assert run["trigger"] == "chat"
    assert (await api.http.get(f"/v1/chats/{chat['id']}")).json()["messages"] == 2

    # The same persona opens a second thread on the same generated workflow.
    again = (await api.http.post("/v1/chats", json={"persona": PERSONA})).json()
    assert again["workflow"] == chat["workflow"]
    listed = (await api.http.get("/v1/chats", params={"limit": 1})).json()
    assert [c["id"] for c in listed["items"]] == [again["id"]]
    rest = await api.http.get("/v1/chats", params={"cursor": listed["next_cursor"]})
    assert [c["id"] for c in rest.json()["items"]] == [chat["id"]]


async def test_a_chat_workflow_answers_and_a_message_can_be_posted_without_streaming(
    api: Api, model: FakeOpenAI
) -> None:
    stored = await api.http.post(
        "/v1/workflows", content=CHAT_WORKFLOW, headers={"content-type": "application/yaml"}
    )
    assert stored.status_code == 201, stored.text
    chat = (await api.http.post("/v1/chats", json={"workflow": "support-bot"})).json()
    assert chat["workflow"] == {"name": "support-bot", "version": 1}
    posted = await api.http.post(
        f"/v1/chats/{chat['id']}/messages",
        params={"stream": "false"},
        json={"content": "Why was I charged twice?"},
    )
    assert posted.status_code == 201, posted.text
    message = posted.json()
    assert message["state"] in ("queued", "running")
    run, _ = await api.finish(message["run_id"])
    assert run["state"] == "succeeded", run.get("error")
    thread = (await api.http.get(f"/v1/chats/{chat['id']}/messages")).json()
    assert thread["items"][0]["answer"] == "You were charged twice because of a retry. -- Support"
    assert model.chats()[0]["messages"][0] == {
        "role": "system",
        "content": "Sign every answer as Support.",
    }


async def test_bad_chats_are_refused_naming_what_is_wrong(api: Api) -> None:
    both = await api.http.post("/v1/chats", json={"persona": PERSONA, "workflow": "x"})
    assert both.status_code == 422
    assert "exactly one" in both.text

    bad_persona = await api.http.post(
        "/v1/chats", json={"persona": {"instructions": "hi", "temperature": 7}}
    )
    assert bad_persona.status_code == 422, bad_persona.text
    paths = [error["path"] for error in bad_persona.json()["errors"]]
    assert any(path.startswith("persona.temperature") for path in paths), paths

    bad_setting = await api.http.post(
        "/v1/chats", json={"persona": PERSONA, "settings": {"max_tool_steps": 0}}
    )
    assert bad_setting.status_code == 422, bad_setting.text
    paths = [error["path"] for error in bad_setting.json()["errors"]]
    assert any(path.startswith("settings.max_tool_steps") for path in paths), paths

    missing = await api.http.post("/v1/chats", json={"workflow": "nothing-here"})
    assert missing.status_code == 404

    plain = await api.http.post(
        "/v1/workflows",
        json={"name": "not-a-chat", "operations": {"a": {"uses": "noop"}}},
    )
    assert plain.status_code == 201, plain.text
    refused = await api.http.post("/v1/chats", json={"workflow": "not-a-chat"})
    assert refused.status_code == 422, refused.text
    messages = " ".join(error["message"] for error in refused.json()["errors"])
    assert "message" in messages
    assert "answer" in messages

    chat = (await api.http.post("/v1/chats", json={"persona": PERSONA})).json()
    empty = await api.http.post(f"/v1/chats/{chat['id']}/messages", json={"content": ""})
    assert empty.status_code == 422


async def test_one_message_at_a_time(api: Api, model: FakeOpenAI) -> None:
    model.script.insert(0, Answer("slow", delay=120.0))  # still answering when asked again
    chat = (await api.http.post("/v1/chats", json={"persona": PERSONA})).json()
    url = f"/v1/chats/{chat['id']}/messages"
    first = await api.http.post(url, params={"stream": "false"}, json={"content": "one"})
    assert first.status_code == 201
    second = await api.http.post(url, params={"stream": "false"}, json={"content": "two"})
    assert second.status_code == 409, second.text
    assert second.json()["run_id"] == first.json()["run_id"]
    await api.http.post(f"/v1/runs/{first.json()['run_id']}/cancel", json={})
    await api.finish(first.json()["run_id"])
    third = await api.http.post(url, params={"stream": "false"}, json={"content": "two"})
    assert third.status_code == 201, third.text
    assert third.json()["seq"] == 2


async def test_a_chat_is_its_owners_alone_and_deleting_forgets_the_thread(api: Api) -> None:
    chat = (await api.http.post("/v1/chats", json={"persona": PERSONA})).json()
    made = await api.http.post("/v1/keys", json={"name": "another editor", "role": "editor"})
    assert made.status_code == 201, made.text
    other = {"Authorization": f"Bearer {made.json()['key']}"}
    assert (await api.http.get(f"/v1/chats/{chat['id']}", headers=other)).status_code == 404
    listed = await api.http.get("/v1/chats", headers=other)
    assert listed.json()["items"] == []
    posted = await api.http.post(
        f"/v1/chats/{chat['id']}/messages", headers=other, json={"content": "hello"}
    )
    assert posted.status_code == 404

    deleted = await api.http.delete(f"/v1/chats/{chat['id']}")
    assert deleted.status_code == 204
    assert (await api.http.get(f"/v1/chats/{chat['id']}")).status_code == 404
    assert (await api.http.delete(f"/v1/chats/{chat['id']}")).status_code == 404
