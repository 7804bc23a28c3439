"""The synchronous client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any, TypeVar

import httpx

from raikoo.sdk import access, chats, hooks, schedules, secrets
from raikoo.sdk._call import Call, get, segment
from raikoo.sdk._errors import error_from
from raikoo.sdk._events import EventParser, Resumption, RunEvent
from raikoo.sdk._options import ClientBase, Options, stream_timeout
from raikoo.sdk._pages import PageCall, Pager
from raikoo.sdk._retry import RETRIED_STATUSES
from raikoo.sdk._streams import StreamEnded, deadline_left, open_sink
from raikoo.sdk.runs import Destination, RunId, Runs
from raikoo.sdk.workflows import Workflows
from raikoo_common.api import Me, Member, Organization

T = TypeVar("T")


class Client(ClientBase):
    """The Raikoo API, synchronously; its arguments are ``ClientBase``'s."""

    def _connect(
        self, options: Options, transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None
    ) -> None:
        if transport is not None and not isinstance(transport, httpx.BaseTransport):
            raise TypeError("Client takes an httpx.BaseTransport")
        self._http = httpx.Client(
            base_url=options.base_url,
            headers=options.headers,
            timeout=options.timeout,
            transport=transport,
        )
        self.runs = Runs(self)
        self.workflows = Workflows(self)
        self.secrets = secrets.Secrets(self)
        self.schedules = schedules.Schedules(self)
        self.hooks = hooks.Hooks(self)
        self.chats = chats.Chats(self)
        self.keys = access.Keys(self)
        self.projects = access.Projects(self)

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def me(self) -> Me:
        """Whom the key belongs to, in which organization and project."""
        return self.send(get("/v1/me", Me))

    def organization(self) -> Organization:
        return self.send(get("/v1/organization", Organization))

    def members(self, *, page_size: int = 100) -> Pager[Member]:
        return self.pager(lambda cursor: access.members_page(page_size, cursor))

    def operation_kinds(self) -> list[dict[str, Any]]:
        """Every operation kind with its config schema."""
        items: list[dict[str, Any]] = self.send(get("/v1/operation-kinds", dict))["items"]
        return items

    def operation_kind(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.send(get(f"/v1/operation-kinds/{segment(name)}", dict))
        return found

    # -- the generic layer resources are written on ------------------------------------

    def send(self, call: Call[T]) -> T:
        """Send a call, retried as ``Retry`` says; its answer, or ``ApiError``."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.send(call.request(self._http))
            except httpx.TransportError as exc:
                delay = self._retry.after_error(attempt, exc, repeatable=call.repeatable)
                if delay is None:
                    raise
            else:
                delay = self._retry.after_response(attempt, response, repeatable=call.repeatable)
                if delay is None:
                    return call.answer(response)
            time.sleep(delay)

    def pager(self, call: PageCall[T]) -> Pager[T]:
        return Pager(self.send, call)

    def events(
        self, run_id: RunId, *, after: int = 0, timeout: float | None = None
    ) -> Iterator[RunEvent]:
        deadline = None if timeout is None else time.monotonic() + timeout
        resume = Resumption(after)
        path = f"/v1/runs/{segment(run_id)}/events"
        while True:
            try:
                with self._http.stream(
                    "GET",
                    path,
                    headers=resume.headers(),
                    timeout=stream_timeout(self._timeout, deadline_left(deadline)),
                ) as response:
                    if response.status_code in RETRIED_STATUSES:
                        raise StreamEnded  # the server is restarting: back off, come back
                    if response.status_code >= 400:
                        response.read()
                        raise error_from(response)
                    parser = EventParser()
                    for line in response.iter_lines():
                        event = parser.line(line)
                        if event is not None and resume.saw(event):
                            yield event
                            if event.final:
                                return
                        deadline_left(deadline)
                raise StreamEnded
            except httpx.TransportError as exc:
                deadline_left(deadline)  # a read that timed out at the deadline: TimeoutError
                resume.failures += 1
                delay = self._retry.after_error(resume.failures, exc, repeatable=True)
                if delay is None:
                    raise
            time.sleep(delay)

    def download(self, path: str, destination: Destination) -> int:
        with self._http.stream("GET", path) as response:
            if response.status_code >= 400:
                response.read()
                raise error_from(response)
            with open_sink(destination) as sink:
                written = 0
                for chunk in response.iter_bytes():
                    sink.write(chunk)
                    written += len(chunk)
        return written
