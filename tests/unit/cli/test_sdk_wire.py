"""The SDK's reading of server-sent events and its retry decisions."""

from __future__ import annotations

import httpx

from raikoo.sdk import Retry, RunEvent
from raikoo.sdk._events import EventParser, Resumption

STREAM = [
    ": ping",
    "id: 1",
    "event: run.state_changed",
    'data: {"state": "running",',
    'data: "at": "t"}',
    "",
    "event: operation.output_delta",
    'data: {"op_key": "a", "text": "Hel"}',
    "",
    "",
    "id: 2",
    "event: run.state_changed",
    'data: {"state": "succeeded"}',
    "",
]


def test_events_are_parsed_with_multi_line_data_and_unnumbered_deltas() -> None:
    events = list(EventParser().feed(STREAM))
    assert events == [
        RunEvent("run.state_changed", {"state": "running", "at": "t"}, 1),
        RunEvent("operation.output_delta", {"op_key": "a", "text": "Hel"}, None),
        RunEvent("run.state_changed", {"state": "succeeded"}, 2),
    ]
    assert [event.final for event in events] == [False, False, True]


def test_resumption_sends_the_last_id_and_drops_a_repeat() -> None:
    resume = Resumption(0)
    assert resume.headers() == {}
    first, delta, last = EventParser().feed(STREAM)
    resume.failures = 2
    assert resume.saw(first)
    assert resume.failures == 0, "an event means the stream works again"
    assert resume.saw(delta)
    assert resume.headers() == {"Last-Event-ID": "1"}
    assert not resume.saw(first), "a repeated event is not given twice"
    assert resume.saw(last)
    assert resume.headers() == {"Last-Event-ID": "2"}


def _answer(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request("GET", "http://x/"))


def test_retry_repeats_only_what_is_safe_and_honours_retry_after() -> None:
    policy = Retry(attempts=3, backoff=0.1, max_backoff=1.0)
    lost = httpx.ReadError("connection lost")
    refused = httpx.ConnectError("refused")
    assert policy.after_error(1, lost, repeatable=True) is not None
    assert policy.after_error(1, lost, repeatable=False) is None, "a POST may have happened"
    assert policy.after_error(1, refused, repeatable=False) is not None, "never sent"
    assert policy.after_error(3, refused, repeatable=True) is None, "attempts spent"
    assert policy.after_error(1, ValueError("bug"), repeatable=True) is None
    assert policy.after_response(1, _answer(503, **{"retry-after": "2"}), repeatable=True) == 2
    assert policy.after_response(1, _answer(503), repeatable=False) is None
    assert policy.after_response(1, _answer(429), repeatable=False) is not None
    assert policy.after_response(1, _answer(500), repeatable=True) is None
    assert policy.after_response(1, _answer(404), repeatable=True) is None
    delays = [policy.delay(attempt) for attempt in (1, 2, 3, 10)]
    assert 0.05 <= delays[0] <= 0.1
    assert 0.1 <= delays[1] <= 0.2
    assert 0.5 <= delays[3] <= 1.0, "capped at max_backoff"
