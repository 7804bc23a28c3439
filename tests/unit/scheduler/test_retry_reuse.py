"""Retry from failure, decided by the engine: a retry reuses the results of what succeeded
(and whose needs were reused) and dispatches only what failed and what depends on it."""

from typing import Any

from raikoo_common.messages import OperationStateChanged
from tests.unit.scheduler._harness import Harness, definition

DIAMOND = {
    "fetch": {"uses": "set", "with": {"v": 1}},
    "left": {"uses": "set", "needs": ["fetch"], "with": {"v": "{{ ops.fetch.output.v }}"}},
    "right": {"uses": "set", "needs": ["fetch"]},
    "after_right": {"uses": "set", "needs": ["right"]},
    "join": {"uses": "set", "needs": ["left", "after_right"]},
    "alone": {"uses": "set"},
}


async def _failed_run(defn: Any, failing: str) -> Harness:
    """A run of ``defn`` where ``failing`` fails and everything else dispatched succeeds."""
    h = await Harness.start(defn)
    while batch := h.take_dispatched():
        for ready in batch:
            if ready.op_key == failing:
                await h.fail(ready, retryable=False)
            else:
                await h.succeed(ready, {"v": ready.op_key})
    assert h.unit.run.state == "failed"
    return h


async def test_a_retry_dispatches_only_the_failed_operation_and_its_dependents() -> None:
    defn = definition(DIAMOND, outputs={"left": "{{ ops.left.output.v }}"})
    first = await _failed_run(defn, "right")
    assert first.state("after_right") == "skipped"
    assert first.state("join") == "skipped"

    retry = await Harness.start(defn, original=list(first.unit.by_id.values()))
    executed: list[str] = []
    while batch := retry.take_dispatched():
        for ready in batch:
            executed.append(ready.op_key)
            await retry.succeed(ready, {"v": ready.op_key})
    assert executed == ["right", "after_right", "join"]
    assert retry.unit.run.state == "succeeded"
    assert retry.unit.run.outputs == {"left": "left"}, "a reused output feeds the outputs"
    originals = {op.key: op for op in first.unit.by_id.values()}
    for op in retry.unit.by_id.values():
        if op.key in ("fetch", "left", "alone"):
            assert op.reused_from == originals[op.key].id
            assert op.output == originals[op.key].output
        else:
            assert op.reused_from is None
    assert retry.unit.run.ops_done == retry.unit.run.ops_total == len(DIAMOND)


async def test_a_retry_of_a_retry_links_to_the_operation_run_that_produced_the_result() -> None:
    defn = definition(DIAMOND)
    first = await _failed_run(defn, "right")
    second = await Harness.start(defn, original=list(first.unit.by_id.values()))
    while batch := second.take_dispatched():
        for ready in batch:
            if ready.op_key == "after_right":
                await second.fail(ready, retryable=False)
            else:
                await second.succeed(ready, {"v": ready.op_key})
    assert second.unit.run.state == "failed"
    third = await Harness.start(defn, original=list(second.unit.by_id.values()))
    assert [r.op_key for r in third.take_dispatched()] == ["after_right"]
    fetch = {op.key: op for op in first.unit.by_id.values()}["fetch"]
    [reused] = [op for op in third.unit.by_id.values() if op.key == "fetch"]
    assert reused.reused_from == fetch.id


async def test_reused_operations_are_recorded_as_events_of_the_retry() -> None:
    defn = definition(DIAMOND)
    first = await _failed_run(defn, "join")
    retry = await Harness.start(defn, original=list(first.unit.by_id.values()))
    reused = [
        e.op_key
        for e in retry.unit.events
        if isinstance(e, OperationStateChanged) and e.state == "succeeded"
    ]
    assert sorted(reused) == ["after_right", "alone", "fetch", "left", "right"]
    assert [r.op_key for r in retry.take_dispatched()] == ["join"]


async def test_an_untaken_branch_stays_skipped_and_a_failed_loop_runs_again_whole() -> None:
    defn = definition(
        {
            "check": {
                "uses": "if",
                "with": {"condition": "{{ true }}"},
                "then": ["yes"],
                "else": ["nope"],
            },
            "yes": {"uses": "set"},
            "nope": {"uses": "set"},
            "each": {
                "uses": "foreach",
                "with": {"items": [1, 2, 3]},
                "do": {"uses": "set", "with": {"x": "{{ item }}"}},
            },
        },
    )
    first = await Harness.start(defn)
    while batch := first.take_dispatched():
        for ready in batch:
            if ready.op_key == "each[1]":
                await first.fail(ready, retryable=False)
            else:
                await first.succeed(ready)
    assert first.state("each") == "failed"
    retry = await Harness.start(defn, original=list(first.unit.by_id.values()))
    executed: list[str] = []
    while batch := retry.take_dispatched():
        for ready in batch:
            executed.append(ready.op_key)
            await retry.succeed(ready)
    assert sorted(executed) == ["each[0]", "each[1]", "each[2]"]
    assert retry.state("check") == "succeeded"
    assert retry.state("nope") == "skipped", "the untaken branch is reused as skipped"
    reused = {op.key for op in retry.unit.by_id.values() if op.reused_from is not None}
    assert reused == {"check", "yes", "nope"}
    assert retry.unit.run.state == "succeeded"


async def test_a_run_whose_outputs_failed_to_render_is_retried_without_running_anything() -> None:
    defn = definition({"only": {"uses": "set"}}, outputs={"x": "{{ ops.only.output.missing }}"})
    first = await Harness.start(defn)
    [ready] = first.take_dispatched()
    await first.succeed(ready, {"present": 1})
    assert first.unit.run.state == "failed"
    retry = await Harness.start(defn, original=list(first.unit.by_id.values()))
    assert retry.take_dispatched() == []
    assert retry.unit.run.state == "failed", "the same outputs fail the same way"
    assert retry.unit.run.error is not None
    assert retry.unit.run.error["where"] == "outputs"
