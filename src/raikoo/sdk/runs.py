"""Runs: start, list, follow, cancel, retry, decide approvals, download artifacts."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import AsyncGenerator, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from raikoo.sdk._call import Call, get, model, segment
from raikoo.sdk._events import RunEvent
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import Approval, Approvals, Decision, OperationRun, PageOut, Run, RunSummary
from raikoo_common.states import RunState

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client

RunId = str | uuid.UUID
Destination = Path | str | BinaryIO


def create(
    workflow: str | None,
    *,
    version: int | None,
    definition: Mapping[str, Any] | str | None,
    inputs: Mapping[str, Any] | None,
    idempotency_key: str | None,
    trigger: str,
    dry_run: bool = False,
) -> Call[Run]:
    body: dict[str, Any] = {"inputs": dict(inputs or {}), "trigger": trigger}
    if dry_run:
        body["dry_run"] = True
    if workflow is not None:
        body["workflow"] = workflow
    if version is not None:
        body["version"] = version
    if definition is not None:
        body["definition"] = definition if isinstance(definition, str) else dict(definition)
    # A key of its own for every run asked for: sent again after a lost answer, it finds
    # the run the first try started instead of starting a second.
    key = idempotency_key or f"sdk-{uuid.uuid4()}"
    return Call("POST", "/v1/runs", model(Run), json=body, headers={"Idempotency-Key": key})


def list_page(
    state: RunState | str | None, workflow: str | None, page_size: int, cursor: str | None
) -> Call[PageOut[RunSummary]]:
    params = {"state": state, "workflow": workflow, "limit": page_size, "cursor": cursor}
    return get("/v1/runs", PageOut[RunSummary], **params)


def operations_page(
    run_id: RunId, loop: str | None, page_size: int, cursor: str | None
) -> Call[PageOut[OperationRun]]:
    path = f"/v1/runs/{segment(run_id)}/operations"
    return get(path, PageOut[OperationRun], loop=loop, limit=page_size, cursor=cursor)


def approvals_page(run_id: RunId, cursor: str | None) -> Call[Approvals]:
    return get(f"/v1/runs/{segment(run_id)}/approvals", Approvals, limit=500, cursor=cursor)


def cancel(run_id: RunId, reason: str | None) -> Call[Run]:
    body = {"reason": reason} if reason else None
    return Call("POST", f"/v1/runs/{segment(run_id)}/cancel", model(Run), json=body)


def retry(run_id: RunId) -> Call[Run]:
    return Call("POST", f"/v1/runs/{segment(run_id)}/retry", model(Run))


def decide(
    run_id: RunId, op_key: str, decision: Literal["approve", "reject"], comment: str | None
) -> Call[Decision]:
    path = f"/v1/runs/{segment(run_id)}/approvals/{segment(op_key)}"
    body = {"decision": decision, "comment": comment}
    return Call("POST", path, model(Decision), json=body)


def artifact_path(run_id: RunId, path: str) -> str:
    return f"/v1/runs/{segment(run_id)}/artifacts/{path.lstrip('/')}"


class Runs:
    def __init__(self, client: Client) -> None:
        self._client = client

    def create(
        self,
        workflow: str | None = None,
        *,
        version: int | None = None,
        definition: Mapping[str, Any] | str | None = None,
        inputs: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        trigger: str = "api",
        dry_run: bool = False,
    ) -> Run:
        """Start a run of a stored workflow (its latest version, or ``version``) or of an
        inline ``definition``. Safe to retry: the same ``idempotency_key`` (one is made
        when none is given) with the same inputs returns the run it started. ``dry_run``:
        AI operations answer their mocks instead of calling a provider."""
        call = create(
            workflow,
            version=version,
            definition=definition,
            inputs=inputs,
            idempotency_key=idempotency_key,
            trigger=trigger,
            dry_run=dry_run,
        )
        return self._client.send(call)

    def list(
        self,
        *,
        state: RunState | str | None = None,
        workflow: str | None = None,
        page_size: int = 50,
    ) -> Pager[RunSummary]:
        """The project's runs, newest first."""
        return self._client.pager(lambda cursor: list_page(state, workflow, page_size, cursor))

    def get(self, run_id: RunId) -> Run:
        return self._client.send(get(f"/v1/runs/{segment(run_id)}", Run))

    def operations(
        self, run_id: RunId, *, loop: str | None = None, page_size: int = 1000
    ) -> Pager[OperationRun]:
        """The run's operation runs in plan order (a loop's body runs with ``loop``)."""
        return self._client.pager(lambda cursor: operations_page(run_id, loop, page_size, cursor))

    def events(
        self, run_id: RunId, *, after: int = 0, timeout: float | None = None
    ) -> Iterator[RunEvent]:
        """The run's events from after ``after`` until its final state, resumed after a
        dropped connection without a gap or a repeat."""
        return self._client.events(run_id, after=after, timeout=timeout)

    def wait(self, run_id: RunId, *, timeout: float | None = None) -> Run:
        """Follow the run until it ends (``TimeoutError`` after ``timeout`` seconds)."""
        for _ in self.events(run_id, timeout=timeout):
            pass
        return self.get(run_id)

    def cancel(self, run_id: RunId, reason: str | None = None) -> Run:
        return self._client.send(cancel(run_id, reason))

    def retry(self, run_id: RunId) -> Run:
        """Start the run again from its failure (``POST /v1/runs/{id}/retry``)."""
        return self._client.send(retry(run_id))

    def approvals(self, run_id: RunId) -> builtins.list[Approval]:
        """Every open approval of the run (page after page)."""
        found: builtins.list[Approval] = []
        cursor: str | None = None
        while True:
            page = self._client.send(approvals_page(run_id, cursor))
            found += page.items
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor

    def decide(
        self,
        run_id: RunId,
        op_key: str,
        decision: Literal["approve", "reject"],
        comment: str | None = None,
    ) -> Decision:
        return self._client.send(decide(run_id, op_key, decision, comment))

    def download(self, run_id: RunId, path: str, destination: Destination) -> int:
        """Write an artifact of the run (``<operation>/<name>``, or a reference's key) to
        a file or a binary stream; returns the bytes written."""
        return self._client.download(artifact_path(run_id, path), destination)


class AsyncRuns:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(
        self,
        workflow: str | None = None,
        *,
        version: int | None = None,
        definition: Mapping[str, Any] | str | None = None,
        inputs: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        trigger: str = "api",
        dry_run: bool = False,
    ) -> Run:
        """As ``Runs.create``."""
        call = create(
            workflow,
            version=version,
            definition=definition,
            inputs=inputs,
            idempotency_key=idempotency_key,
            trigger=trigger,
            dry_run=dry_run,
        )
        return await self._client.send(call)

    def list(
        self,
        *,
        state: RunState | str | None = None,
        workflow: str | None = None,
        page_size: int = 50,
    ) -> AsyncPager[RunSummary]:
        return self._client.pager(lambda cursor: list_page(state, workflow, page_size, cursor))

    async def get(self, run_id: RunId) -> Run:
        return await self._client.send(get(f"/v1/runs/{segment(run_id)}", Run))

    def operations(
        self, run_id: RunId, *, loop: str | None = None, page_size: int = 1000
    ) -> AsyncPager[OperationRun]:
        return self._client.pager(lambda cursor: operations_page(run_id, loop, page_size, cursor))

    def events(self, run_id: RunId, *, after: int = 0) -> AsyncGenerator[RunEvent, None]:
        """As ``Runs.events``; bound it with ``asyncio.timeout``."""
        return self._client.events(run_id, after=after)

    async def wait(self, run_id: RunId, *, timeout: float | None = None) -> Run:
        """Follow the run until it ends (``TimeoutError`` after ``timeout`` seconds)."""
        import asyncio

        async with asyncio.timeout(timeout):
            async for _ in self.events(run_id):
                pass
        return await self.get(run_id)

    async def cancel(self, run_id: RunId, reason: str | None = None) -> Run:
        return await self._client.send(cancel(run_id, reason))

    async def retry(self, run_id: RunId) -> Run:
        """Start the run again from its failure (``POST /v1/runs/{id}/retry``)."""
        return await self._client.send(retry(run_id))

    async def approvals(self, run_id: RunId) -> builtins.list[Approval]:
        """Every open approval of the run (page after page)."""
        found: builtins.list[Approval] = []
        cursor: str | None = None
        while True:
            page = await self._client.send(approvals_page(run_id, cursor))
            found += page.items
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor

    async def decide(
        self,
        run_id: RunId,
        op_key: str,
        decision: Literal["approve", "reject"],
        comment: str | None = None,
    ) -> Decision:
        return await self._client.send(decide(run_id, op_key, decision, comment))

    async def download(self, run_id: RunId, path: str, destination: Destination) -> int:
        return await self._client.download(artifact_path(run_id, path), destination)
