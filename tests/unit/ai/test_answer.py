"""Reading a chat completion's answer off the wire (``providers.answer``): server-sent
events split anywhere, a streamed answer folded into one completion, a plain answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from raikoo_ai_runner.providers.answer import (
    EventStream,
    MalformedAnswer,
    StreamedAnswer,
    ToolCallData,
    completion_of,
)

EVENTS = (
    b": a comment, then an event with a name and an id\n"
    b'event: message\nid: 7\ndata: {"a": 1}\n\n'
    b"data: first line\ndata: second line\n\n"
    b"data:no space after the colon\n\n"
    b"retry: 100\n\n"  # no data: no event
    b"data\n\n"  # a field name alone: empty data
)
WANTED = [b'{"a": 1}', b"first line\nsecond line", b"no space after the colon", b""]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_events_split_at_every_byte_come_out_whole(newline: bytes) -> None:
    body = EVENTS.replace(b"\n", newline)
    for cut in range(len(body) + 1):
        events = EventStream()
        got = events.feed(body[:cut]) + events.feed(body[cut:]) + events.end()
        assert got == WANTED, f"cut at byte {cut}"


def test_byte_by_byte() -> None:
    events = EventStream()
    got = [event for byte in EVENTS for event in events.feed(bytes([byte]))]
    assert got + events.end() == WANTED


def test_an_event_the_body_ends_in_the_middle_of_is_dropped() -> None:
    events = EventStream()
    assert events.feed(b"data: whole\n\ndata: cut off") == [b"whole"]
    assert events.end() == []


def _chunk(**fields: Any) -> bytes:
    choice = {"index": 0, "delta": fields.pop("delta", {}), **fields.pop("choice", {})}
    body = {"model": "m-1", "choices": [choice], **fields}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


def _fail(error: Any) -> Exception:
    return RuntimeError(f"error chunk: {error}")


def test_a_streamed_answer_folds_text_tool_calls_and_usage() -> None:
    written: list[str] = []
    answer = StreamedAnswer(written.append, _fail)
    head = {
        "index": 0,
        "id": "c1",
        "type": "function",
        "function": {"name": "look", "arguments": ""},
    }
    body = b"".join(
        [
            _chunk(delta={"role": "assistant", "content": ""}),
            _chunk(delta={"content": "Hel"}),
            _chunk(delta={"content": "lo"}),
            _chunk(delta={"tool_calls": [head]}),
            _chunk(delta={"tool_calls": [{"index": 0, "function": {"arguments": '{"q"'}}]}),
            _chunk(delta={"tool_calls": [{"index": 0, "function": {"arguments": ": 1}"}}]}),
            _chunk(delta={"tool_calls": [{"index": 1, "function": {"name": "other"}}]}),
            _chunk(choice={"finish_reason": "tool_calls"}),
            b'data: {"model": "m-1", "choices": [], "usage": {"prompt_tokens": 3}}\n\n',
            b"data: [DONE]\n\n",
            _chunk(delta={"content": "after the end"}),
        ]
    )
    for start in range(0, len(body), 37):  # arriving in pieces that cut events
        answer.feed(body[start : start + 37])
    completion = answer.finish()
    assert answer.done
    assert written == ["Hel", "lo"]
    assert completion.text == "Hello"
    assert completion.model == "m-1"
    assert completion.finish_reason == "tool_calls"
    assert completion.usage == {"prompt_tokens": 3}
    assert completion.tool_calls == [
        ToolCallData("c1", "look", '{"q": 1}'),
        ToolCallData("call_1", "other", ""),
    ]


def test_an_error_chunk_raises_what_the_caller_makes_of_it() -> None:
    answer = StreamedAnswer(lambda text: None, _fail)
    with pytest.raises(RuntimeError, match=r"error chunk: .*overloaded"):
        answer.feed(b'data: {"error": {"message": "overloaded"}}\n\n')


def test_a_refusal_streams_into_the_completion() -> None:
    answer = StreamedAnswer(lambda text: None, _fail)
    answer.feed(_chunk(delta={"refusal": "I can"}) + _chunk(delta={"refusal": "not."}))
    assert answer.finish().refusal == "I cannot."


def test_a_plain_answer() -> None:
    body = {
        "model": "m-2",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "c9",
                            "type": "function",
                            "function": {"name": "f", "arguments": "{}"},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2},
    }
    completion = completion_of(json.dumps(body).encode())
    assert completion.text == ""
    assert completion.model == "m-2"
    assert completion.finish_reason == "stop"
    assert completion.tool_calls == [ToolCallData("c9", "f", "{}")]
    assert completion.usage == {"prompt_tokens": 5, "completion_tokens": 2}


def test_an_answer_without_choices_is_empty() -> None:
    assert completion_of(b'{"model": "m", "choices": []}').text == ""


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"not json", "the answer is not JSON"),
        (b'"a string"', "the answer is not a JSON object"),
        (b'{"choices": ["x"]}', "a choice is not a JSON object"),
    ],
)
def test_a_malformed_answer_names_what_is_wrong(body: bytes, what: str) -> None:
    with pytest.raises(MalformedAnswer, match=what):
        completion_of(body)


@pytest.mark.parametrize(
    ("chunk", "what"),
    [
        ({"choices": "x"}, "a chunk's choices is not a JSON array"),
        ({"choices": ["x"]}, "a chunk's choice is not a JSON object"),
        ({"choices": [{"delta": {"content": 5}}]}, "a chunk's content is not a string"),
        (
            {"choices": [{"delta": {"tool_calls": [{"index": "a"}]}}]},
            "a chunk's tool call index is not an integer",
        ),
        (
            {"choices": [{"delta": {"tool_calls": [{"function": {"arguments": {}}}]}}]},
            "a tool call's arguments is not a string",
        ),
    ],
)
def test_a_malformed_chunk_names_what_is_wrong(chunk: dict[str, Any], what: str) -> None:
    answer = StreamedAnswer(lambda text: None, _fail)
    with pytest.raises(MalformedAnswer, match=what):
        answer.feed(b"data: " + json.dumps(chunk).encode() + b"\n\n")


def test_a_plain_answer_with_a_malformed_tool_call_names_it() -> None:
    body = {"choices": [{"message": {"tool_calls": [{"function": {"name": 1}}]}}]}
    with pytest.raises(MalformedAnswer, match="a tool call's name is not a string"):
        completion_of(json.dumps(body).encode())
