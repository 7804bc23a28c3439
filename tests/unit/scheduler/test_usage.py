"""What AI operations spent is stored by the scheduler as it applies their results: per
operation run across its attempts, per run across its operations, each result once."""

from __future__ import annotations

from raikoo_common.messages import (
    ErrorInfo,
    OperationFailed,
    OperationSucceeded,
    OperationUsage,
    TokenUsage,
)
from raikoo_scheduler import engine
from tests.unit.scheduler._harness import Harness, definition


def spent(model: str, prompt: int, completion: int, cost: float | None) -> OperationUsage:
    call = TokenUsage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=prompt + completion,
        calls=1,
        cost=cost,
    )
    return OperationUsage(**call.model_dump(), by_model={model: call})


async def test_usage_adds_up_per_operation_over_attempts_and_per_run_once_each() -> None:
    h = await Harness.start(
        definition(
            {
                "a": {"uses": "ai.prompt", "retry": {"max_attempts": 2, "backoff": "1s"}},
                "b": {"uses": "ai.prompt"},
            }
        )
    )
    a1, b1 = sorted(h.take_dispatched(), key=lambda r: r.op_key)
    error = ErrorInfo(kind="error", message="503", where="a")
    failed = OperationFailed(
        op_run_id=a1.op_run_id,
        attempt=1,
        error=error,
        finished_at=h.unit.now,
        usage=spent("gpt-4o", 100, 0, 0.00025),
    )
    assert await engine.apply_result(h.unit, failed, h.leases)
    assert not await engine.apply_result(h.unit, failed, h.leases)  # a duplicate: not again
    await h.advance(5)
    (a2,) = h.take_dispatched()
    for ready, usage in ((a2, spent("gpt-4o", 100, 20, 0.00045)), (b1, spent("m", 5, 5, None))):
        done = OperationSucceeded(
            op_run_id=ready.op_run_id,
            attempt=ready.attempt,
            started_at=h.unit.now,
            finished_at=h.unit.now,
            usage=usage,
        )
        assert await engine.apply_result(h.unit, done, h.leases)
    a = next(op for op in h.unit.by_id.values() if op.key == "a")
    assert a.usage is not None
    assert (a.usage["total_tokens"], a.usage["calls"]) == (220, 2)
    assert a.usage["cost"] == 0.0007
    assert a.usage["by_model"]["gpt-4o"]["prompt_tokens"] == 200
    run = h.unit.run.usage
    assert run is not None
    assert (run["total_tokens"], run["calls"]) == (230, 3)
    assert run["cost"] is None  # one model's price is unknown: the total cost is too
    assert set(run["by_model"]) == {"gpt-4o", "m"}


async def test_the_calls_of_an_operation_cancelled_while_it_ran_count_once() -> None:
    h = await Harness.start(definition({"a": {"uses": "ai.prompt"}}))
    (a,) = h.take_dispatched()
    await engine.cancel(h.unit, "stopped by a test")
    assert h.state("a") == "cancelled"
    late = OperationFailed(
        op_run_id=a.op_run_id,
        attempt=1,
        error=ErrorInfo(kind="cancelled", message="cancelled while it ran", where="a"),
        finished_at=h.unit.now,
        usage=spent("gpt-4o", 40, 2, 0.00012),
    )
    assert not await engine.apply_result(h.unit, late, h.leases)  # nothing else applied
    assert not await engine.apply_result(h.unit, late, h.leases)  # redelivered
    assert h.state("a") == "cancelled"
    assert h.unit.run.usage is not None
    assert (h.unit.run.usage["total_tokens"], h.unit.run.usage["calls"]) == (42, 1)
