"""The budget ledger in the shared database: every runner replica (and, in embedded mode,
the one process) draws on the same rows.

A reservation holds a call's estimate against each budget that applies, in one
transaction: for each, one conditional UPDATE (``used + reserved + estimate <= limit``)
whose row lock serializes concurrent reservations on the same budget, so two replicas can
never both take the last of it. Budgets are taken in id order (no deadlock between two
reservations touching the same ones). If one does not fit, the transaction rolls back and
nothing is held. Settling deletes the reservation row and moves its amounts from
``reserved`` to ``used`` — the call's real figures — once: a second settle finds no row.
A reservation whose runner died is never settled; when it expires, a later reservation
charges its estimate (the call may have reached the provider, and nothing reported less).

The ledger also holds provider connections to limits shared by the replicas (``admit``,
``take_slot``: ``_provider_limits``).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.budgets import (
    BudgetExceeded,
    BudgetPeriod,
    BudgetUnit,
    Charge,
    ChargeScope,
    RateLimits,
    Reservation,
    month_window,
)
from raikoo_common.clock import utcnow
from raikoo_common.db import _provider_limits
from raikoo_common.db import tables as t

_b, _u, _r = t.budgets.c, t.budget_usage.c, t.budget_reservations.c


@dataclass(frozen=True)
class _Budget:
    id: uuid.UUID
    scope: str
    period: BudgetPeriod
    unit: BudgetUnit
    limit: float


class SqlBudgetLedger:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        hold_seconds: float = 3600.0,
        sweep_every: float = 30.0,
        window_seconds: int = 60,
        cache_seconds: float = 5.0,
    ) -> None:
        self._engine = engine
        self._cache_seconds = cache_seconds
        self._known: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, list[_Budget]]] = {}
        self._window = window_seconds
        self._hold = timedelta(seconds=hold_seconds)
        self._sweep_every = sweep_every
        self._swept = 0.0

    async def reserve(self, scope: ChargeScope, estimate: Charge) -> Reservation:
        budgets = await self._budgets(scope)
        if not budgets:
            return Reservation(None, estimate)
        if time.monotonic() - self._swept > self._sweep_every:
            self._swept = time.monotonic()
            await self.sweep()
        now = utcnow()
        holds: list[list[Any]] = []
        for budget in budgets:
            amount = estimate.amount(budget.unit)
            if amount is None:
                raise BudgetExceeded.unpriced(budget.scope, budget.period, budget.limit)
            holds.append([str(budget.id), _window(budget.period, scope, now), amount, budget.unit])
        reservation_id = uuid.uuid4()
        async with self._engine.begin() as conn:
            # The reservation row first: a budget's row lock, taken by the UPDATE below, is
            # then held only until the commit, however many budgets there are.
            await conn.execute(
                sa.insert(t.budget_reservations).values(
                    id=reservation_id,
                    org_id=scope.org_id,
                    holds=holds,
                    created_at=now,
                    expires_at=now + self._hold,
                )
            )
            for budget, (_, window, amount, _) in zip(budgets, holds, strict=True):
                if not await _hold(conn, budget, window, amount):
                    await _refuse(conn, budget, window, amount)
        return Reservation(reservation_id, estimate)

    async def settle(self, reservation: Reservation, spent: Charge) -> None:
        if reservation.id is None:
            return
        async with self._engine.begin() as conn:
            holds = await conn.scalar(
                sa.delete(t.budget_reservations).where(_r.id == reservation.id).returning(_r.holds)
            )
            if holds is None:
                return  # settled already, or expired and charged by a sweep
            for budget_id, window, held, unit in holds:
                amount = spent.amount(unit)
                await _move(conn, budget_id, window, held, held if amount is None else amount)

    async def sweep(self) -> int:
        """Charge the estimates of expired reservations (their runner died); how many."""
        async with self._engine.begin() as conn:
            expired = (
                await conn.execute(
                    sa.delete(t.budget_reservations)
                    .where(_r.expires_at < utcnow())
                    .returning(_r.holds)
                )
            ).all()
            for (holds,) in expired:
                for budget_id, window, held, _ in holds:
                    await _move(conn, budget_id, window, held, held)
        return len(expired)

    async def admit(self, connection: str, limits: RateLimits, tokens: int) -> float:
        return await _provider_limits.admit(self._engine, self._window, connection, limits, tokens)

    async def take_slot(self, connection: str, limit: int, hold_seconds: float) -> uuid.UUID | None:
        return await _provider_limits.take_slot(self._engine, connection, limit, hold_seconds)

    async def give_slot(self, slot: uuid.UUID) -> None:
        await _provider_limits.give_slot(self._engine, slot)

    async def _budgets(self, scope: ChargeScope) -> list[_Budget]:
        """The budgets that apply, read once every ``cache_seconds`` per project: a budget
        set or changed applies to calls from then on (their figures are never cached)."""
        key = (scope.org_id, scope.project_id)
        known = self._known.get(key)
        if known is not None and time.monotonic() - known[0] < self._cache_seconds:
            return known[1]
        if len(self._known) > 10_000:
            self._known.clear()
        found = await self._read_budgets(scope)
        self._known[key] = (time.monotonic(), found)
        return found

    async def _read_budgets(self, scope: ChargeScope) -> list[_Budget]:
        o, p = t.organizations.c, t.projects.c
        query = (
            sa.select(_b.id, _b.project_id, _b.period, _b.unit, _b.limit, o.slug, p.slug)
            .join(t.organizations, o.id == _b.org_id)
            .outerjoin(t.projects, p.id == _b.project_id)
            .where(
                _b.org_id == scope.org_id,
                sa.or_(_b.project_id.is_(None), _b.project_id == scope.project_id),
            )
            .order_by(_b.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            _Budget(
                id=row[0],
                scope=(f"organization {row[5]!r}" if row[1] is None else f"project {row[6]!r}"),
                period=cast("BudgetPeriod", row[2]),
                unit=cast("BudgetUnit", row[3]),
                limit=row[4],
            )
            for row in rows
        ]


def _window(period: BudgetPeriod, scope: ChargeScope, now: datetime) -> str:
    return str(scope.run_id) if period == "run" else month_window(now)


async def _hold(conn: AsyncConnection, budget: _Budget, window: str, amount: float) -> bool:
    """Add ``amount`` to the window's holds if it fits; False if it does not. The window's
    row is made by its first reservation (then the update runs again)."""
    hold = (
        sa.update(t.budget_usage)
        .where(
            _u.budget_id == budget.id,
            _u.window == window,
            _u.used + _u.reserved + amount <= budget.limit,
        )
        .values(reserved=_u.reserved + amount)
    )
    if (await conn.execute(hold)).rowcount:
        return True
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    # Made here, or by a reservation that raced this one (its insert committed first).
    await conn.execute(
        insert(t.budget_usage)
        .values(budget_id=budget.id, window=window, used=0.0, reserved=0.0)
        .on_conflict_do_nothing(index_elements=[_u.budget_id, _u.window])
    )
    return bool((await conn.execute(hold)).rowcount)


async def _refuse(conn: AsyncConnection, budget: _Budget, window: str, amount: float) -> None:
    row = (
        await conn.execute(
            sa.select(_u.used, _u.reserved).where(_u.budget_id == budget.id, _u.window == window)
        )
    ).one()
    raise BudgetExceeded.over(
        scope=budget.scope,
        period=budget.period,
        unit=budget.unit,
        limit=budget.limit,
        used=row.used,
        reserved=row.reserved,
        estimate=amount,
        window=window,
    )


async def _move(
    conn: AsyncConnection, budget_id: str, window: str, held: float, spent: float
) -> None:
    await conn.execute(
        sa.update(t.budget_usage)
        .where(_u.budget_id == uuid.UUID(budget_id), _u.window == window)
        .values(
            reserved=sa.func.max(_u.reserved - held, 0.0)
            if conn.dialect.name == "sqlite"
            else sa.func.greatest(_u.reserved - held, 0.0),
            used=_u.used + spent,
        )
    )
