"""The asynchronous client: ``Client``'s calls, awaited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import Any, TypeVar

import httpx

from raikoo.sdk import access, chats, hooks, schedules, secrets
from raikoo.sdk._call import Call, get, segment
from raikoo.sdk._errors import error_from
from raikoo.sdk._events import EventParser, Resumption, RunEvent
from raikoo.sdk._options import ClientBase, Options, stream_timeout
from raikoo.sdk._pages import AsyncPager, PageCall
from raikoo.sdk._retry import RETRIED_STATUSES
from raikoo.sdk._streams import StreamEnded, open_sink
from raikoo.sdk.runs import AsyncRuns, Destination, RunId
from raikoo.sdk.workflows import AsyncWorkflows
from raikoo_common.api import Me, Member, Organization

T = TypeVar("T")


class AsyncClient(ClientBase):
    """The Raikoo API for asyncio; its arguments are ``ClientBase``'s. Use it as
    ``async with``."""

    def _connect(
        self, options: Options, transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None
    ) -> None:
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError("AsyncClient takes an httpx.AsyncBaseTransport")
        self._http = httpx.AsyncClient(
            base_url=options.base_url,
            headers=options.headers,
            timeout=options.timeout,
            transport=transport,
        )
        self.runs = AsyncRuns(self)
        self.workflows = AsyncWorkflows(self)
        self.secrets = secrets.AsyncSecrets(self)
        self.schedules = schedules.AsyncSchedules(self)
        self.hooks = hooks.AsyncHooks(self)
        self.chats = chats.AsyncChats(self)
        self.keys = access.AsyncKeys(self)
        self.projects = access.AsyncProjects(self)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def me(self) -> Me:
        return await self.send(get("/v1/me", Me))

    async def organization(self) -> Organization:
        return await self.send(get("/v1/organization", Organization))

    def members(self, *, page_size: int = 100) -> AsyncPager[Member]:
        return self.pager(lambda cursor: access.members_page(page_size, cursor))

    async def operation_kinds(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = (await self.send(get("/v1/operation-kinds", dict)))["items"]
        return items

    async def operation_kind(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = await self.send(get(f"/v1/operation-kinds/{segment(name)}", dict))
        return found

    # -- the generic layer resources are written on ------------------------------------

    async def send(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.send(call.request(self._http))
            except httpx.TransportError as exc:
                delay = self._retry.after_error(attempt, exc, repeatable=call.repeatable)
                if delay is None:
                    raise
            else:
                delay = self._retry.after_response(attempt, response, repeatable=call.repeatable)
                if delay is None:
                    return call.answer(response)
                await response.aclose()
            await asyncio.sleep(delay)

    def pager(self, call: PageCall[T]) -> AsyncPager[T]:
        return AsyncPager(self.send, call)

    async def events(self, run_id: RunId, *, after: int = 0) -> AsyncGenerator[RunEvent, None]:
        resume = Resumption(after)
        path = f"/v1/runs/{segment(run_id)}/events"
        while True:
            try:
                async with self._http.stream(
                    "GET",
                    path,
                    headers=resume.headers(),
                    timeout=stream_timeout(self._timeout, None),
                ) as response:
                    if response.status_code in RETRIED_STATUSES:
                        raise StreamEnded  # the server is restarting: back off, come back
                    if response.status_code >= 400:
                        await response.aread()
                        raise error_from(response)
                    parser = EventParser()
                    async for line in response.aiter_lines():
                        event = parser.line(line)
                        if event is not None and resume.saw(event):
                            yield event
                            if event.final:
                                return
                raise StreamEnded
            except httpx.TransportError as exc:
                resume.failures += 1
                delay = self._retry.after_error(resume.failures, exc, repeatable=True)
                if delay is None:
                    raise
            await asyncio.sleep(delay)

    async def download(self, path: str, destination: Destination) -> int:
        async with self._http.stream("GET", path) as response:
            if response.status_code >= 400:
                await response.aread()
                raise error_from(response)
            with open_sink(destination) as sink:
                written = 0
                async for chunk in response.aiter_bytes():
                    sink.write(chunk)
                    written += len(chunk)
        return written
