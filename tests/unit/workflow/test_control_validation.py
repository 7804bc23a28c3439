"""Definition-time checks of branches, loop bodies and conditions."""

from typing import Any

import pytest

from raikoo_common.workflow import DefinitionInvalid
from raikoo_common.workflow import validate_definition as validate
from raikoo_common.workflow.control import CONTROL_KINDS

KINDS: dict[str, Any] = {name: kind.config for name, kind in CONTROL_KINDS.items()}
KINDS.update({"noop": None, "set": None})


def problems(operations: dict[str, Any], **top: Any) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionInvalid) as caught:
        validate({"name": "t", "operations": operations, **top}, kinds=KINDS)
    return [(p.path, p.message) for p in caught.value.problems]


def test_a_valid_workflow_with_branches_and_a_loop_body_group() -> None:
    definition = validate(
        {
            "name": "t",
            "inputs": {"xs": {}},
            "operations": {
                "check": {
                    "uses": "if",
                    "with": {"condition": "{{ inputs.xs | length > 0 }}"},
                    "then": ["each"],
                },
                "each": {
                    "uses": "foreach",
                    "with": {"items": "{{ inputs.xs }}"},
                    "do": {
                        "a": {"uses": "set", "with": {"x": "{{ item }}"}},
                        "b": {"uses": "set", "needs": ["a"], "with": {"y": "{{ ops.a.output }}"}},
                    },
                },
                "report": {
                    "uses": "set",
                    "needs": ["each"],
                    "when": "all_done",
                    "with": {"n": "{{ ops.each.output | length }}"},
                },
            },
        },
        kinds=KINDS,
    )
    assert set(definition.operations["each"].body()) == {"a", "b"}


def test_branch_targets_must_exist_and_belong_to_one_outcome() -> None:
    found = problems(
        {
            "check": {
                "uses": "if",
                "with": {"condition": True},
                "then": ["a", "nope"],
                "else": ["a", "check"],
            },
            "a": {"uses": "noop"},
        }
    )
    assert ("operations.check.then[1]", "unknown operation 'nope'") in [
        (path, message.split(" (")[0]) for path, message in found
    ]
    assert (
        "operations.check.else[0]",
        "'a' is already a target at then.0: one outcome per operation",
    ) in found
    assert ("operations.check.else[1]", "an operation cannot be its own branch") in found


def test_branch_and_loop_fields_only_where_they_apply() -> None:
    found = problems(
        {
            "a": {"uses": "noop", "then": ["b"], "do": {"uses": "noop"}},
            "b": {"uses": "foreach", "with": {"items": []}},
        }
    )
    assert ("operations.a.then", "`then` applies only to `if` operations") in found
    assert ("operations.a.do", "`do` applies only to loops (for, foreach, until, while)") in found
    assert (
        "operations.b",
        "a foreach operation needs a `do` body: one operation or a group",
    ) in found


def test_a_branch_target_upstream_of_its_branch_is_a_cycle() -> None:
    found = problems(
        {
            "a": {"uses": "noop"},
            "check": {"uses": "if", "needs": ["a"], "with": {"condition": True}, "then": ["a"]},
        }
    )
    assert any("dependency cycle: a → check → a" in message for _, message in found)


def test_loop_bodies_are_checked_like_operations() -> None:
    found = problems(
        {
            "outer": {"uses": "noop"},
            "each": {
                "uses": "foreach",
                "with": {"items": [1]},
                "do": {
                    "a": {"uses": "nope"},
                    "b": {"uses": "set", "needs": ["c"], "with": {"x": "{{ ops.later.output }}"}},
                    "outer": {"uses": "noop"},
                    "inner": {"uses": "for", "with": {"stop": 2}, "do": {"uses": "noop"}},
                },
            },
            "later": {"uses": "noop", "needs": ["each"]},
        }
    )
    paths = dict(found)
    assert paths["operations.each.do.a.uses"].startswith("unknown operation kind 'nope'")
    assert paths["operations.each.do.b.needs[0]"].startswith("unknown operation 'c'")
    assert "not upstream" in paths["operations.each.do.b.with.x"]
    assert "also an operation of the workflow" in paths["operations.each.do.outer"]
    assert "cannot contain another loop" in paths["operations.each.do.inner.uses"]


def test_when_must_be_a_rule_or_a_condition_and_its_template_is_checked() -> None:
    found = problems(
        {
            "a": {"uses": "noop", "when": "sometimes"},
            "b": {"uses": "noop", "when": "{{ ops.zzz.output }}"},
        }
    )
    paths = dict(found)
    assert "must be a trigger rule" in paths["operations.a.when"]
    assert paths["operations.b.when"].startswith("unknown operation 'zzz'")


def test_control_kind_configs_are_validated_at_definition_time() -> None:
    found = problems(
        {
            "w": {"uses": "while", "with": {"condition": "{{ true }}"}, "do": {"uses": "noop"}},
            "f": {"uses": "for", "with": {"stop": 3, "step": 0}, "do": {"uses": "noop"}},
        }
    )
    paths = dict(found)
    assert paths["operations.w.with.max_iterations"] == "required field is missing"
    assert "step must not be 0" in paths["operations.f.with"]


def test_deferred_fields_are_checked_for_syntax_only() -> None:
    validate(
        {
            "name": "t",
            "operations": {
                "w": {
                    "uses": "until",
                    "with": {"condition": "{{ item.done }}", "max_iterations": 3},
                    "do": {"uses": "noop"},
                }
            },
        },
        kinds=KINDS,
    )
    found = problems(
        {
            "w": {
                "uses": "until",
                "with": {"condition": "{{ item.done ", "max_iterations": 3},
                "do": {"uses": "noop"},
            }
        }
    )
    assert found[0][0] == "operations.w.with.condition"
    assert "syntax error" in found[0][1]
