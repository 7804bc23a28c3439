"""Budgets hold in the shared database: concurrent ``ai.prompt`` operations reserve before
each call, so a budget that allows ten calls lets exactly ten reach the provider, on
PostgreSQL (what every ai-runner replica shares) and on SQLite (embedded mode). Settling
replaces the estimate with the provider's figures; a failed call gives its hold back."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_ai_runner import runtime
from raikoo_ai_runner.kinds.prompt import KIND as PROMPT
from raikoo_ai_runner.providers.budget import Spending
from raikoo_ai_runner.providers.prices import PriceTable
from raikoo_common.budgets import (
    BudgetExceeded,
    BudgetLedger,
    Charge,
    ChargeScope,
    RateLimits,
)
from raikoo_common.budgets.http_client import RESERVATIONS, HttpBudgetLedger
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.budgets import SqlBudgetLedger
from raikoo_common.db.engine import create_engine
from raikoo_common.db.migrate import upgrade
from raikoo_common.runner import OperationError
from tests._budget import WAIT_SECONDS
from tests._embedded import embedded_client
from tests.unit.ai._fake_openai import Answer, Fail, FakeOpenAI, fake_openai
from tests.unit.ai.conftest import Ran, ai_context

pytestmark = pytest.mark.integration

PROMPT_TEXT = "Say hi."
MAX_TOKENS = 100


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'budgets.db'}"
    else:
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        url = make()
    made = create_engine(url)
    await upgrade(made)
    yield made
    await made.dispose()


@dataclasses.dataclass(frozen=True)
class Tenant:
    org_id: uuid.UUID
    project_id: uuid.UUID


@pytest.fixture
async def tenant(engine: AsyncEngine) -> Tenant:
    org_id, project_id = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.organizations).values(
                id=org_id, slug="acme", name="Acme", created_at=utcnow()
            )
        )
        await conn.execute(
            sa.insert(t.projects).values(
                id=project_id, org_id=org_id, slug="support", name="Support", created_at=utcnow()
            )
        )
    return Tenant(org_id, project_id)


async def set_budget(
    engine: AsyncEngine,
    tenant: Tenant,
    limit: float,
    *,
    project: bool = True,
    period: str = "month",
    unit: str = "tokens",
) -> uuid.UUID:
    budget_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.budgets).values(
                id=budget_id,
                org_id=tenant.org_id,
                project_id=tenant.project_id if project else None,
                scope_key=str(tenant.project_id) if project else "org",
                period=period,
                unit=unit,
                limit=limit,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
    return budget_id


async def figures(engine: AsyncEngine, budget_id: uuid.UUID) -> list[tuple[float, float]]:
    u = t.budget_usage.c
    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(u.used, u.reserved).where(u.budget_id == budget_id))
        return [(row.used, row.reserved) for row in rows]


@pytest.fixture(autouse=True)
async def _ai_settings(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    monkeypatch.setenv("RAIKOO_AI_ALLOW_HOSTS", '["127.0.0.1"]')
    monkeypatch.setenv("RAIKOO_AI_RETRY_MAX_WAIT", "0.05")
    monkeypatch.delenv("RAIKOO_AI_PRICES", raising=False)
    runtime.reset()
    yield
    await runtime.close_clients()
    runtime.reset()


def estimate() -> int:
    """The tokens one call of ``ask`` reserves: what the runner estimates for its messages."""
    spending = Spending(None, ChargeScope(uuid.uuid4(), uuid.uuid4(), uuid.uuid4()), PRICES, 1)
    messages = [{"role": "user", "content": PROMPT_TEXT}]
    prompt, completion = spending.chat_estimate(
        {"model": "fake-model", "messages": messages, "max_tokens": MAX_TOKENS}
    )
    return prompt + completion


PRICES = PriceTable({})


async def ask(fake: FakeOpenAI, ledger: BudgetLedger, tenant: Tenant, run_id: uuid.UUID) -> Any:
    config = {
        "provider": {"kind": "compatible", "base_url": fake.base_url},
        "model": "fake-model",
        "prompt": PROMPT_TEXT,
        "max_tokens": MAX_TOKENS,
    }
    context = dataclasses.replace(
        ai_context(Ran()),
        org_id=tenant.org_id,
        project_id=tenant.project_id,
        run_id=run_id,
        budgets=ledger,
    )
    assert PROMPT.execute is not None
    return await PROMPT.execute(PROMPT.config.model_validate(config), context)


async def test_a_budget_for_ten_calls_lets_exactly_ten_of_a_hundred_reach_the_provider(
    engine: AsyncEngine, tenant: Tenant
) -> None:
    each = estimate()
    budget_id = await set_budget(engine, tenant, 10 * each)
    # The provider reports what the estimate held: after settling, nothing is left.
    reply = Answer("hi", prompt_tokens=each - 40, completion_tokens=40, delay=0.2)
    ledger = SqlBudgetLedger(engine)
    with fake_openai(default=reply) as fake:
        outcomes = await asyncio.gather(
            *(ask(fake, ledger, tenant, uuid.uuid4()) for _ in range(100)),
            return_exceptions=True,
        )
        calls = len(fake.chats())
    assert calls == 10
    refused = [o for o in outcomes if isinstance(o, OperationError)]
    assert len(refused) == 90
    assert {error.kind for error in refused} == {"budget_exceeded"}
    assert "the budget of project 'support'" in str(refused[0])
    assert f"{10 * each:,} tokens per month" in str(refused[0])
    assert sum(1 for o in outcomes if not isinstance(o, BaseException)) == 10
    assert await figures(engine, budget_id) == [(10.0 * each, 0.0)]


async def test_settling_charges_what_the_provider_reported_and_a_failed_call_nothing(
    engine: AsyncEngine, tenant: Tenant
) -> None:
    org_budget = await set_budget(engine, tenant, 1_000_000, project=False)
    run_budget = await set_budget(engine, tenant, 1_000_000, period="run")
    ledger = SqlBudgetLedger(engine)
    run_id = uuid.uuid4()
    with fake_openai(Answer("hi", prompt_tokens=12, completion_tokens=5), Fail(400)) as fake:
        output = await ask(fake, ledger, tenant, run_id)
        assert output.usage.total_tokens == 17
        with pytest.raises(OperationError) as failed:
            await ask(fake, ledger, tenant, run_id)
    assert failed.value.kind == "provider_error"
    assert await figures(engine, org_budget) == [(17.0, 0.0)]
    assert await figures(engine, run_budget) == [(17.0, 0.0)]
    async with engine.connect() as conn:
        assert await conn.scalar(sa.select(sa.func.count()).select_from(t.budget_reservations)) == 0


async def test_a_run_budget_counts_per_run(engine: AsyncEngine, tenant: Tenant) -> None:
    each = estimate()
    await set_budget(engine, tenant, each, period="run")
    ledger = SqlBudgetLedger(engine)
    first, second = uuid.uuid4(), uuid.uuid4()
    with fake_openai(default=Answer("hi", prompt_tokens=each - 1, completion_tokens=1)) as fake:
        await ask(fake, ledger, tenant, first)
        with pytest.raises(OperationError, match="per run") as refused:
            await ask(fake, ledger, tenant, first)
        await ask(fake, ledger, tenant, second)  # another run has its own
        assert len(fake.chats()) == 2
    assert str(first) in str(refused.value)


async def test_a_dollar_budget_needs_the_models_price(engine: AsyncEngine, tenant: Tenant) -> None:
    await set_budget(engine, tenant, 5.0, unit="usd", project=False)
    ledger = SqlBudgetLedger(engine)
    with fake_openai(default=Answer("hi")) as fake:
        with pytest.raises(OperationError, match="RAIKOO_AI_PRICES") as refused:
            await ask(fake, ledger, tenant, uuid.uuid4())
        assert fake.chats() == []
    assert "organization 'acme'" in str(refused.value)


async def test_an_expired_hold_is_charged_at_its_estimate_and_settles_once(
    engine: AsyncEngine, tenant: Tenant
) -> None:
    budget_id = await set_budget(engine, tenant, 1000)
    ledger = SqlBudgetLedger(engine, hold_seconds=-1)  # every hold is expired at once
    scope = ChargeScope(tenant.org_id, tenant.project_id, uuid.uuid4())
    held = await ledger.reserve(scope, Charge(300, None))
    assert await figures(engine, budget_id) == [(0.0, 300.0)]
    assert await ledger.sweep() == 1  # its runner died: the call may have been made
    assert await figures(engine, budget_id) == [(300.0, 0.0)]
    await ledger.settle(held, Charge(10, None))  # too late: charged already
    assert await figures(engine, budget_id) == [(300.0, 0.0)]
    with pytest.raises(BudgetExceeded, match="holds 0 tokens"):
        await ledger.reserve(scope, Charge(701, None))


LEDGER_TOKEN = "ledger-token-for-the-budget-tests"


async def test_runners_in_other_processes_reserve_through_the_gateways_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a distributed ai-runner does (``RAIKOO_BUDGET_LEDGER_URL``): the same exactly-ten
    through the gateway's internal ledger routes, which refuse any other caller."""
    monkeypatch.setenv("RAIKOO_BUDGET_LEDGER_TOKEN", LEDGER_TOKEN)
    async with embedded_client(tmp_path) as (raikoo, http):
        assert raikoo.gateway is not None
        own = raikoo.gateway.context.tenant
        assert own is not None
        each = estimate()
        body = {"period": "month", "unit": "tokens", "limit": 10 * each}
        assert (await http.put("/v1/budgets", json=body)).status_code == 200
        # An API key, even the owner's, is not a service.
        refused = await http.post(RESERVATIONS, json={"tokens": 1})
        assert refused.status_code == 401
        ledger = HttpBudgetLedger(raikoo.base_url, LEDGER_TOKEN)
        reply = Answer("hi", prompt_tokens=each - 40, completion_tokens=40, delay=0.2)
        try:
            with fake_openai(default=reply) as fake:
                outcomes = await asyncio.gather(
                    *(
                        ask(fake, ledger, Tenant(own.org_id, own.project_id), uuid.uuid4())
                        for _ in range(100)
                    ),
                    return_exceptions=True,
                )
                assert len(fake.chats()) == 10
        finally:
            await ledger.close()
        kinds = [o.kind for o in outcomes if isinstance(o, OperationError)]
        assert kinds == ["budget_exceeded"] * 90, outcomes
        listed = (await http.get("/v1/budgets")).json()["items"]
        assert [(b["used"], b["reserved"]) for b in listed] == [(10.0 * each, 0.0)]


async def test_a_call_cut_off_by_cancellation_is_charged_its_estimate(
    engine: AsyncEngine, tenant: Tenant
) -> None:
    budget_id = await set_budget(engine, tenant, 1_000_000)
    ledger = SqlBudgetLedger(engine)
    with fake_openai(default=Answer("slow", delay=30)) as fake:
        task = asyncio.create_task(ask(fake, ledger, tenant, uuid.uuid4()))
        async with asyncio.timeout(WAIT_SECONDS):
            while not fake.chats():  # noqa: ASYNC110 - the fake server (a thread) has no event
                await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    # The provider may have done the work and reported nothing: the estimate is charged.
    assert await figures(engine, budget_id) == [(float(estimate()), 0.0)]


async def test_replicas_share_a_connections_requests_and_tokens_per_minute(
    engine: AsyncEngine,
) -> None:
    replicas = [SqlBudgetLedger(engine), SqlBudgetLedger(engine)]
    per_minute = RateLimits(requests_per_minute=10)
    waits = await asyncio.gather(
        *(replicas[n % 2].admit("conn-a", per_minute, 100) for n in range(30))
    )
    assert sum(1 for wait in waits if wait == 0) == 10
    assert all(0 < wait <= 60 for wait in waits if wait)
    tokens = RateLimits(tokens_per_minute=1000)
    waits = await asyncio.gather(*(replicas[n % 2].admit("conn-b", tokens, 300) for n in range(9)))
    assert sum(1 for wait in waits if wait == 0) == 3  # 900 of 1,000 tokens
    big = await replicas[0].admit("conn-c", tokens, 5000)  # alone in its window, it goes
    assert big == 0


async def test_calls_wait_for_the_connections_next_window_instead_of_exceeding_it(
    engine: AsyncEngine, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = SqlBudgetLedger(engine, window_seconds=1)  # a "minute" of one second
    with fake_openai(default=Answer("hi")) as fake:
        host = fake.base_url.split("/")[2]
        monkeypatch.setenv(
            "RAIKOO_AI_CONNECTION_LIMITS", f'{{"{host}": {{"requests_per_minute": 2}}}}'
        )
        runtime.reset()
        outputs = await asyncio.gather(*(ask(fake, ledger, tenant, uuid.uuid4()) for _ in range(5)))
        assert len(fake.chats()) == 5
    assert [output.text for output in outputs] == ["hi"] * 5
    w = t.provider_windows.c
    async with engine.connect() as conn:
        counts = (await conn.execute(sa.select(w.requests).where(w.requests > 0))).scalars().all()
    assert max(counts) <= 2  # never more than the limit in one window


async def test_replicas_share_a_connections_concurrency_slots(engine: AsyncEngine) -> None:
    replicas = [SqlBudgetLedger(engine), SqlBudgetLedger(engine)]
    slots = await asyncio.gather(*(replicas[n % 2].take_slot("conn-a", 3, 60) for n in range(10)))
    taken = [slot for slot in slots if slot is not None]
    assert len(taken) == 3
    assert await replicas[0].take_slot("conn-a", 3, 60) is None
    await replicas[1].give_slot(taken[0])
    assert await replicas[0].take_slot("conn-a", 3, 60) is not None
    # A slot its runner never gave back frees itself when it expires.
    dead = await replicas[0].take_slot("conn-b", 1, -1)
    assert dead is not None
    assert await replicas[1].take_slot("conn-b", 1, 60) is not None


async def test_calls_beyond_the_shared_concurrency_wait_for_a_slot(
    engine: AsyncEngine, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = SqlBudgetLedger(engine)
    with fake_openai(default=Answer("hi", delay=0.2)) as fake:
        host = fake.base_url.split("/")[2]
        limits = f'{{"{host}": {{"concurrency": 2}}}}'
        monkeypatch.setenv("RAIKOO_AI_CONNECTION_LIMITS", limits)
        runtime.reset()
        outputs = await asyncio.gather(*(ask(fake, ledger, tenant, uuid.uuid4()) for _ in range(6)))
        assert len(fake.chats()) == 6
        assert fake.most_at_once <= 2
    assert [output.text for output in outputs] == ["hi"] * 6
    async with engine.connect() as conn:  # every slot was given back
        assert await conn.scalar(sa.select(sa.func.count()).select_from(t.provider_slots)) == 0
