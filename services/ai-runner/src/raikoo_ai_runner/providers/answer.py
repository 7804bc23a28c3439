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
    choices = _list(answer.get("choices"), "choices")
    choice = _object(choices[0], "a choice") if choices else {}
    message = _object(choice.get("message") or {}, "the message")
    calls = []
    for index, item in enumerate(_list(message.get("tool_calls"), "tool_calls")):
        call = _object(item, "a tool call")
        if (call.get("type") or "function") != "function":
            continue
        function = _object(call.get("function") or {}, "a tool call's function")
        calls.append(
            ToolCallData(
                _text(call.get("id"), "a tool call's id") or f"call_{index}",
                _text(function.get("name"), "a tool call's name"),
                _text(function.get("arguments"), "a tool call's arguments"),
            )
        )
    return Completion(
        text=_text(message.get("content"), "the content"),
        refusal=_text(message.get("refusal"), "the refusal") or None,
        tool_calls=calls,
        finish_reason=_text(choice.get("finish_reason"), "the finish reason") or None,
        model=_text(answer.get("model"), "the model"),
        usage=_usage(answer.get("usage")),
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
        completion.model = _text(chunk.get("model"), "a chunk's model") or completion.model
        if chunk.get("usage") is not None:
            completion.usage = _usage(chunk["usage"])
        for item in _list(chunk.get("choices"), "a chunk's choices"):
            choice = _object(item, "a chunk's choice")
            delta = _object(choice.get("delta") or {}, "a chunk's delta")
            if text := _text(delta.get("content"), "a chunk's content"):
                completion.text += text
                self._write(text)
            if refusal := _text(delta.get("refusal"), "a chunk's refusal"):
                completion.refusal = (completion.refusal or "") + refusal
            for part in _list(delta.get("tool_calls"), "a chunk's tool_calls"):
                call = _object(part, "a chunk's tool call")
                index = call.get("index") or 0
                if not isinstance(index, int):
                    raise MalformedAnswer("a chunk's tool call index is not an integer")
                slot = self._calls.setdefault(index, ["", "", ""])
                slot[0] = slot[0] or _text(call.get("id"), "a tool call's id")
                function = _object(call.get("function") or {}, "a tool call's function")
                slot[1] += _text(function.get("name"), "a tool call's name")
                slot[2] += _text(function.get("arguments"), "a tool call's arguments")
            if finish := _text(choice.get("finish_reason"), "a chunk's finish reason"):
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


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedAnswer(f"{what} is not a JSON array")
    return value


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedAnswer(f"{what} is not a string")
    return value


def _usage(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, dict) else None
