"""Adding up what an operation's model calls spent, per model and in total."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from raikoo_ai_runner.providers.prices import PriceTable
from raikoo_common.messages import OperationUsage, TokenUsage
from raikoo_common.usage import combined


class UsageMeter:
    def __init__(self, prices: PriceTable) -> None:
        self._prices = prices
        self._by_model: dict[str, TokenUsage] = {}

    def add(self, model: str, usage: Any) -> TokenUsage:
        """Count one call (``usage``: the answer's ``usage`` member as a dict or as the
        SDK's object, or None when the provider reported none — the call still counts)."""
        counts = tokens_of(usage)
        price = self._prices.price(model)
        cost = (
            price.cost(
                counts["prompt_tokens"], counts["completion_tokens"], counts["cached_tokens"]
            )
            if price is not None
            else None
        )
        call = TokenUsage(**counts, calls=1, cost=cost)
        previous = self._by_model.get(model)
        self._by_model[model] = call if previous is None else combined(previous, call)
        return call

    def total(self) -> OperationUsage:
        total = TokenUsage()
        for usage in self._by_model.values():
            total = combined(total, usage) if total.calls else usage
        return OperationUsage(**total.model_dump(), by_model=dict(self._by_model))


def tokens_of(usage: Any) -> dict[str, int]:
    if usage is None:
        return dict.fromkeys(
            (
                "prompt_tokens",
                "completion_tokens",
                "cached_tokens",
                "reasoning_tokens",
                "total_tokens",
            ),
            0,
        )
    prompt = _count(usage, "prompt_tokens")
    completion = _count(usage, "completion_tokens")
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "cached_tokens": _count(_member(usage, "prompt_tokens_details"), "cached_tokens"),
        "reasoning_tokens": _count(_member(usage, "completion_tokens_details"), "reasoning_tokens"),
        "total_tokens": _count(usage, "total_tokens") or prompt + completion,
    }


def _member(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def _count(value: Any, name: str) -> int:
    found = _member(value, name)
    return int(found) if isinstance(found, int | float) and not isinstance(found, bool) else 0
