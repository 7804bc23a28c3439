"""The budget ledger port: what a runner reserves before a model call and settles after."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

BudgetPeriod = Literal["run", "month"]
BudgetUnit = Literal["tokens", "usd"]


@dataclass(frozen=True)
class ChargeScope:
    """Whose budgets a call draws on: its organization's, its project's, its run's."""

    org_id: uuid.UUID
    project_id: uuid.UUID
    run_id: uuid.UUID


@dataclass(frozen=True)
class Charge:
    """What a call spends (or is estimated to): tokens, and US dollars when the model's
    price is known."""

    tokens: int
    cost: float | None

    def amount(self, unit: BudgetUnit) -> float | None:
        return float(self.tokens) if unit == "tokens" else self.cost


@dataclass(frozen=True)
class Reservation:
    """An estimate held against budgets until it is settled. ``id`` is None when no
    budget applied: nothing was held, settling it does nothing."""

    id: uuid.UUID | None
    estimate: Charge


class BudgetExceeded(Exception):
    """A call's estimate does not fit a budget; the message names the budget."""

    def __init__(
        self, message: str, *, scope: str, period: BudgetPeriod, unit: BudgetUnit, limit: float
    ) -> None:
        super().__init__(message)
        self.scope, self.period, self.unit, self.limit = scope, period, unit, limit

    @classmethod
    def over(
        cls,
        *,
        scope: str,
        period: BudgetPeriod,
        unit: BudgetUnit,
        limit: float,
        used: float,
        reserved: float,
        estimate: float,
        window: str,
    ) -> BudgetExceeded:
        where = f"this run ({window})" if period == "run" else window
        return cls(
            f"the budget of {scope} ({_figure(limit, unit)} per {period}) would be exceeded: "
            f"{where} has used {_figure(used, unit)} and holds {_figure(reserved, unit)} "
            f"for calls under way; this call is estimated at {_figure(estimate, unit)}",
            scope=scope,
            period=period,
            unit=unit,
            limit=limit,
        )

    @classmethod
    def unpriced(cls, scope: str, period: BudgetPeriod, limit: float) -> BudgetExceeded:
        return cls(
            f"the budget of {scope} ({_figure(limit, 'usd')} per {period}) is in US dollars, "
            "and this call's model has no price: add it to RAIKOO_AI_PRICES",
            scope=scope,
            period=period,
            unit="usd",
            limit=limit,
        )


def _figure(value: float, unit: BudgetUnit) -> str:
    return f"{value:,.0f} tokens" if unit == "tokens" else f"${value:,.4f}"


def month_window(at: datetime) -> str:
    """The calendar month (UTC) a monthly budget counts in: ``2026-12``."""
    return f"{at.year:04d}-{at.month:02d}"


@dataclass(frozen=True)
class RateLimits:
    """A provider connection's limits shared by every ai-runner replica, per minute (as
    providers count them: a call's tokens are its prompt and its ``max_tokens``)."""

    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    concurrency: int | None = None
    """Calls in flight at once over the connection, all replicas together."""


class BudgetLedger(Protocol):
    async def reserve(self, scope: ChargeScope, estimate: Charge) -> Reservation:
        """Hold ``estimate`` against every budget that applies, all or none; raises
        ``BudgetExceeded`` naming the first budget it does not fit."""

    async def settle(self, reservation: Reservation, spent: Charge) -> None:
        """Replace the held estimate with what the call spent (zero for a call that
        failed with nothing reported). Settling twice changes nothing."""

    async def admit(self, connection: str, limits: RateLimits, tokens: int) -> float:
        """Count one request of ``tokens`` against the connection's limits in the current
        window: 0 when it may go now, else the seconds until the next window (nothing was
        counted; ask again then)."""

    async def take_slot(self, connection: str, limit: int, hold_seconds: float) -> uuid.UUID | None:
        """One of the connection's ``limit`` slots for a call in flight, or None when all
        are taken. A slot not given back within ``hold_seconds`` (its runner died) frees
        itself."""

    async def give_slot(self, slot: uuid.UUID) -> None: ...
