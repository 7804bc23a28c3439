"""Workflows: their stored versions, applying definitions, diffs and exports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from raikoo.sdk._call import Call, get, model, segment, text
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo_common.api import (
    PageOut,
    VersionDiff,
    WorkflowSummary,
    WorkflowVersion,
    WorkflowVersionDetail,
)

if TYPE_CHECKING:
    from raikoo.sdk._async import AsyncClient
    from raikoo.sdk._sync import Client

Definition = Mapping[str, Any] | str | bytes
"""A definition: a mapping, or YAML or JSON text."""


Format = Literal["yaml", "json"]


def _body(definition: Definition, fmt: Format | None) -> tuple[bytes, str]:
    if isinstance(definition, Mapping):
        return json.dumps(dict(definition)).encode(), "application/json"
    raw = definition.encode() if isinstance(definition, str) else definition
    # Text is read as YAML unless said to be JSON (JSON is YAML, but a JSON reader gives
    # JSON's error messages).
    return raw, "application/json" if fmt == "json" else "application/yaml"


def store(
    definition: Definition, name: str | None = None, fmt: Format | None = None
) -> Call[WorkflowVersion]:
    content, kind = _body(definition, fmt)
    method, path = ("PUT", f"/v1/workflows/{segment(name)}") if name else ("POST", "/v1/workflows")
    return Call(
        method,
        path,
        model(WorkflowVersion),
        content=content,
        headers={"Content-Type": kind},
        idempotent=True,  # the same definition again stores nothing
    )


def list_page(
    prefix: str | None, page_size: int, cursor: str | None
) -> Call[PageOut[WorkflowSummary]]:
    return get(
        "/v1/workflows", PageOut[WorkflowSummary], prefix=prefix, limit=page_size, cursor=cursor
    )


def versions_page(name: str, page_size: int, cursor: str | None) -> Call[PageOut[WorkflowVersion]]:
    path = f"/v1/workflows/{segment(name)}/versions"
    return get(path, PageOut[WorkflowVersion], limit=page_size, cursor=cursor)


def detail(name: str, version: int | None) -> Call[WorkflowVersionDetail]:
    path = f"/v1/workflows/{segment(name)}"
    if version is not None:
        path += f"/versions/{version}"
    return get(path, WorkflowVersionDetail)


def diff(name: str, from_version: int, to_version: int | None) -> Call[VersionDiff]:
    path = f"/v1/workflows/{segment(name)}/diff"
    return get(path, VersionDiff, **{"from": from_version, "to": to_version})


def export(name: str, version: int | None, fmt: Format) -> Call[str]:
    accept = "application/json" if fmt == "json" else "application/yaml"
    return Call(
        "GET",
        f"/v1/workflows/{segment(name)}/export",
        text,
        params={"version": version},
        headers={"Accept": accept},
    )


class Workflows:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, prefix: str | None = None, page_size: int = 100) -> Pager[WorkflowSummary]:
        """The project's workflows in name order."""
        return self._client.pager(lambda cursor: list_page(prefix, page_size, cursor))

    def get(self, name: str, version: int | None = None) -> WorkflowVersionDetail:
        """A version with its definition (the latest when ``version`` is None)."""
        return self._client.send(detail(name, version))

    def versions(self, name: str, *, page_size: int = 100) -> Pager[WorkflowVersion]:
        """The workflow's versions, newest first."""
        return self._client.pager(lambda cursor: versions_page(name, page_size, cursor))

    def create(self, definition: Definition, *, fmt: Format | None = None) -> WorkflowVersion:
        """Store a definition (a mapping, or YAML text; JSON text with ``fmt="json"``) as
        a new version of the workflow it names; ``created`` is False when it is the same
        as the latest (nothing stored)."""
        return self._client.send(store(definition, fmt=fmt))

    def apply(
        self, name: str, definition: Definition, *, fmt: Format | None = None
    ) -> WorkflowVersion:
        """Make ``name``'s latest version this definition (``PUT``): a new version only
        when it differs."""
        return self._client.send(store(definition, name, fmt))

    def diff(self, name: str, from_version: int, to_version: int | None = None) -> VersionDiff:
        return self._client.send(diff(name, from_version, to_version))

    def export(self, name: str, version: int | None = None, *, fmt: Format = "yaml") -> str:
        """The definition as a file to keep in git (defaults left out)."""
        return self._client.send(export(name, version, fmt))


class AsyncWorkflows:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(
        self, *, prefix: str | None = None, page_size: int = 100
    ) -> AsyncPager[WorkflowSummary]:
        return self._client.pager(lambda cursor: list_page(prefix, page_size, cursor))

    async def get(self, name: str, version: int | None = None) -> WorkflowVersionDetail:
        return await self._client.send(detail(name, version))

    def versions(self, name: str, *, page_size: int = 100) -> AsyncPager[WorkflowVersion]:
        return self._client.pager(lambda cursor: versions_page(name, page_size, cursor))

    async def create(self, definition: Definition, *, fmt: Format | None = None) -> WorkflowVersion:
        return await self._client.send(store(definition, fmt=fmt))

    async def apply(
        self, name: str, definition: Definition, *, fmt: Format | None = None
    ) -> WorkflowVersion:
        return await self._client.send(store(definition, name, fmt))

    async def diff(
        self, name: str, from_version: int, to_version: int | None = None
    ) -> VersionDiff:
        return await self._client.send(diff(name, from_version, to_version))

    async def export(self, name: str, version: int | None = None, *, fmt: Format = "yaml") -> str:
        return await self._client.send(export(name, version, fmt))
