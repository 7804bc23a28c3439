"""One pooled ``AsyncOpenAI`` client per provider connection, and its concurrency limit.

Clients are kept by the connection's fingerprint (identity and credentials: a rotated key
gets a new client) and the allow list they were built with, at most
``ai_client_cache_size`` of them; the least recently used is closed once no call holds it.
Every client's HTTP goes through the SSRF guard (``_egress``).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx

from raikoo_ai_runner.providers.connection import Connection
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.net import AllowList, EgressGuard
from raikoo_common.runner import OperationError

if TYPE_CHECKING:
    from openai import AsyncOpenAI

AZURE_API_VERSION = "2024-10-21"
AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"


@dataclass
class _Entry:
    client: AsyncOpenAI
    limit: asyncio.Semaphore
    users: int = 0
    evicted: bool = False


@dataclass(frozen=True)
class Lease:
    client: AsyncOpenAI
    limit: asyncio.Semaphore


@dataclass
class ClientPool:
    settings: AiRunnerSettings
    _entries: OrderedDict[tuple[str, tuple[str, ...]], _Entry] = field(default_factory=OrderedDict)
    _closing: set[asyncio.Task[None]] = field(default_factory=set)

    @contextlib.asynccontextmanager
    async def lease(self, connection: Connection, org_id: uuid.UUID) -> AsyncIterator[Lease]:
        """The client for ``connection``, held until the block ends."""
        entries = self._allow_entries(connection, org_id)
        key = (connection.fingerprint(), tuple(entries))
        if key not in self._entries:
            await sdk_loaded()
        # Looked up after the wait: operations that started together share one client
        # (each building its own would leave all but the last unclosed).
        entry = self._entries.get(key)
        if entry is None:
            client = build_client(connection, AllowList(entries), self.settings)
            entry = _Entry(client, asyncio.Semaphore(self.settings.ai_connection_concurrency))
            self._entries[key] = entry
            self._evict()
        else:
            self._entries.move_to_end(key)
        entry.users += 1
        try:
            yield Lease(entry.client, entry.limit)
        finally:
            entry.users -= 1
            if entry.evicted and entry.users == 0:
                self._close_later(entry)

    async def close(self) -> None:
        for entry in self._entries.values():
            await entry.client.close()
        self._entries.clear()
        for task in list(self._closing):
            await task

    def _allow_entries(self, connection: Connection, org_id: uuid.UUID) -> list[str]:
        entries = [*self.settings.ai_allow_hosts, *self.settings.ai_org_allow_hosts.get(org_id, [])]
        if connection.default:
            # The operator chose this endpoint (a local Ollama, an internal gateway): it is
            # reachable without also listing it.
            url = connection.config.azure_endpoint or connection.config.base_url
            if url:
                parsed = httpx.URL(url)
                entries.append(f"{parsed.host}:{parsed.port or _default_port(parsed.scheme)}")
        return entries

    def _evict(self) -> None:
        while len(self._entries) > self.settings.ai_client_cache_size:
            _, entry = self._entries.popitem(last=False)
            entry.evicted = True
            if entry.users == 0:
                self._close_later(entry)

    def _close_later(self, entry: _Entry) -> None:
        task = asyncio.get_running_loop().create_task(entry.client.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)


_loaded: list[bool] = []


async def sdk_loaded() -> None:
    """Import the SDKs off the event loop, once: the first import takes from a few hundred
    milliseconds to seconds, which would stall every other operation of the runner."""
    if not _loaded:
        await asyncio.to_thread(_import_sdks)
        _loaded.append(True)


def _import_sdks() -> None:
    import httpx2  # noqa: F401
    import openai
    import openai.types.chat  # noqa: F401


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def build_client(
    connection: Connection, allow: AllowList, settings: AiRunnerSettings
) -> AsyncOpenAI:
    """An SDK client that reads nothing from the process environment: every value it would
    otherwise take from ``OPENAI_*`` variables is given (an operator's variables must not
    reach a tenant's endpoint)."""
    import httpx2
    from openai import AsyncAzureOpenAI, AsyncOpenAI

    from raikoo_ai_runner.providers._egress import Guarded2Transport

    config = connection.config
    http = httpx2.AsyncClient(
        transport=Guarded2Transport(
            EgressGuard(allow), max_connections=settings.ai_connection_concurrency
        ),
        trust_env=False,
        follow_redirects=False,
        timeout=httpx2.Timeout(settings.ai_request_timeout, connect=10.0),
    )
    common: dict[str, Any] = {
        "max_retries": 0,  # retries are ours (``calls``): explicit, logged, Retry-After honoured
        "http_client": http,
        "default_headers": dict(config.headers),
        "organization": config.organization,
        "project": config.project,
        "webhook_secret": "",
        "admin_api_key": None,
    }
    client: AsyncOpenAI
    if config.kind == "azure":
        auth: dict[str, Any] = (
            {"azure_ad_token_provider": _entra_token_provider(connection, settings)}
            if config.auth == "entra"
            else {"api_key": _required_key(connection)}
        )
        endpoint = (
            {"azure_endpoint": config.azure_endpoint}
            if config.azure_endpoint
            else {"base_url": config.base_url}
        )
        client = AsyncAzureOpenAI(
            **endpoint,
            azure_deployment=config.deployment,
            api_version=config.api_version or AZURE_API_VERSION,
            **auth,
            **common,
        )
    else:
        # A compatible server often needs no key, but the SDK sends one: any placeholder.
        key = config.api_key or ("unused" if config.kind == "compatible" else None)
        client = AsyncOpenAI(
            api_key=key if key is not None else _required_key(connection),
            base_url=config.base_url or "https://api.openai.com/v1",
            **common,
        )
    client.organization, client.project = config.organization, config.project
    client.admin_api_key = None
    return client


def _required_key(connection: Connection) -> str:
    if not connection.config.api_key:
        message = f"the {connection.label} needs an api_key (e.g. '{{{{ secrets.OPENAI_KEY }}}}')"
        raise OperationError(message, kind="invalid_config", retryable=False)
    return connection.config.api_key


def _entra_token_provider(connection: Connection, settings: AiRunnerSettings) -> Any:
    endpoint = connection.config.azure_endpoint or connection.config.base_url or ""
    host = httpx.URL(endpoint).host
    if not connection.default and host not in settings.ai_entra_endpoints:
        message = (
            f"auth: entra uses the runner's own identity; {host} is not an endpoint the "
            "operator allows it for (RAIKOO_AI_ENTRA_ENDPOINTS)"
        )
        raise OperationError(message, kind="invalid_config", retryable=False)
    return _token_provider()


@cache
def _token_provider() -> Any:
    from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider

    return get_bearer_token_provider(DefaultAzureCredential(), AZURE_SCOPE)
