"""Chats: open a thread with a persona or a chat workflow, send messages, follow answers.

An answer is a run: ``stream`` sends the message, then follows that run's events (which
resume after a dropped connection, unlike the one-shot stream ``POST …/messages`` serves),
yielding the answer's text as it is written and, last, the message with its answer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from raikoo.sdk._call import Call, get, model, nothing, segment
from raikoo.sdk._events import RunEvent
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import PageOut
from raikoo_common.api.chats import Chat, ChatMessage

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client

ChatId = str | uuid.UUID
OUTPUT_DELTA = "operation.output_delta"


@dataclass(frozen=True)
class ChatEvent:
    """``message``: the message as stored (its run under way); ``delta``: answer text as it
    is written (``text``, from operation ``op_key``); ``answer``: the message with its
    answer, or its run's error — the last event."""

    type: Literal["message", "delta", "answer"]
    message: ChatMessage | None = None
    text: str = ""
    op_key: str | None = None


def open_chat(
    persona: Mapping[str, Any] | str | None,
    workflow: str | None,
    version: int | None,
    settings: Mapping[str, Any] | None,
    title: str | None,
) -> Call[Chat]:
    body: dict[str, Any] = {}
    if persona is not None:
        body["persona"] = persona if isinstance(persona, str) else dict(persona)
    for name, value in (("workflow", workflow), ("version", version), ("title", title)):
        if value is not None:
            body[name] = value
    if settings:
        body["settings"] = dict(settings)
    return Call("POST", "/v1/chats", model(Chat), json=body)


def chats_page(page_size: int, cursor: str | None) -> Call[PageOut[Chat]]:
    return get("/v1/chats", PageOut[Chat], limit=page_size, cursor=cursor)


def messages_page(
    chat_id: ChatId, page_size: int, cursor: str | None
) -> Call[PageOut[ChatMessage]]:
    path = f"/v1/chats/{segment(chat_id)}/messages"
    return get(path, PageOut[ChatMessage], limit=page_size, cursor=cursor)


def message(chat_id: ChatId, message_id: ChatId) -> Call[ChatMessage]:
    return get(f"/v1/chats/{segment(chat_id)}/messages/{segment(message_id)}", ChatMessage)


def send(chat_id: ChatId, content: str) -> Call[ChatMessage]:
    # Not retried when its fate is unknown: a second message would be a second question.
    path = f"/v1/chats/{segment(chat_id)}/messages"
    return Call(
        "POST", path, model(ChatMessage), params={"stream": "false"}, json={"content": content}
    )


def delete(chat_id: ChatId) -> Call[None]:
    return Call("DELETE", f"/v1/chats/{segment(chat_id)}", nothing)


def delta(event: RunEvent) -> ChatEvent | None:
    if event.type != OUTPUT_DELTA:
        return None
    return ChatEvent("delta", text=str(event.data.get("text", "")), op_key=event.data.get("op_key"))


class Chats:
    def __init__(self, client: Client) -> None:
        self._client = client

    def open(
        self,
        *,
        persona: Mapping[str, Any] | str | None = None,
        workflow: str | None = None,
        version: int | None = None,
        settings: Mapping[str, Any] | None = None,
        title: str | None = None,
    ) -> Chat:
        """A thread with ``persona`` (instructions, or a stored persona's name; ``settings``
        are more fields of its ai.prompt) or with a chat ``workflow`` — exactly one."""
        return self._client.send(open_chat(persona, workflow, version, settings, title))

    def list(self, *, page_size: int = 50) -> Pager[Chat]:
        """The caller's chats in this project, most recently active first."""
        return self._client.pager(lambda cursor: chats_page(page_size, cursor))

    def get(self, chat_id: ChatId) -> Chat:
        return self._client.send(get(f"/v1/chats/{segment(chat_id)}", Chat))

    def delete(self, chat_id: ChatId) -> None:
        self._client.send(delete(chat_id))

    def messages(self, chat_id: ChatId, *, page_size: int = 50) -> Pager[ChatMessage]:
        """The thread, oldest first, each message with its answer (once there is one)."""
        return self._client.pager(lambda cursor: messages_page(chat_id, page_size, cursor))

    def message(self, chat_id: ChatId, message_id: ChatId) -> ChatMessage:
        return self._client.send(message(chat_id, message_id))

    def send(self, chat_id: ChatId, content: str) -> ChatMessage:
        """Send a message and return it as stored: its run answers it (``stream`` or
        ``ask`` to follow). While the previous message is answered this is a ``Conflict``."""
        return self._client.send(send(chat_id, content))

    def stream(
        self, chat_id: ChatId, content: str, *, timeout: float | None = None
    ) -> Iterator[ChatEvent]:
        sent = self.send(chat_id, content)
        yield ChatEvent("message", message=sent)
        for event in self._client.events(sent.run_id, timeout=timeout):
            written = delta(event)
            if written is not None:
                yield written
        yield ChatEvent("answer", message=self.message(chat_id, sent.id))

    def ask(self, chat_id: ChatId, content: str, *, timeout: float | None = None) -> ChatMessage:
        """Send a message and wait for its answer: the message with ``answer`` (or
        ``error``, when its run failed)."""
        answered = None
        for event in self.stream(chat_id, content, timeout=timeout):
            answered = event.message if event.type == "answer" else answered
        assert answered is not None, "a stream ends with the answer"
        return answered


class AsyncChats:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def open(
        self,
        *,
        persona: Mapping[str, Any] | str | None = None,
        workflow: str | None = None,
        version: int | None = None,
        settings: Mapping[str, Any] | None = None,
        title: str | None = None,
    ) -> Chat:
        return await self._client.send(open_chat(persona, workflow, version, settings, title))

    def list(self, *, page_size: int = 50) -> AsyncPager[Chat]:
        return self._client.pager(lambda cursor: chats_page(page_size, cursor))

    async def get(self, chat_id: ChatId) -> Chat:
        return await self._client.send(get(f"/v1/chats/{segment(chat_id)}", Chat))

    async def delete(self, chat_id: ChatId) -> None:
        await self._client.send(delete(chat_id))

    def messages(self, chat_id: ChatId, *, page_size: int = 50) -> AsyncPager[ChatMessage]:
        return self._client.pager(lambda cursor: messages_page(chat_id, page_size, cursor))

    async def message(self, chat_id: ChatId, message_id: ChatId) -> ChatMessage:
        return await self._client.send(message(chat_id, message_id))

    async def send(self, chat_id: ChatId, content: str) -> ChatMessage:
        return await self._client.send(send(chat_id, content))

    async def stream(self, chat_id: ChatId, content: str) -> AsyncIterator[ChatEvent]:
        sent = await self.send(chat_id, content)
        yield ChatEvent("message", message=sent)
        async for event in self._client.events(sent.run_id):
            written = delta(event)
            if written is not None:
                yield written
        yield ChatEvent("answer", message=await self.message(chat_id, sent.id))

    async def ask(self, chat_id: ChatId, content: str) -> ChatMessage:
        answered = None
        async for event in self.stream(chat_id, content):
            answered = event.message if event.type == "answer" else answered
        assert answered is not None, "a stream ends with the answer"
        return answered
