from typing import Any

from raikoo_common.messages import CancelOperations, OperationStateChanged
from raikoo_scheduler import engine
from tests.unit.scheduler._harness import Harness, definition


async def test_chain_runs_in_order_and_renders_outputs() -> None:
    defn = definition(
        {
            "a": {"uses": "set", "with": {"n": "{{ inputs.n }}"}},
            "b": {"uses": "set", "needs": ["a"], "with": {"double": "{{ ops.a.output.n * 2 }}"}},
        },
        inputs={"n": {"type": "integer"}},
        outputs={"result": "{{ ops.b.output.double }}"},
    )
    h = await Harness.start(defn, {"n": 21})
    [a] = h.take_dispatched()
    assert (a.op_key, a.config) == ("a", {"n": 21})
    await h.succeed(a, a.config)
    [b] = h.take_dispatched()
    assert b.config == {"double": 42}
    await h.succeed(b, b.config)
    assert h.unit.run.state == "succeeded"
    assert h.unit.run.outputs == {"result": 42}


async def test_independent_branches_dispatch_together_within_max_parallel() -> None:
    ops: dict[str, Any] = {f"p{i}": {"uses": "noop"} for i in range(5)}
    ops["join"] = {"uses": "noop", "needs": list(ops)}
    h = await Harness.start(definition(ops, settings={"max_parallel": 3}))
    first = h.take_dispatched()
    assert len(first) == 3
    await h.succeed(first[0])
    second = h.take_dispatched()
    assert len(second) == 1
    for ready in [*first[1:], *second]:
        await h.succeed(ready)
    await h.run_all()
    assert h.unit.run.state == "succeeded"


async def test_duplicate_and_late_results_are_ignored() -> None:
    h = await Harness.start(definition({"a": {"uses": "noop"}}))
    [a] = h.take_dispatched()
    assert await h.succeed(a)
    assert not await h.succeed(a)
    assert not await h.fail(a)
    assert h.unit.run.state == "succeeded"


async def test_retry_with_backoff_then_success() -> None:
    defn = definition(
        {"a": {"uses": "noop", "retry": {"max_attempts": 3, "backoff": "10s", "jitter": 0}}}
    )
    h = await Harness.start(defn)
    [a1] = h.take_dispatched()
    await h.fail(a1)
    assert h.state("a") == "retrying"
    await h.advance(9)
    assert h.take_dispatched() == []
    await h.advance(1)
    [a2] = h.take_dispatched()
    assert a2.attempt == 2
    assert not await h.succeed(a1), "a late result of attempt 1 must not count"
    await h.fail(a2)
    await h.advance(20)
    [a3] = h.take_dispatched()
    await h.succeed(a3)
    assert h.unit.run.state == "succeeded"


async def test_non_retryable_error_and_unlisted_kind_fail_at_once() -> None:
    defn = definition(
        {
            "a": {"uses": "noop", "retry": {"max_attempts": 5, "on": ["timeout"]}},
            "b": {"uses": "noop", "needs": ["a"]},
        }
    )
    h = await Harness.start(defn)
    [a] = h.take_dispatched()
    await h.fail(a, kind="error")
    assert (h.state("a"), h.state("b")) == ("failed", "skipped")
    assert h.unit.run.state == "failed"
    assert h.unit.run.error is not None
    assert "'a' failed" in h.unit.run.error["message"]


async def test_failure_skips_dependents_but_other_branches_finish() -> None:
    defn = definition(
        {
            "a": {"uses": "noop"},
            "b": {"uses": "noop", "needs": ["a"]},
            "c": {"uses": "noop", "needs": ["b"]},
            "x": {"uses": "noop"},
        }
    )
    h = await Harness.start(defn)
    dispatched = {r.op_key: r for r in h.take_dispatched()}
    await h.fail(dispatched["a"], retryable=False)
    assert h.unit.run.state == "running"
    await h.succeed(dispatched["x"])
    assert [h.state(k) for k in "abcx"] == ["failed", "skipped", "skipped", "succeeded"]
    assert h.unit.run.state == "failed"


async def test_fail_fast_cancels_running_operations() -> None:
    defn = definition({"a": {"uses": "noop"}, "x": {"uses": "noop"}}, settings={"fail_fast": True})
    h = await Harness.start(defn)
    dispatched = {r.op_key: r for r in h.take_dispatched()}
    await h.fail(dispatched["a"], retryable=False)
    assert h.unit.run.state == "failed"
    assert h.state("x") == "cancelled"
    [cancel] = [m for _, m in h.unit.sent if isinstance(m, CancelOperations)]
    assert cancel.op_run_ids == [dispatched["x"].op_run_id]


async def test_cancel_stops_pending_and_tells_runners() -> None:
    defn = definition({"a": {"uses": "noop"}, "b": {"uses": "noop", "needs": ["a"]}})
    h = await Harness.start(defn)
    [a] = h.take_dispatched()
    await engine.cancel(h.unit, "user asked")
    assert (h.state("a"), h.state("b"), h.unit.run.state) == ("cancelled", "cancelled", "cancelled")
    assert not await h.succeed(a)
    assert any(isinstance(m, CancelOperations) for _, m in h.unit.sent)


async def test_template_error_fails_the_operation_with_where() -> None:
    defn = definition({"a": {"uses": "set", "with": {"x": "{{ inputs.missing.deeper }}"}}})
    h = await Harness.start(defn)
    assert h.take_dispatched() == []
    assert h.state("a") == "failed"
    assert h.unit.run.state == "failed"
    op = next(iter(h.unit.by_id.values()))
    assert op.error is not None
    assert op.error["kind"] == "template"


async def test_lease_expiry_counts_as_lost_attempt_and_retries() -> None:
    defn = definition({"a": {"uses": "noop", "retry": {"max_attempts": 2, "backoff": 0}}})
    h = await Harness.start(defn)
    [a] = h.take_dispatched()
    await h.advance(h.leases.default.total_seconds() + 1)
    await engine.lease_expired(h.unit, a.op_run_id, a.attempt, h.leases)
    await h.advance(0)
    [again] = h.take_dispatched()
    assert again.attempt == 2
    await h.succeed(again)
    assert h.unit.run.state == "succeeded"


async def test_run_deadline_fails_run() -> None:
    h = await Harness.start(definition({"a": {"uses": "noop"}}, settings={"timeout": "1m"}))
    await h.advance(61)
    await engine.deadline_passed(h.unit)
    assert h.unit.run.state == "failed"
    assert h.unit.run.error is not None
    assert h.unit.run.error["kind"] == "timeout"


async def test_events_are_numbered_without_gaps() -> None:
    h = await Harness.start(
        definition({"a": {"uses": "noop"}, "b": {"uses": "noop", "needs": ["a"]}})
    )
    await h.run_all()
    seqs = [e.seq for e in h.unit.events]  # type: ignore[attr-defined]
    assert seqs == list(range(1, len(seqs) + 1))
    states = [(e.op_key, e.state) for e in h.unit.events if isinstance(e, OperationStateChanged)]
    assert states == [("a", "ready"), ("a", "succeeded"), ("b", "ready"), ("b", "succeeded")]
