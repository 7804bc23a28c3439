"""Each provider call of an operation, held against its budgets: an estimate is reserved
before the call (the prompt's size, plus the completion it may write) and replaced by
what the provider reported after it; a call that fails with nothing reported releases
its hold, and one cut off by cancellation is charged its estimate (the provider may have
done the work; it reported nothing). Calls that do not fit a budget are never made
(``budget_exceeded``). With limits shared on its connection (``RAIKOO_AI_CONNECTION_LIMITS``)
a call also waits, holding its reservation, until the current minute has room for it."""

from __future__ import annotations

import asyncio
import math
import random
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson
import structlog

from raikoo_ai_runner.providers.prices import PriceTable
from raikoo_common.budgets import BudgetExceeded, BudgetLedger, Charge, ChargeScope, RateLimits
from raikoo_common.messages import TokenUsage
from raikoo_common.runner import OperationError

log = structlog.get_logger(__name__)

CHARS_PER_TOKEN = 4
"""OpenAI's rule of thumb for English text; the estimate only has to be close, since the
provider's figures replace it when the call returns."""
TOKENS_PER_MESSAGE = 4


@dataclass(frozen=True)
class Pace:
    """A connection (its fingerprint) and the per-minute limits all replicas share on it."""

    connection: str
    limits: RateLimits
    slot_seconds: float = 3600.0
    """How long a shared concurrency slot lasts if its runner never gives it back."""


class Spending:
    def __init__(
        self,
        ledger: BudgetLedger | None,
        scope: ChargeScope,
        prices: PriceTable,
        default_completion: int,
        pace: Pace | None = None,
    ) -> None:
        self._ledger = ledger
        self._scope = scope
        self._prices = prices
        self._default_completion = default_completion
        self._pace = pace

    def chat_estimate(self, params: dict[str, Any]) -> tuple[int, int]:
        """(prompt, completion) tokens a chat completion with ``params`` may spend."""
        messages = params.get("messages") or []
        prompt = text_tokens(orjson.dumps([messages, params.get("tools") or []]).decode())
        prompt += TOKENS_PER_MESSAGE * len(messages)
        limit = params.get("max_completion_tokens") or params.get("max_tokens")
        return prompt, int(limit) if limit else self._default_completion

    @asynccontextmanager
    async def call(
        self, model: str, prompt: int, completion: int
    ) -> AsyncIterator[list[TokenUsage]]:
        """Hold the estimate while the body makes the call; the body appends what the
        provider reported to the list it is given."""
        if self._ledger is None:
            yield []
            return
        price = self._prices.price(model)
        cost = price.cost(prompt, completion, 0) if price is not None else None
        try:
            reservation = await self._ledger.reserve(self._scope, Charge(prompt + completion, cost))
        except BudgetExceeded as exc:
            raise OperationError(str(exc), kind="budget_exceeded", retryable=False) from None
        except Exception as exc:
            raise unreachable(exc) from exc
        spent: list[TokenUsage] = []
        settled = Charge(0, 0.0)  # cut off before it was sent: it cost nothing
        slot: uuid.UUID | None = None
        try:
            await self._paced(prompt + completion)
            slot = await self._slot()
            settled = reservation.estimate  # cut off mid-call: it may have cost all of it
            yield spent
            settled = charged(spent)
        except asyncio.CancelledError:
            raise
        except BaseException:
            settled = charged(spent)  # a failed call: what was reported, else nothing
            raise
        finally:
            # Shielded: an operation cancelled while it settles still settles.
            # If the ledger cannot take them back, the call's outcome stands: a slot frees
            # itself when it expires, and a hold is then charged at its estimate.
            if slot is not None:
                try:
                    await asyncio.shield(self._ledger.give_slot(slot))
                except Exception:
                    log.warning("connection slot not given back", slot=str(slot), exc_info=True)
            try:
                await asyncio.shield(self._ledger.settle(reservation, settled))
            except Exception:
                log.warning(
                    "budget hold not settled", reservation=str(reservation.id), exc_info=True
                )

    async def _paced(self, tokens: int) -> None:
        """Wait until the connection's shared per-minute limits let the call go."""
        if self._ledger is None or self._pace is None:
            return
        while True:
            try:
                wait = await self._ledger.admit(self._pace.connection, self._pace.limits, tokens)
            except Exception as exc:
                raise unreachable(exc) from exc
            if wait <= 0:
                return
            # Jittered: the replicas that waited do not all ask at the same instant.
            await asyncio.sleep(wait + random.uniform(0, min(1.0, wait)))  # noqa: S311

    async def _slot(self) -> uuid.UUID | None:
        """Wait for one of the connection's shared concurrency slots (polling, with a
        backoff that grows to a second, jittered so waiting replicas spread out)."""
        if self._ledger is None or self._pace is None or self._pace.limits.concurrency is None:
            return None
        pace, wait = self._pace, 0.02
        while True:
            try:
                slot = await self._ledger.take_slot(
                    pace.connection, pace.limits.concurrency or 1, pace.slot_seconds
                )
            except Exception as exc:
                raise unreachable(exc) from exc
            if slot is not None:
                return slot
            await asyncio.sleep(wait * random.uniform(0.5, 1.5))  # noqa: S311
            wait = min(wait * 2, 1.0)


def unreachable(exc: Exception) -> OperationError:
    message = f"the budget ledger cannot be reached: {type(exc).__name__}: {exc}"
    return OperationError(message, kind="budget_unavailable")


def charged(spent: Sequence[TokenUsage]) -> Charge:
    tokens = sum(usage.total_tokens for usage in spent)
    costs = [usage.cost for usage in spent]
    return Charge(tokens, None if None in costs else sum(c for c in costs if c is not None))


def text_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)
