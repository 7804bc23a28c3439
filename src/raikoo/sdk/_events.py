"""A run's server-sent events: parsing the stream, and where to resume after a drop."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from raikoo_common.states import TERMINAL_RUN_STATES

RUN_STATE_CHANGED = "run.state_changed"


@dataclass(frozen=True)
class RunEvent:
    """One event of a run. ``id`` is its sequence number in the run; events that are not
    stored (``operation.output_delta``: AI text as it is written) have none and are not
    replayed after a reconnection."""

    type: str
    data: dict[str, Any]
    id: int | None = None

    @property
    def final(self) -> bool:
        """The run's last event: it reached succeeded, failed or cancelled."""
        return self.type == RUN_STATE_CHANGED and self.data.get("state") in TERMINAL_RUN_STATES


@dataclass
class EventParser:
    """Reads lines of a text/event-stream (WHATWG server-sent events) into events."""

    _type: str = ""
    _data: list[str] = field(default_factory=list)
    _id: int | None = None

    def feed(self, lines: Iterable[str]) -> Iterator[RunEvent]:
        for line in lines:
            event = self.line(line)
            if event is not None:
                yield event

    def line(self, line: str) -> RunEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: the keep-alive ping
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and value.isdigit():
            self._id = int(value)
        return None

    def _dispatch(self) -> RunEvent | None:
        data, kind, ident = self._data, self._type or "message", self._id
        self._type, self._data, self._id = "", [], None
        if not data:
            return None
        return RunEvent(kind, json.loads("\n".join(data)), ident)


@dataclass
class Resumption:
    """Where a stream resumes: after the last stored event seen (``Last-Event-ID``)."""

    last_id: int
    failures: int = 0

    def headers(self) -> dict[str, str]:
        return {"Last-Event-ID": str(self.last_id)} if self.last_id else {}

    def saw(self, event: RunEvent) -> bool:
        """Note an event; False for a replayed one already yielded (never expected, but a
        stream that repeated one must not make the caller see it twice)."""
        self.failures = 0
        if event.id is None:
            return True
        if event.id <= self.last_id:
            return False
        self.last_id = event.id
        return True
