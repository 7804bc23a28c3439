"""A chat completion's answer read off the wire: the JSON body of a plain answer, or the
server-sent events of a streamed one, folded into one ``Completion``.

The SDK sends the request (authentication, Azure's deployments and API versions, error
statuses as its exception classes); the answer's body is read here, with ``orjson``, into
plain dicts. Building the SDK's pydantic model for every streamed chunk cost about 250 µs of
CPU a chunk on this machine; streamed runs took 10 to 20 % less time without them
(docs/benchmarks.md, "AI operations in a foreach"). A stream is read as the SDK reads it:
an event's ``data`` is one chunk, ``[DONE]`` ends the answer, and a chunk that carries an
``error`` raises ``openai.APIError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass(frozen=True)
class ToolCallData:
    id: str
    name: str
    arguments: str


@dataclass
class Completion:
    text: str = ""
    refusal: str | None = None
    tool_calls: list[ToolCallData] = field(default_factory=list)
    finish_reason: str | None = None
    model: str = ""
    usage: Mapping[str, Any] | None = None


def completion_of(body: bytes) -> Completion:
    """A plain (not streamed) answer's body."""
    answer = _parse(body, "the answer")
    choices = answer.get("choices") or []
    choice = _object(choices[0], "a choice") if choices else {}
    message = _object(choice.get("message") or {}, "the message")
    calls = [
        ToolCallData(
            str(call.get("id") or f"call_{index}"),
            str(function.get("name") or ""),
            str(function.get("arguments") or ""),
        )
        for index, call in enumerate(message.get("tool_calls") or [])
        if (call.get("type") or "function") == "function"
        for function in (_object(call.get("function") or {}, "a tool call"),)
    ]
    return Completion(
        text=message.get("content") or "",
        refusal=message.get("refusal") or None,
        tool_calls=calls,
        finish_reason=choice.get("finish_reason"),
        model=answer.get("model") or "",
        usage=answer.get("usage"),
    )


class StreamedAnswer:
    """A streamed answer, fed the body's bytes as they arrive."""

    def __init__(self, write: Callable[[str], None], fail: Callable[[Any], Exception]) -> None:
        self.completion = Completion()
        self.done = False
        self._write = write
        self._fail = fail  # the exception for a chunk's ``error`` member
        self._events = EventStream()
        self._calls: dict[int, list[str]] = {}  # index -> [id, name, arguments]

    def feed(self, data: bytes) -> None:
        self._take(self._events.feed(data))

    def finish(self) -> Completion:
        """The whole answer, once the body has ended (or ``done``)."""
        if not self.done:
            self._take(self._events.end())
        self.completion.tool_calls = [
            ToolCallData(call_id or f"call_{index}", name, arguments)
            for index, (call_id, name, arguments) in sorted(self._calls.items())
        ]
        return self.completion

    def _take(self, events: list[bytes]) -> None:
        for event in events:
            if self.done:
                return
            if event.startswith(b"[DONE]"):
                self.done = True
                return
            self._chunk(_parse(event, "a streamed chunk"))

    def _chunk(self, chunk: dict[str, Any]) -> None:
        if chunk.get("error"):
            raise self._fail(chunk["error"])
        completion = self.completion
        completion.model = chunk.get("model") or completion.model
        if chunk.get("usage") is not None:
            completion.usage = chunk["usage"]
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            if text := delta.get("content"):
                completion.text += text
                self._write(text)
            if refusal := delta.get("refusal"):
                completion.refusal = (completion.refusal or "") + refusal
            for call in delta.get("tool_calls") or ():
                slot = self._calls.setdefault(int(call.get("index") or 0), ["", "", ""])
                slot[0] = slot[0] or (call.get("id") or "")
                function = call.get("function") or {}
                slot[1] += function.get("name") or ""
                slot[2] += function.get("arguments") or ""
            if finish := choice.get("finish_reason"):
                completion.finish_reason = finish


class EventStream:
    """Server-sent events (the WHATWG format) from bytes split anywhere: the ``data`` of
    each complete event, its lines joined by newlines. Event names, ids and comments are
    read and dropped: a chat completion's chunks carry none that matter."""

    def __init__(self) -> None:
        self._rest = b""
        self._data: list[bytes] = []

    def feed(self, chunk: bytes) -> list[bytes]:
        lines = (self._rest + chunk).splitlines(keepends=True)
        # An unterminated last line waits for more; so does one ending in CR, whose LF may
        # be the next chunk's first byte.
        self._rest = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
        events: list[bytes] = []
        for ended in lines:
            line = ended.rstrip(b"\r\n")
            if not line:
                if self._data:
                    events.append(b"\n".join(self._data))
                    self._data = []
                continue
            name, _, value = line.partition(b":")
            if name == b"data":
                self._data.append(value[1:] if value.startswith(b" ") else value)
        return events

    def end(self) -> list[bytes]:
        """The events a body's last bytes complete when it ends (a last line held for
        its LF)."""
        return self.feed(b"\n") if self._rest else []


class MalformedAnswer(ValueError):
    """The provider answered with something that is not a chat completion."""


def _parse(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise MalformedAnswer(f"{what} is not JSON ({exc})") from None
    return _object(value, what)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedAnswer(f"{what} is not a JSON object")
    return value
