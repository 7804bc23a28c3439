"""Adding up what model calls spent: per call into an operation, per attempt into its
operation run, per operation into its run."""

from __future__ import annotations

from typing import Any

from raikoo_common.messages import OperationUsage, TokenUsage


def combined(a: TokenUsage, b: TokenUsage) -> TokenUsage:
    return TokenUsage(
        prompt_tokens=a.prompt_tokens + b.prompt_tokens,
        completion_tokens=a.completion_tokens + b.completion_tokens,
        cached_tokens=a.cached_tokens + b.cached_tokens,
        reasoning_tokens=a.reasoning_tokens + b.reasoning_tokens,
        total_tokens=a.total_tokens + b.total_tokens,
        calls=a.calls + b.calls,
        cost=None if a.cost is None or b.cost is None else a.cost + b.cost,
    )


def added(stored: dict[str, Any] | None, usage: OperationUsage) -> dict[str, Any]:
    """``stored`` (an OperationUsage as JSON, or None) plus ``usage``, as JSON."""
    if stored is None:
        return usage.model_dump(mode="json")
    before = OperationUsage.model_validate(stored)
    by_model = dict(before.by_model)
    for model, spent in usage.by_model.items():
        known = by_model.get(model)
        by_model[model] = spent if known is None else combined(known, spent)
    total = combined(before, usage) if before.calls else usage
    fields = TokenUsage.model_fields
    return OperationUsage(
        **{name: getattr(total, name) for name in fields}, by_model=by_model
    ).model_dump(mode="json")


def increase(before: dict[str, Any] | None, after: OperationUsage) -> OperationUsage | None:
    """What ``after`` (an execution's running total) adds to ``before`` (its total counted
    so far, as JSON), or None when it adds nothing: totals only grow, so an older total
    arriving late (messages may pass each other) is not counted again."""
    if before is None:
        return after
    counted = OperationUsage.model_validate(before)
    if after.calls <= counted.calls and after.total_tokens <= counted.total_tokens:
        return None
    by_model = {}
    for model, spent in after.by_model.items():
        known = counted.by_model.get(model)
        by_model[model] = spent if known is None else _minus(spent, known)
    total = _minus(after, counted)
    fields = TokenUsage.model_fields
    return OperationUsage(**{name: getattr(total, name) for name in fields}, by_model=by_model)


def _minus(a: TokenUsage, b: TokenUsage) -> TokenUsage:
    """``a`` less ``b``, where ``a`` is a later total of the same calls (never below 0)."""
    return TokenUsage(
        prompt_tokens=max(0, a.prompt_tokens - b.prompt_tokens),
        completion_tokens=max(0, a.completion_tokens - b.completion_tokens),
        cached_tokens=max(0, a.cached_tokens - b.cached_tokens),
        reasoning_tokens=max(0, a.reasoning_tokens - b.reasoning_tokens),
        total_tokens=max(0, a.total_tokens - b.total_tokens),
        calls=max(0, a.calls - b.calls),
        cost=None if a.cost is None or b.cost is None else max(0.0, a.cost - b.cost),
    )
