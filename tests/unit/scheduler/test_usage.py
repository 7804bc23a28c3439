"""What AI operations spent is stored by the scheduler as runners report it (after calls
and on results): per operation run across its attempts and executions, per run across its
operations, each call once."""

from __future__ import annotations

import uuid

import pytest

from raikoo_common.messages import (
    ErrorInfo,
    OperationFailed,
    OperationHeartbeat,
    OperationReady,
    OperationSucceeded,
    OperationUsage,
    TokenUsage,
)
from raikoo_common.usage import increase
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


def running_total(calls: int) -> OperationUsage:
    """An execution's total after ``calls`` calls of 10 + 2 tokens each."""
    call = TokenUsage(
        prompt_tokens=10 * calls,
        completion_tokens=2 * calls,
        total_tokens=12 * calls,
        calls=calls,
        cost=0.001 * calls,
    )
    return OperationUsage(**call.model_dump(), by_model={"gpt-4o": call})


def report(
    h: Harness, ready: OperationReady, execution: uuid.UUID, calls: int
) -> OperationHeartbeat:
    """A runner's report of an execution's running total after ``calls`` calls."""
    return OperationHeartbeat(
        op_run_id=ready.op_run_id,
        attempt=ready.attempt,
        started_at=h.unit.now,
        usage=running_total(calls),
        execution=execution,
    )


def succeeded(
    h: Harness, ready: OperationReady, execution: uuid.UUID, calls: int
) -> OperationSucceeded:
    """An execution's result, with its total after ``calls`` calls."""
    return OperationSucceeded(
        op_run_id=ready.op_run_id,
        attempt=ready.attempt,
        started_at=h.unit.now,
        finished_at=h.unit.now,
        usage=running_total(calls),
        execution=execution,
    )


async def test_the_calls_of_a_killed_execution_count_beside_those_of_the_one_after() -> None:
    """A runner reports its running total after each call (a heartbeat); it is killed, the
    message goes to another runner, which runs the same attempt again as a new execution.
    Both executions' calls count, each once, however their reports arrive."""
    h = await Harness.start(definition({"a": {"uses": "ai.prompt"}, "b": {"uses": "noop"}}))
    a = next(r for r in h.take_dispatched() if r.op_key == "a")
    killed, again = uuid.uuid4(), uuid.uuid4()
    await engine.heartbeat(h.unit, report(h, a, killed, 1), h.leases)
    await engine.heartbeat(h.unit, report(h, a, killed, 2), h.leases)
    await engine.heartbeat(h.unit, report(h, a, killed, 1), h.leases)  # passed by the later
    await engine.heartbeat(h.unit, report(h, a, again, 1), h.leases)
    done = succeeded(h, a, again, 3)
    assert await engine.apply_result(h.unit, done, h.leases)
    assert not await engine.apply_result(h.unit, done, h.leases)  # redelivered
    await engine.heartbeat(h.unit, report(h, a, again, 2), h.leases)  # the result passed it
    op = next(op for op in h.unit.by_id.values() if op.key == "a")
    assert op.usage is not None
    assert (op.usage["calls"], op.usage["total_tokens"]) == (5, 60)
    assert op.usage["by_model"]["gpt-4o"]["prompt_tokens"] == 50
    assert op.usage["cost"] == pytest.approx(0.005)
    assert h.unit.run.usage is not None
    assert (h.unit.run.usage["calls"], h.unit.run.usage["total_tokens"]) == (5, 60)
    assert h.state("a") == "succeeded"


async def test_a_report_that_arrives_after_the_operation_finished_still_counts() -> None:
    h = await Harness.start(definition({"a": {"uses": "ai.prompt"}}))
    (a,) = h.take_dispatched()
    done = succeeded(h, a, uuid.uuid4(), 1)
    assert await engine.apply_result(h.unit, done, h.leases)
    killed = report(h, a, uuid.uuid4(), 2)  # an earlier execution's report, late
    await engine.heartbeat(h.unit, killed, h.leases)
    assert h.unit.run.usage is not None
    assert h.unit.run.usage["calls"] == 3
    assert h.state("a") == "succeeded"


def test_a_total_adds_only_what_it_has_more_than_the_one_counted() -> None:
    counted = running_total(2).model_dump(mode="json")
    assert increase(None, running_total(1)) == running_total(1)
    assert increase(counted, running_total(2)) is None
    assert increase(counted, running_total(1)) is None
    more = increase(counted, running_total(5))
    assert more is not None
    assert (more.calls, more.prompt_tokens, more.by_model["gpt-4o"].calls) == (3, 30, 3)
