"""What the AI kinds share within a process: settings, prices, and one client pool per event
loop (a client's connections and a semaphore belong to the loop they were made on; tests
and embedded instances start several)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import urlsplit

from raikoo_ai_runner.providers.budget import Pace, Spending
from raikoo_ai_runner.providers.calls import Provider
from raikoo_ai_runner.providers.connection import Connection
from raikoo_ai_runner.providers.pool import ClientPool
from raikoo_ai_runner.providers.prices import PriceTable
from raikoo_ai_runner.providers.usage import UsageMeter
from raikoo_ai_runner.settings import AiRunnerSettings, current_settings
from raikoo_common.budgets import ChargeScope, RateLimits
from raikoo_common.runner import OperationContext

_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ClientPool] = (
    weakref.WeakKeyDictionary()
)


def client_pool() -> ClientPool:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        pool = _pools[loop] = ClientPool(current_settings())
    return pool


@asynccontextmanager
async def provider_for(
    connection: Connection, context: OperationContext, meter: UsageMeter
) -> AsyncIterator[Provider]:
    """The operation's calls over ``connection``, each reported to the executor as spent."""
    settings = current_settings()
    spending = Spending(
        context.budgets,
        ChargeScope(context.org_id, context.project_id, context.run_id),
        price_table(),
        settings.ai_budget_completion_estimate,
        _pace(connection, settings),
    )
    async with client_pool().lease(connection, context.org_id) as lease:
        yield Provider(
            lease,
            connection,
            settings,
            meter,
            context.log,
            lambda: context.record_usage(meter.total()),
            spending,
        )


def _pace(connection: Connection, settings: AiRunnerSettings) -> Pace | None:
    config = connection.config
    url = config.azure_endpoint or config.base_url or "https://api.openai.com/v1"
    shared = settings.ai_connection_limits.get(urlsplit(url).netloc)
    if shared is None:
        return None
    limits = RateLimits(shared.requests_per_minute, shared.tokens_per_minute, shared.concurrency)
    # A slot outlives the longest call and its retries; a dead runner's frees itself then.
    hold = settings.ai_request_timeout * (settings.ai_max_retries + 1) + settings.ai_retry_max_wait
    return Pace(connection.fingerprint(), limits, hold)


@cache
def price_table() -> PriceTable:
    return PriceTable(current_settings().ai_prices)


async def close_clients() -> None:
    """Close this event loop's provider clients (a process, or an embedded instance, that
    stops; a test that ends)."""
    pool = _pools.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()


def reset() -> None:
    """Forget settings-derived state (tests that change the environment)."""
    current_settings.cache_clear()
    price_table.cache_clear()
