"""The budget ledger as ai-runners in separate processes reach it: the gateway's internal
ledger routes, which hold the figures in the shared database (``raikoo_common.db.budgets``).
Runners never touch the database themselves (DESIGN.md §2)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from raikoo_common.budgets.port import (
    BudgetExceeded,
    Charge,
    ChargeScope,
    RateLimits,
    Reservation,
)
from raikoo_common.net.service_client import service_client
from raikoo_common.settings import ServiceSettings

RESERVATIONS = "/internal/v1/budget-reservations"
ADMISSIONS = "/internal/v1/provider-admissions"
SLOTS = "/internal/v1/provider-slots"


class LedgerUnavailable(Exception):
    """The ledger did not answer, or answered with an error other than a refusal."""


class HttpBudgetLedger:
    def __init__(
        self, base_url: str, token: str, *, timeout: float = 10.0, cache_seconds: float = 5.0
    ) -> None:
        self._cache_seconds = cache_seconds
        self._unlimited: dict[tuple[uuid.UUID, uuid.UUID], float] = {}
        """Projects no budget applied to when last asked: their calls skip the round trip
        for ``cache_seconds`` (as long as the gateway's ledger caches which budgets apply)."""
        self._http = service_client(base_url, token, timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def reserve(self, scope: ChargeScope, estimate: Charge) -> Reservation:
        key = (scope.org_id, scope.project_id)
        asked = self._unlimited.get(key)
        if asked is not None and time.monotonic() - asked < self._cache_seconds:
            return Reservation(None, estimate)
        body = {
            "org_id": str(scope.org_id),
            "project_id": str(scope.project_id),
            "run_id": str(scope.run_id),
            **_charge(estimate),
        }
        response = await self._post(RESERVATIONS, body)
        if response.status_code == 409:
            problem = response.json()
            raise BudgetExceeded(
                problem["detail"],
                scope=problem["scope"],
                period=problem["period"],
                unit=problem["unit"],
                limit=problem["limit"],
            )
        _check(response)
        held = response.json()["id"]
        if held is None:
            if len(self._unlimited) > 10_000:
                self._unlimited.clear()
            self._unlimited[key] = time.monotonic()
            return Reservation(None, estimate)
        return Reservation(uuid.UUID(held), estimate)

    async def settle(self, reservation: Reservation, spent: Charge) -> None:
        if reservation.id is None:
            return
        _check(await self._post(f"{RESERVATIONS}/{reservation.id}/settle", _charge(spent)))

    async def admit(self, connection: str, limits: RateLimits, tokens: int) -> float:
        body = {
            "connection": connection,
            "requests_per_minute": limits.requests_per_minute,
            "tokens_per_minute": limits.tokens_per_minute,
            "tokens": tokens,
        }
        response = await self._post(ADMISSIONS, body)
        _check(response)
        return float(response.json()["wait_seconds"])

    async def take_slot(self, connection: str, limit: int, hold_seconds: float) -> uuid.UUID | None:
        body = {"connection": connection, "limit": limit, "hold_seconds": hold_seconds}
        response = await self._post(SLOTS, body)
        _check(response)
        slot = response.json()["id"]
        return None if slot is None else uuid.UUID(slot)

    async def give_slot(self, slot: uuid.UUID) -> None:
        _check(await self._post(f"{SLOTS}/{slot}/release", {}))

    async def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        try:
            return await self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            raise LedgerUnavailable(f"the budget ledger cannot be reached: {exc}") from exc


def budget_ledger_client(settings: ServiceSettings) -> HttpBudgetLedger | None:
    """The ledger client an ai-runner process uses; None when none is configured."""
    if not settings.budget_ledger_url:
        return None
    if settings.budget_ledger_token is None:
        raise ValueError("RAIKOO_BUDGET_LEDGER_URL is set but RAIKOO_BUDGET_LEDGER_TOKEN is not")
    return HttpBudgetLedger(
        settings.budget_ledger_url, settings.budget_ledger_token.get_secret_value()
    )


def _charge(charge: Charge) -> dict[str, Any]:
    return {"tokens": charge.tokens, "cost": charge.cost}


def _check(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise LedgerUnavailable(
            f"the budget ledger answered {response.status_code}: {response.text[:300]}"
        )
