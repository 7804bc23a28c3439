"""Branches, trigger rules, conditions, loops and durable waits, decided by the engine."""

from typing import Any

import pytest

from raikoo_common.messages import CancelOperations
from raikoo_common.secrets import references_in, substitute
from tests.unit.scheduler._harness import Harness, definition


async def test_if_runs_then_and_skips_else_and_what_only_else_leads_to() -> None:
    defn = definition(
        {
            "check": {
                "uses": "if",
                "with": {"condition": "{{ inputs.n > 3 }}"},
                "then": ["big"],
                "else": ["small"],
            },
            "big": {"uses": "set", "with": {"size": "big"}},
            "small": {"uses": "set", "with": {"size": "small"}},
            "after_small": {"uses": "noop", "needs": ["small"]},
            "join": {"uses": "noop", "needs": ["big", "small"], "when": "none_failed"},
        },
        inputs={"n": {"type": "integer"}},
        outputs={"size": "{{ ops.big.output.size }}"},
    )
    h = await Harness.start(defn, {"n": 5})
    assert h.state("check") == "succeeded", "an if is decided by the scheduler, no runner"
    [big] = h.take_dispatched()
    assert big.op_key == "big"
    assert h.state("small") == "skipped"
    assert h.state("after_small") == "skipped", "skipping propagates by default"
    await h.succeed(big, {"size": "big"})
    [join] = h.take_dispatched()
    assert join.op_key == "join", "none_failed runs after a skipped branch"
    await h.succeed(join)
    assert h.unit.run.state == "succeeded"
    assert h.unit.run.outputs == {"size": "big"}


@pytest.mark.parametrize(
    ("value", "expected"), [("eu", "europe"), (1, "one"), (True, "yes"), ("mars", "other")]
)
async def test_switch_takes_the_matching_case_or_default(value: Any, expected: str) -> None:
    names = ["europe", "one", "yes", "other"]
    defn = definition(
        {
            "route": {
                "uses": "switch",
                "with": {"value": "{{ inputs.v }}"},
                "cases": {"eu": ["europe"], 1: ["one"], "true": ["yes"]},
                "default": ["other"],
            },
            **{name: {"uses": "noop"} for name in names},
        },
        inputs={"v": {}},
    )
    h = await Harness.start(defn, {"v": value})
    [ready] = h.take_dispatched()
    assert ready.op_key == expected
    assert [h.state(n) for n in names if n != expected] == ["skipped"] * 3


@pytest.mark.parametrize(
    ("rule", "runs"),
    [("all_succeeded", False), ("none_failed", False), ("one_succeeded", True), ("all_done", True)],
)
async def test_trigger_rules_after_a_failure(rule: str, runs: bool) -> None:
    defn = definition(
        {
            "ok": {"uses": "noop"},
            "bad": {"uses": "noop"},
            "cleanup": {"uses": "noop", "needs": ["ok", "bad"], "when": rule},
        }
    )
    h = await Harness.start(defn)
    ok, bad = sorted(h.take_dispatched(), key=lambda r: r.op_key)
    await h.succeed(ok)
    await h.fail(bad, retryable=False)
    dispatched = h.take_dispatched()
    assert [r.op_key for r in dispatched] == (["cleanup"] if runs else [])
    for ready in dispatched:
        await h.succeed(ready)
    assert h.state("cleanup") == ("succeeded" if runs else "skipped")
    assert h.unit.run.state == "failed", "a failed operation still fails the run"


async def test_a_false_when_condition_skips_and_a_true_one_runs() -> None:
    defn = definition(
        {
            "a": {"uses": "noop", "when": "{{ inputs.flag }}"},
            "b": {"uses": "noop", "when": "{{ not inputs.flag }}"},
            "c": {"uses": "noop", "needs": ["b"]},
        },
        inputs={"flag": {"type": "boolean"}},
    )
    h = await Harness.start(defn, {"flag": True})
    [a] = h.take_dispatched()
    assert a.op_key == "a"
    assert (h.state("b"), h.state("c")) == ("skipped", "skipped")
    await h.succeed(a)
    assert h.unit.run.state == "succeeded"


async def test_a_when_condition_that_fails_to_render_fails_the_operation() -> None:
    h = await Harness.start(definition({"a": {"uses": "noop", "when": "{{ inputs.nope }}"}}))
    assert h.state("a") == "failed"
    assert h.unit.run.error is not None
    assert "when" in h.unit.run.error["message"]


async def test_foreach_runs_items_within_max_parallel_and_keeps_input_order() -> None:
    defn = definition(
        {
            "each": {
                "uses": "foreach",
                "with": {"items": "{{ inputs.xs }}", "max_parallel": 2},
                "do": {"uses": "set", "with": {"double": "{{ item * 2 }}", "at": "{{ index }}"}},
            }
        },
        inputs={"xs": {}},
        outputs={"doubled": "{{ ops.each.output | map(attribute='double') | list }}"},
    )
    h = await Harness.start(defn, {"xs": [1, 2, 3, 4, 5]})
    first = h.take_dispatched()
    assert [r.op_key for r in first] == ["each[0]", "each[1]"]
    assert first[1].config == {"double": 4, "at": 1}
    # finish out of order: outputs still come back in input order
    await h.succeed(first[1], first[1].config)
    [third] = h.take_dispatched()
    assert third.op_key == "each[2]"
    await h.succeed(first[0], first[0].config)
    await h.succeed(third, third.config)
    while batch := h.take_dispatched():
        for ready in batch:
            await h.succeed(ready, ready.config)
    assert h.unit.run.state == "succeeded"
    assert h.unit.run.outputs == {"doubled": [2, 4, 6, 8, 10]}


async def test_foreach_batches_and_group_bodies_with_sibling_references() -> None:
    defn = definition(
        {
            "each": {
                "uses": "foreach",
                "with": {"items": [1, 2, 3, 4, 5], "batch_size": 2, "max_parallel": 5},
                "do": {
                    "sum": {"uses": "set", "with": {"total": "{{ item | sum }}"}},
                    "label": {
                        "uses": "set",
                        "needs": ["sum"],
                        "with": {"text": "batch {{ index }}: {{ ops.sum.output.total }}"},
                    },
                },
            }
        }
    )
    h = await Harness.start(defn)
    sums = h.take_dispatched()
    assert [r.config for r in sums] == [{"total": 3}, {"total": 7}, {"total": 5}]
    for ready in sums:
        await h.succeed(ready, ready.config)
    labels = h.take_dispatched()
    assert [r.op_key for r in labels] == ["each[0].label", "each[1].label", "each[2].label"]
    assert labels[2].config == {"text": "batch 2: 5"}
    for ready in labels:
        await h.succeed(ready, ready.config)
    each = next(o for o in h.unit.by_id.values() if o.key == "each")
    assert each.output[1] == {"sum": {"total": 7}, "label": {"text": "batch 1: 7"}}
    assert h.unit.run.state == "succeeded"


async def test_foreach_fail_fast_cancels_running_items_and_fails_the_loop() -> None:
    defn = definition(
        {
            "each": {
                "uses": "foreach",
                "with": {"items": list(range(10)), "max_parallel": 3},
                "do": {"uses": "noop"},
            },
            "after": {"uses": "noop", "needs": ["each"]},
        }
    )
    h = await Harness.start(defn)
    first = h.take_dispatched()
    await h.fail(first[1], retryable=False)
    assert h.state("each") == "failed"
    assert h.state("after") == "skipped"
    assert h.state("each[0]") == h.state("each[2]") == "cancelled"
    cancels = [m for _, m in h.unit.sent if isinstance(m, CancelOperations)]
    assert {r.op_run_id for r in (first[0], first[2])} <= set(cancels[-1].op_run_ids)
    assert h.take_dispatched() == []
    assert h.unit.run.state == "failed"
    assert "item 1 failed" in (h.unit.run.error or {})["message"]


async def test_foreach_continue_collects_errors_per_item() -> None:
    defn = definition(
        {
            "each": {
                "uses": "foreach",
                "with": {"items": ["a", "b", "c"], "on_error": "continue"},
                "do": {"uses": "set", "with": {"v": "{{ item }}"}},
            }
        },
        outputs={"got": "{{ ops.each.output }}"},
    )
    h = await Harness.start(defn)
    a, b, c = h.take_dispatched()
    await h.succeed(a, "A")
    await h.fail(b, retryable=False)
    await h.succeed(c, "C")
    assert h.unit.run.state == "succeeded"
    assert h.unit.run.outputs == {"got": ["A", None, "C"]}
    each = next(o for o in h.unit.by_id.values() if o.key == "each")
    assert each.error is not None
    assert each.error["items"][0]["index"] == 1


async def test_empty_foreach_and_for_over_a_range() -> None:
    defn = definition(
        {
            "none": {"uses": "foreach", "with": {"items": []}, "do": {"uses": "noop"}},
            "count": {
                "uses": "for",
                "with": {"start": 10, "stop": 0, "step": -5},
                "do": {"uses": "set", "with": {"n": "{{ item }}"}},
            },
        },
        outputs={"none": "{{ ops.none.output }}", "n": "{{ ops.count.output }}"},
    )
    h = await Harness.start(defn)
    assert h.state("none") == "succeeded"
    dispatched = h.take_dispatched()
    assert [r.config for r in dispatched] == [{"n": 10}, {"n": 5}]
    for ready in dispatched:
        await h.succeed(ready, ready.config["n"])
    assert h.unit.run.outputs == {"none": [], "n": [10, 5]}


async def test_a_foreach_over_a_non_list_fails_with_a_clear_error() -> None:
    defn = definition(
        {"each": {"uses": "foreach", "with": {"items": "{{ inputs.x }}"}, "do": {"uses": "noop"}}},
        inputs={"x": {}},
    )
    h = await Harness.start(defn, {"x": {"not": "a list"}})
    assert h.state("each") == "failed"
    message = (h.unit.run.error or {})["message"]
    assert "invalid_config" in message
    assert "items" in message


async def test_until_repeats_with_the_previous_output_until_the_condition_holds() -> None:
    defn = definition(
        {
            "poll": {
                "uses": "until",
                "with": {"condition": "{{ item.n >= 3 }}", "max_iterations": 10},
                "do": {"uses": "set", "with": {"n": "{{ (item.n if item else 0) + 1 }}"}},
            }
        },
        outputs={"last": "{{ (ops.poll.output | last).n }}"},
    )
    h = await Harness.start(defn)
    seen = []
    while batch := h.take_dispatched():
        for ready in batch:
            seen.append(ready.config["n"])
            await h.succeed(ready, ready.config)
    assert seen == [1, 2, 3]
    assert h.unit.run.outputs == {"last": 3}


async def test_while_checks_first_and_max_iterations_fails_the_loop() -> None:
    never = definition(
        {
            "w": {
                "uses": "while",
                "with": {"condition": "{{ false }}", "max_iterations": 3},
                "do": {"uses": "noop"},
            }
        }
    )
    h = await Harness.start(never)
    assert h.take_dispatched() == []
    assert h.unit.run.state == "succeeded"
    forever = definition(
        {
            "w": {
                "uses": "while",
                "with": {"condition": "{{ true }}", "max_iterations": 3},
                "do": {"uses": "noop"},
            }
        }
    )
    h = await Harness.start(forever)
    await h.run_all()
    assert h.state("w") == "failed"
    assert "max_iterations" in (h.unit.run.error or {})["message"]
    assert len([o for o in h.unit.by_id.values() if o.parent_id]) == 3


async def test_delay_is_a_durable_timer_that_holds_no_slot() -> None:
    defn = definition(
        {
            "wait": {"uses": "delay", "with": {"duration": "1h"}},
            "then_go": {"uses": "noop", "needs": ["wait"]},
            "other": {"uses": "noop"},
        },
        settings={"max_parallel": 1},
    )
    h = await Harness.start(defn)
    assert h.state("wait") == "waiting"
    [other] = h.take_dispatched()
    assert other.op_key == "other", "the wait holds no parallelism slot"
    await h.succeed(other)
    await h.advance(3599)
    assert h.take_dispatched() == []
    await h.advance(1)
    [go] = h.take_dispatched()
    assert go.op_key == "then_go"
    await h.succeed(go)
    assert h.unit.run.state == "succeeded"


async def test_cancelling_a_run_mid_loop_ends_the_loop_and_its_items() -> None:
    from raikoo_scheduler import engine

    defn = definition(
        {"each": {"uses": "foreach", "with": {"items": [1, 2, 3]}, "do": {"uses": "noop"}}}
    )
    h = await Harness.start(defn)
    assert len(h.take_dispatched()) == 3
    await engine.cancel(h.unit, "stop")
    assert h.unit.run.state == "cancelled"
    assert {o.state for o in h.unit.by_id.values()} == {"cancelled"}


async def test_an_item_whose_operations_all_end_in_one_step_counts_once() -> None:
    defn = definition(
        {
            "each": {
                "uses": "foreach",
                "with": {"items": [1, 2], "on_error": "continue"},
                "do": {
                    "a": {"uses": "noop"},
                    "b": {"uses": "set", "needs": ["a"], "with": {"v": "{{ item }}"}},
                },
            }
        }
    )
    h = await Harness.start(defn)
    a0, a1 = h.take_dispatched()
    await h.succeed(a0)
    await h.fail(a1, retryable=False)  # fails a, skips b: item 1 ends in one step
    assert h.state("each") == "running", "item 0 is still running"
    [b0] = h.take_dispatched()
    await h.succeed(b0, b0.config)
    each = next(o for o in h.unit.by_id.values() if o.key == "each")
    assert each.output == [{"a": None, "b": {"v": 1}}, None]
    assert each.loop is not None
    assert (each.loop.done, each.loop.failed) == (2, 1)


async def test_a_skipped_upstream_reads_as_null() -> None:
    defn = definition(
        {
            "maybe": {"uses": "set", "when": "{{ false }}", "with": {"v": 1}},
            "after": {
                "uses": "set",
                "needs": ["maybe"],
                "when": "all_done",
                "with": {"got": "{{ ops.maybe.output }}"},
            },
        },
        outputs={"maybe": "{{ ops.maybe.output }}"},
    )
    h = await Harness.start(defn)
    [after] = h.take_dispatched()
    assert after.config == {"got": None}
    await h.succeed(after)
    assert h.unit.run.outputs == {"maybe": None}


async def test_the_scheduler_sends_secret_references_never_values() -> None:
    h = await Harness.start(
        definition({"a": {"uses": "set", "with": {"auth": "Bearer {{ secrets.TOKEN }}"}}})
    )
    [a] = h.take_dispatched()
    assert references_in(a.config) == {"TOKEN"}
    assert substitute(a.config, {"TOKEN": "t"}) == {"auth": "Bearer t"}


@pytest.mark.parametrize(
    "body",
    [
        {"uses": "noop", "when": "{{ false }}"},
        {
            "check": {"uses": "if", "with": {"condition": "{{ false }}"}, "then": ["act"]},
            "act": {"uses": "noop"},
        },
    ],
    ids=["skipped-body", "untaken-branch"],
)
async def test_thousands_of_items_settled_without_a_runner_keep_the_call_depth_flat(
    body: dict[str, Any],
) -> None:
    defn = definition(
        {"each": {"uses": "foreach", "with": {"items": list(range(3000))}, "do": body}},
        outputs={"n": "{{ ops.each.output | length }}"},
    )
    h = await Harness.start(defn)  # would raise RecursionError if settling nested per item
    assert h.take_dispatched() == []
    assert h.unit.run.state == "succeeded"
    assert h.unit.run.outputs == {"n": 3000}


async def test_templates_see_what_started_the_run() -> None:
    h = await Harness.start(
        definition(
            {"a": {"uses": "set", "with": {"how": "{{ run.trigger }}", "id": "{{ run.id }}"}}}
        )
    )
    [a] = h.take_dispatched()
    assert a.config == {"how": "api", "id": str(h.unit.run.id)}
