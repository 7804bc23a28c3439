"""Rate limits shared by gateway replicas through the database: two limiters over one
PostgreSQL database (two gateway processes, as far as the limits go) add up each other's
counts per key and per organization, and a refused request counts nowhere."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.db import create_engine
from raikoo_common.db.migrate import upgrade
from raikoo_gateway.auth.rate_limit import RateLimiter

pytestmark = pytest.mark.integration


@pytest.fixture
async def engine(make_postgres_database: Callable[[], str]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_postgres_database())
    await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


def _admitted(limiter: RateLimiter, limits: list[tuple[str, int]], times: int) -> int:
    return sum(limiter.admit(limits) is None for _ in range(times))


async def test_a_key_limit_counts_the_requests_of_every_replica(engine: AsyncEngine) -> None:
    first, second = RateLimiter(engine), RateLimiter(engine)
    key = [("key:k1", 8), ("org:o1", 1000)]
    assert _admitted(first, key, 5) == 5
    await first.sync()
    assert _admitted(second, key, 3) == 3  # under the limit as far as it knew
    await second.sync()  # learns the other replica's five
    retry_after = second.admit(key)
    assert retry_after is not None
    assert 1.0 <= retry_after <= 60.0
    # The first replica learns the total with its next shared count, then refuses too.
    assert _admitted(first, key, 1) == 1
    await first.sync()
    assert first.admit(key) is not None


async def test_an_organization_limit_counts_every_key_of_it(engine: AsyncEngine) -> None:
    first, second = RateLimiter(engine), RateLimiter(engine)
    alice = [("key:alice", 100), ("org:o2", 4)]
    bob = [("key:bob", 100), ("org:o2", 4)]
    other_org = [("key:carol", 100), ("org:o3", 4)]
    assert _admitted(first, alice, 2) == 2
    await first.sync()
    assert _admitted(second, bob, 2) == 2
    await second.sync()
    assert second.admit(bob) is not None, "the organization's four are used up"
    assert second.admit(other_org) is None, "another organization has its own count"


async def test_a_refused_request_counts_nowhere(engine: AsyncEngine) -> None:
    limiter = RateLimiter(engine)
    tight = [("key:k4", 1000), ("org:o4", 2)]
    assert _admitted(limiter, tight, 5) == 2
    await limiter.sync()
    # Only the two admitted were counted: the key's own count is 2, so a looser
    # organization elsewhere does not see the refused three against the key.
    roomy = [("key:k4", 3), ("org:o5", 1000)]
    assert _admitted(limiter, roomy, 2) == 1
