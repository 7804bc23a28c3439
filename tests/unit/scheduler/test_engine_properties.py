"""Random DAGs with random failures and retries, results delivered in random order with
duplicates: every run terminates, nothing starts before its needs succeeded, every result
is applied exactly once, and max_parallel is never exceeded."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.scheduler._harness import Harness, definition


@st.composite
def workflows(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, int], int]:
    size = draw(st.integers(min_value=1, max_value=200))
    operations: dict[str, Any] = {}
    failures: dict[str, int] = {}
    for i in range(size):
        key = f"op{i}"
        needs = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        attempts = draw(st.integers(1, 3))
        operations[key] = {
            "uses": "noop",
            "needs": [f"op{j}" for j in needs],
            "retry": {"max_attempts": attempts, "backoff": draw(st.sampled_from([0, 1, 5]))},
        }
        failures[key] = draw(st.integers(0, 3))
    return operations, failures, draw(st.integers(1, 20))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workflows(), st.randoms(use_true_random=False))
async def test_random_dags_terminate_in_order_with_single_application(
    case: tuple[dict[str, Any], dict[str, int], int], rng: random.Random
) -> None:
    operations, failures, max_parallel = case
    h = await Harness.start(definition(operations, settings={"max_parallel": max_parallel}))
    states = {op.key: op for op in h.unit.by_id.values()}
    failed_so_far: Counter[str] = Counter()
    applied: Counter[tuple[str, int]] = Counter()
    in_flight: list[Any] = []
    for _ in range(100_000):
        for ready in h.take_dispatched():
            unmet = [d for d in operations[ready.op_key]["needs"] if states[d].state != "succeeded"]
            assert not unmet, f"{ready.op_key} dispatched before {unmet} succeeded"
            in_flight.append(ready)
        active = sum(1 for op in states.values() if op.is_active)
        assert active <= max_parallel
        assert active == h.unit.run.active_ops
        if h.unit.run.is_terminal:
            break
        if not in_flight:
            due = [op.next_attempt_at for op in states.values() if op.state == "retrying"]
            assert due, "run is stuck: nothing in flight and nothing to retry"
            await h.advance(max(0.0, (min(d for d in due if d) - h.unit.now).total_seconds()))
            continue
        ready = in_flight.pop(rng.randrange(len(in_flight)))
        key = ready.op_key
        if failed_so_far[key] < failures[key]:
            ok = await h.fail(ready)
            failed_so_far[key] += ok
        else:
            ok = await h.succeed(ready)
        if ok:
            applied[(key, ready.attempt)] += 1
        if rng.random() < 0.2:  # at-least-once delivery: the same result again
            assert not await (h.succeed(ready) if rng.random() < 0.5 else h.fail(ready))
    else:
        raise AssertionError("run did not terminate")

    assert all(count == 1 for count in applied.values())
    assert all(op.is_terminal for op in states.values())
    for key, spec in operations.items():
        gave_up = failures[key] >= spec["retry"]["max_attempts"]
        needs_ok = all(states[d].state == "succeeded" for d in spec["needs"])
        expected = ("failed" if gave_up else "succeeded") if needs_ok else "skipped"
        assert states[key].state == expected, key
    any_failed = any(op.state == "failed" for op in states.values())
    assert h.unit.run.state == ("failed" if any_failed else "succeeded")
