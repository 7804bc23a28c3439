"""What model calls cost: a per-model price table (US dollars per million tokens).

The defaults are OpenAI's published list prices for common models (standard tier, as of
2025); operators override or extend them with ``RAIKOO_AI_PRICES``. A model not in the
table has no cost (``null``) rather than a guessed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    cached_input: float | None = None

    def cost(self, prompt: int, completion: int, cached: int) -> float:
        cached = min(cached, prompt)
        cached_rate = self.input if self.cached_input is None else self.cached_input
        return (
            (prompt - cached) * self.input + cached * cached_rate + completion * self.output
        ) / 1e6


DEFAULT_PRICES: dict[str, Price] = {
    "gpt-5": Price(1.25, 10.00, 0.125),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "o3": Price(2.00, 8.00, 0.50),
    "o3-mini": Price(1.10, 4.40, 0.55),
    "o4-mini": Price(1.10, 4.40, 0.275),
    "text-embedding-3-small": Price(0.02, 0.0),
    "text-embedding-3-large": Price(0.13, 0.0),
    "text-embedding-ada-002": Price(0.10, 0.0),
    "omni-moderation-latest": Price(0.0, 0.0),
}

_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


class PriceTable:
    def __init__(self, overrides: dict[str, tuple[float, float, float | None]]) -> None:
        self._prices = dict(DEFAULT_PRICES)
        self._prices.update({model: Price(*price) for model, price in overrides.items()})

    def price(self, model: str) -> Price | None:
        """The model's price; a dated snapshot (``gpt-4o-2024-08-06``) has its model's."""
        return self._prices.get(model) or self._prices.get(_SNAPSHOT.sub("", model))
