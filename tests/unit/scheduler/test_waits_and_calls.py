"""Durable waits, approvals and sub-workflows, decided by the engine."""

import uuid
from datetime import timedelta
from typing import Any

from raikoo_common.messages import (
    Channel,
    ChildRunFinished,
    ErrorInfo,
    ParentRun,
    RunCancelRequested,
    RunRequested,
    WaitResolved,
)
from raikoo_common.secrets import references_in
from raikoo_scheduler import engine
from raikoo_scheduler.ports import CalledWorkflow
from tests.unit.scheduler._harness import T0, Harness, definition


def decision(h: Harness, key: str, verdict: str = "approve", role: str = "owner") -> WaitResolved:
    return WaitResolved(
        run_id=h.unit.run.id,
        op_key=key,
        decision=verdict,
        decided_by="ada",
        role=role,
        comment="looks fine",
        decided_at=h.unit.now,
    )


async def test_wait_until_a_time_and_the_run_is_waiting_meanwhile() -> None:
    later = (T0 + timedelta(hours=2)).isoformat()
    defn = definition(
        {
            "hold": {"uses": "wait.until", "with": {"until": later}},
            "go": {"uses": "noop", "needs": ["hold"]},
        }
    )
    h = await Harness.start(defn)
    assert h.state("hold") == "waiting"
    assert h.unit.run.state == "waiting", "nothing runs: the run waits"
    await h.advance(7200)
    assert h.unit.run.state == "running"
    [go] = h.take_dispatched()
    await h.succeed(go)
    assert h.unit.run.state == "succeeded"


async def test_approval_approved_records_who_and_goes_on() -> None:
    defn = definition(
        {
            "ask": {"uses": "wait.approval", "with": {"message": "Publish?"}},
            "publish": {"uses": "noop", "needs": ["ask"]},
        }
    )
    h = await Harness.start(defn)
    ask = next(o for o in h.unit.by_id.values() if o.key == "ask")
    assert ask.output["status"] == "pending"
    assert ask.output["message"] == "Publish?"
    await engine.wait_resolved(h.unit, decision(h, "ask"), h.leases)
    assert ask.state == "succeeded"
    assert ask.output["decision"] == "approve"
    assert ask.output["decided_by"] == "ada"
    [publish] = h.take_dispatched()
    assert publish.op_key == "publish"


async def test_approval_rejected_fails_or_continues_as_configured() -> None:
    defn = definition(
        {
            "strict": {"uses": "wait.approval"},
            "soft": {"uses": "wait.approval", "with": {"on_reject": "continue"}},
        }
    )
    h = await Harness.start(defn)
    await engine.wait_resolved(h.unit, decision(h, "strict", "reject"), h.leases)
    await engine.wait_resolved(h.unit, decision(h, "soft", "reject"), h.leases)
    assert (h.state("strict"), h.state("soft")) == ("failed", "succeeded")
    strict = next(o for o in h.unit.by_id.values() if o.key == "strict")
    assert strict.error is not None
    assert strict.error["kind"] == "rejected"
    assert "ada" in strict.error["message"]


async def test_approval_needs_the_role_and_a_timeout_decides() -> None:
    defn = definition(
        {
            "ask": {
                "uses": "wait.approval",
                "with": {"required_role": "admin", "timeout": "1h", "on_timeout": "reject"},
            }
        }
    )
    h = await Harness.start(defn)
    await engine.wait_resolved(h.unit, decision(h, "ask", role="editor"), h.leases)
    assert h.state("ask") == "waiting", "an editor may not decide"
    await h.advance(3600)
    assert h.state("ask") == "failed"
    ask = next(o for o in h.unit.by_id.values() if o.key == "ask")
    assert ask.output["decided_by"] == "timeout"


async def test_a_late_decision_is_ignored() -> None:
    h = await Harness.start(definition({"ask": {"uses": "wait.approval"}}))
    await engine.wait_resolved(h.unit, decision(h, "ask"), h.leases)
    await engine.wait_resolved(h.unit, decision(h, "ask", "reject"), h.leases)
    assert h.state("ask") == "succeeded"


def child_registry(h: Harness) -> uuid.UUID:
    child = definition(
        {"x": {"uses": "noop"}},
        name="child",
        inputs={"n": {"type": "integer"}, "label": {"default": "none"}},
    )
    version_id = uuid.uuid4()
    h.unit.workflows[("child", 3)] = CalledWorkflow(version_id, "child", 3, child)
    return version_id


def requested(h: Harness) -> list[RunRequested]:
    return [
        m for c, m in h.unit.sent if c == Channel.RUNS_REQUESTED and isinstance(m, RunRequested)
    ]


async def test_workflow_call_starts_a_child_and_returns_its_outputs() -> None:
    defn = definition(
        {
            "call": {"uses": "workflow.call", "with": {"workflow": "child", "inputs": {"n": 2}}},
            "after": {
                "uses": "set",
                "needs": ["call"],
                "with": {"got": "{{ ops.call.output.total }}"},
            },
        }
    )
    h = await Harness.start(defn, defer_start=True)
    version_id = child_registry(h)
    await h.begin()
    [request] = requested(h)
    assert request.workflow_version_id == version_id
    assert request.inputs == {"n": 2, "label": "none"}, "defaults applied"
    assert request.parent is not None
    assert request.parent.call_depth == 1
    assert h.state("call") == "running"
    ended = ChildRunFinished(
        parent_run_id=h.unit.run.id,
        parent_op_run_id=request.parent.op_run_id,
        child_run_id=request.run_id,
        state="succeeded",
        outputs={"total": 42},
    )
    await engine.child_finished(h.unit, ended, h.leases)
    [after] = h.take_dispatched()
    assert after.config == {"got": 42}


async def test_a_failed_child_fails_the_call_with_its_reason() -> None:
    h = await Harness.start(
        definition(
            {"call": {"uses": "workflow.call", "with": {"workflow": "child", "inputs": {"n": 1}}}}
        ),
        defer_start=True,
    )
    child_registry(h)
    await h.begin()
    [request] = requested(h)
    assert request.parent is not None
    error = ErrorInfo(kind="operation_failed", message="operation 'x' failed: boom")
    ended = ChildRunFinished(
        parent_run_id=h.unit.run.id,
        parent_op_run_id=request.parent.op_run_id,
        child_run_id=request.run_id,
        state="failed",
        error=error,
    )
    await engine.child_finished(h.unit, ended, h.leases)
    assert h.unit.run.state == "failed"
    assert "boom" in (h.unit.run.error or {})["message"]


async def test_unknown_workflows_bad_inputs_and_deep_recursion_fail_clearly() -> None:
    defn = definition(
        {
            "missing": {"uses": "workflow.call", "with": {"workflow": "nope"}},
            "bad": {"uses": "workflow.call", "with": {"workflow": "child", "inputs": {"m": 1}}},
        }
    )
    h = await Harness.start(defn, defer_start=True)
    child_registry(h)
    await h.begin()
    errors = {o.key: (o.error or {}) for o in h.unit.by_id.values()}
    assert errors["missing"]["kind"] == "not_found"
    assert errors["bad"]["kind"] == "invalid_inputs"
    assert "inputs.n" in errors["bad"]["message"]
    deep = await Harness.start(
        definition({"call": {"uses": "workflow.call", "with": {"workflow": "child"}}}),
        defer_start=True,
    )
    deep.unit.run.call_depth = 8
    await deep.begin()
    [call] = deep.unit.by_id.values()
    assert (call.error or {})["kind"] == "recursion"
    assert "at most 8" in (call.error or {})["message"]


async def test_cancelling_the_parent_cancels_the_child_and_a_child_reports_its_end() -> None:
    h = await Harness.start(
        definition(
            {"call": {"uses": "workflow.call", "with": {"workflow": "child", "inputs": {"n": 1}}}}
        ),
        defer_start=True,
    )
    child_registry(h)
    await h.begin()
    [request] = requested(h)
    await engine.cancel(h.unit, "stop")
    cancels = [m for _, m in h.unit.sent if isinstance(m, RunCancelRequested)]
    assert [c.run_id for c in cancels] == [request.run_id]

    child = await Harness.start(definition({"x": {"uses": "noop"}}), parent=request.parent)
    [x] = child.take_dispatched()
    await child.succeed(x)
    [report] = [m for _, m in child.unit.sent if isinstance(m, ChildRunFinished)]
    assert report.state == "succeeded"
    assert request.parent is not None
    assert report.parent_op_run_id == request.parent.op_run_id


FETCH_COMPANY: dict[str, Any] = {
    "version": 2,
    "kind": "http.request",
    "config": {
        "url": "https://api.example.com/companies/{{ inputs.domain }}",
        "timeout": "{{ inputs.timeout }}",
    },
    "inputs": {"domain": {"type": "string"}, "timeout": {"type": "number", "default": 10}},
    "outputs": {"name": "{{ output.body.name }}"},
}


async def test_a_project_operation_renders_its_preset_with_the_bound_inputs() -> None:
    defn = definition(
        {
            "lookup": {"uses": "op/fetch-company", "with": {"domain": "{{ inputs.d }}"}},
            "use": {
                "uses": "set",
                "needs": ["lookup"],
                "with": {"n": "{{ ops.lookup.output.name }}"},
            },
        },
        inputs={"d": {}},
    )
    h = await Harness.start(defn, {"d": "acme.io"}, operations={"fetch-company": FETCH_COMPANY})
    [lookup] = h.take_dispatched()
    assert lookup.kind == "http.request"
    assert lookup.config == {"url": "https://api.example.com/companies/acme.io", "timeout": 10}
    await h.succeed(lookup, {"status": 200, "body": {"name": "Acme"}})
    [use] = h.take_dispatched()
    assert use.config == {"n": "Acme"}, "the output is mapped by the operation's outputs"


async def test_a_project_operation_missing_an_input_fails_clearly() -> None:
    defn = definition({"lookup": {"uses": "op/fetch-company", "with": {}}})
    h = await Harness.start(defn, operations={"fetch-company": FETCH_COMPANY})
    assert h.state("lookup") == "failed"
    assert "inputs.domain" in (h.unit.run.error or {})["message"]


async def test_a_failed_child_is_run_again_when_the_retry_policy_asks() -> None:
    call = {
        "uses": "workflow.call",
        "with": {"workflow": "child", "inputs": {"n": 1}},
        "retry": {"max_attempts": 2, "backoff": "1s", "jitter": 0, "on": ["child_failed"]},
    }
    h = await Harness.start(definition({"call": call}), defer_start=True)
    child_registry(h)
    await h.begin()
    [first] = requested(h)
    assert first.parent is not None
    ended = ChildRunFinished(
        parent_run_id=h.unit.run.id,
        parent_op_run_id=first.parent.op_run_id,
        child_run_id=first.run_id,
        state="failed",
        error=ErrorInfo(kind="operation_failed", message="flaky"),
    )
    await engine.child_finished(h.unit, ended, h.leases)
    assert h.state("call") == "retrying"
    await h.advance(1)
    second = requested(h)[-1]
    assert second.run_id != first.run_id, "a retry is a new child run"
    assert h.state("call") == "running"


async def test_an_unloadable_artifact_fails_the_operation_not_the_scheduler() -> None:
    from raikoo_common.storage import ArtifactNotFound

    defn = definition(
        {
            "a": {"uses": "set"},
            "b": {"uses": "set", "needs": ["a"], "with": {"v": "{{ ops.a.output }}"}},
        }
    )
    h = await Harness.start(defn)
    [a] = h.take_dispatched()

    async def missing(value: object) -> object:
        if isinstance(value, dict) and "$artifact" in value:
            raise ArtifactNotFound("o/r/a.1/output.json")
        return value

    h.unit.resolve = missing  # type: ignore[method-assign]
    await h.succeed(a, {"$artifact": {"key": "o/r/a.1/output.json"}})
    assert h.state("b") == "failed"
    error = (h.unit.run.error or {})["message"]
    assert "[artifact]" in error
    assert "o/r/a.1/output.json" in error


async def test_a_child_whose_parent_stopped_waiting_is_cancelled_at_once() -> None:
    parent = ParentRun(run_id=uuid.uuid4(), op_run_id=uuid.uuid4(), call_depth=1)
    h = await Harness.start(definition({"x": {"uses": "noop"}}), parent=parent, defer_start=True)
    h.unit.parent_waiting = False  # the parent's cancel arrived before this run existed
    await h.begin()
    assert h.take_dispatched() == []
    assert h.unit.run.state == "cancelled"
    [report] = [m for _, m in h.unit.sent if isinstance(m, ChildRunFinished)]
    assert report.state == "cancelled"


async def test_a_project_operation_preset_may_carry_secret_references() -> None:
    snapshot = {
        **FETCH_COMPANY,
        "config": {**FETCH_COMPANY["config"], "headers": {"X-Key": "{{ secrets.CRM_KEY }}"}},
    }
    defn = definition({"lookup": {"uses": "op/fetch-company", "with": {"domain": "a.io"}}})
    h = await Harness.start(defn, operations={"fetch-company": snapshot})
    [lookup] = h.take_dispatched()
    assert references_in(lookup.config) == {"CRM_KEY"}
