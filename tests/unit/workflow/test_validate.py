import copy
import graphlib
import itertools
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.workflow import DefinitionInvalid, Problem, WorkflowDefinition
from raikoo_common.workflow import validate_definition as validate


class HttpRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str
    method: Literal["GET", "POST"] = "GET"
    json_body: Any = Field(default=None, alias="json")
    headers: dict[str, str] = Field(default_factory=dict)
    timeout: float = 10.0


class Foreach(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Any]
    batch_size: int = 1
    max_parallel: int = 4


class Loose(BaseModel):
    count: int = 0


KINDS: dict[str, type[BaseModel] | None] = {
    "http.request": HttpRequest,
    "foreach": Foreach,
    "loose": Loose,
    "convert": None,
    "if": None,
    "switch": None,
    "ai.prompt": None,
}

DESIGN_EXAMPLE: dict[str, Any] = {
    "apiVersion": "raikoo/v1",
    "kind": "Workflow",
    "name": "triage-feedback",
    "inputs": {"csv_url": {"type": "string"}},
    "settings": {"max_parallel": 8, "timeout": "30m"},
    "operations": {
        "fetch": {"uses": "http.request", "with": {"url": "{{ inputs.csv_url }}"}},
        "rows": {
            "uses": "convert",
            "needs": ["fetch"],
            "with": {"from": "csv", "to": "json", "data": "{{ ops.fetch.output.body }}"},
        },
        "classify": {
            "uses": "foreach",
            "needs": ["rows"],
            "with": {"items": "{{ ops.rows.output.data }}", "batch_size": 10, "max_parallel": 4},
            "do": {
                "uses": "ai.prompt",
                "with": {
                    "persona": "analyst",
                    "prompt": "Label each row as bug, idea or praise: {{ item | tojson }}",
                },
            },
        },
        "any_bugs": {
            "uses": "if",
            "needs": ["classify"],
            "with": {
                "condition": "{{ ops.classify.output | flatten"
                " | selectattr('label', 'eq', 'bug') | list | length > 0 }}"
            },
            "then": ["notify"],
        },
        "notify": {
            "uses": "http.request",
            "with": {
                "url": "https://hooks.example.com/alert",
                "method": "POST",
                "json": {"count": "{{ ops.classify.output | length }}"},
            },
            "retry": {"max_attempts": 5},
        },
    },
    "outputs": {"labels": "{{ ops.classify.output | flatten }}"},
}


def workflow(operations: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"name": "test", "operations": operations, **top}


def problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionInvalid) as caught:
        validate(document, kinds=KINDS)
    assert all(problem.line is None for problem in caught.value.problems)
    return [(problem.path, problem.message) for problem in caught.value.problems]


def test_the_design_example_is_valid() -> None:
    definition = validate(DESIGN_EXAMPLE, kinds=KINDS)
    assert isinstance(definition, WorkflowDefinition)
    assert definition.settings.timeout == 1800.0
    assert definition.operations["notify"].retry is not None
    assert definition.operations["notify"].retry.max_attempts == 5
    assert definition.to_document()["operations"]["rows"]["with"]["from"] == "csv"


def test_structural_errors_use_the_documents_own_key_names() -> None:
    document = workflow(
        {
            "a": {"uses": "if", "with": "{{ inputs.x }}", "retry": {"max_attempts": 0}},
            "b": {"need": ["a"]},
            "c": {"uses": "if", "with_": {}},
        },
        apiVersion="raikoo/v2",
    )
    assert problems(document) == [
        ("apiVersion", "Input should be 'raikoo/v1'"),
        ("operations.a.with", "Input should be a valid dictionary"),
        ("operations.a.retry.max_attempts", "Input should be greater than or equal to 1"),
        ("operations.b.uses", "required field is missing"),
        ("operations.b.need", "unknown field 'need' (did you mean 'needs'?)"),
        ("operations.c.with_", "unknown field 'with_' (did you mean 'with'?)"),
    ]


def test_operation_keys_must_match_the_key_pattern() -> None:
    document = workflow(
        {"ok_key-1": {"uses": "if"}, "bad key": {"uses": "if"}, "9x": {"uses": "if"}}
    )
    paths = [path for path, message in problems(document) if "operation key" in message]
    assert paths == ['operations["bad key"]', 'operations["9x"]']


def test_unknown_kinds_are_reported_with_close_matches() -> None:
    document = workflow({"a": {"uses": "http.requests"}, "b": {"uses": "quantum"}})
    assert problems(document) == [
        (
            "operations.a.uses",
            "unknown operation kind 'http.requests' (did you mean 'http.request'?)",
        ),
        ("operations.b.uses", "unknown operation kind 'quantum'"),
    ]


def test_config_is_checked_against_the_kinds_model() -> None:
    document = workflow(
        {
            "a": {
                "uses": "http.request",
                "with": {"method": "PUT", "headers": {"x": 1}, "time_out": 3, "json": {"a": 1}},
            }
        }
    )
    assert problems(document) == [
        ("operations.a.with.url", "required field is missing"),
        ("operations.a.with.method", "Input should be 'GET' or 'POST'"),
        ("operations.a.with.headers.x", "Input should be a valid string"),
        ("operations.a.with.time_out", "unknown field 'time_out' (did you mean 'timeout'?)"),
    ]


def test_templated_config_fields_are_only_checked_to_exist() -> None:
    document = workflow(
        {
            "a": {
                "uses": "http.request",
                "with": {
                    "url": "{{ inputs.url }}",
                    "timeout": "{{ inputs.timeout }}",
                    "headers": {"x": "{{ inputs.url }}", "y": "{% if 1 %}v{% endif %}"},
                    "extra": "{{ inputs.url }}",
                },
            },
            "b": {
                "uses": "foreach",
                "with": {"batch_size": "{{ inputs.size }}"},
                "do": {"uses": "loose"},
            },
            "c": {
                "uses": "foreach",
                "with": {"items": ["{{ inputs.url }}", 2]},
                "do": {"uses": "loose"},
            },
        },
        inputs={"url": {}, "timeout": {}, "size": {}},
    )
    assert problems(document) == [
        ("operations.a.with.extra", "unknown field 'extra'"),
        ("operations.b.with.items", "required field is missing"),
    ]


def test_a_kind_without_a_model_accepts_any_config() -> None:
    document = workflow({"a": {"uses": "convert", "with": {"anything": [1, {"goes": True}]}}})
    assert validate(document, kinds=KINDS).operations["a"].uses == "convert"


def test_a_model_that_ignores_extra_fields_is_followed() -> None:
    document = workflow({"a": {"uses": "loose", "with": {"count": "{{ 1 }}", "other": 1}}})
    validate(document, kinds=KINDS)


def test_needs_must_name_other_operations_once() -> None:
    document = workflow(
        {
            "fetch": {"uses": "if"},
            "parse": {"uses": "if", "needs": ["fetch", "fetc", "parse", "fetch", "zzz"]},
        }
    )
    assert problems(document) == [
        ("operations.parse.needs[1]", "unknown operation 'fetc' (did you mean 'fetch'?)"),
        ("operations.parse.needs[2]", "an operation cannot need itself"),
        ("operations.parse.needs[3]", "'fetch' is already listed at needs[0]"),
        ("operations.parse.needs[4]", "unknown operation 'zzz'"),
    ]


def test_a_cycle_is_named_once() -> None:
    document = workflow(
        {
            "c": {"uses": "if", "needs": ["a"]},
            "a": {"uses": "if", "needs": ["b"]},
            "b": {"uses": "if", "needs": ["c"]},
            "d": {"uses": "if", "needs": ["a"]},
        }
    )
    assert problems(document) == [("operations.a.needs", "dependency cycle: a → b → c → a")]


def test_each_distinct_cycle_is_reported() -> None:
    document = workflow(
        {
            "a": {"uses": "if", "needs": ["b"]},
            "b": {"uses": "if", "needs": ["a", "c"]},
            "c": {"uses": "if", "needs": ["b"]},
            "x": {"uses": "if", "needs": ["y"]},
            "y": {"uses": "if", "needs": ["x"]},
        }
    )
    assert problems(document) == [
        ("operations.a.needs", "dependency cycle: a → b → a"),
        ("operations.b.needs", "dependency cycle: b → c → b"),
        ("operations.x.needs", "dependency cycle: x → y → x"),
    ]


def test_template_syntax_errors_give_the_line_in_the_template() -> None:
    document = workflow(
        {"a": {"uses": "convert", "with": {"text": ["fine", "one\ntwo {% if %}"]}}},
        outputs={"o": {"deep": "{{ 1 +"}},
    )
    assert problems(document) == [
        (
            "operations.a.with.text[1]",
            "template syntax error at line 2 of the template: "
            "Expected an expression, got 'end of statement block'",
        ),
        (
            "outputs.o.deep",
            "template syntax error at line 1 of the template: unexpected 'end of template'",
        ),
    ]


def test_unknown_filters_are_syntax_errors() -> None:
    document = workflow({"a": {"uses": "convert", "with": {"x": "{{ 1 | shout }}"}}})
    [(path, message)] = problems(document)
    assert path == "operations.a.with.x"
    assert "No filter named 'shout'" in message


def test_names_in_scope() -> None:
    good = "{{ inputs.x }}{{ item }}{{ index }}{{ run.id }}{{ range(3) }}"
    loops = "{% for r in inputs.x %}{{ r }}{{ loop.index }}{% endfor %}{% set y = 1 %}{{ y }}"
    body = {"uses": "convert", "with": {"good": good, "loops": loops, "bad": "{{ input.x }}"}}
    document = workflow(
        {"each": {"uses": "foreach", "with": {"items": [1]}, "do": body}}, inputs={"x": {}}
    )
    assert problems(document) == [
        (
            "operations.each.do.with.bad",
            "unknown name 'input' (did you mean 'inputs'?); "
            "names in scope: inputs, ops, item, index, run, secrets",
        )
    ]


def test_item_and_index_exist_only_in_loop_bodies() -> None:
    document = workflow({"a": {"uses": "convert", "with": {"x": "{{ item }}"}}})
    assert problems(document) == [
        ("operations.a.with.x", "'item' is only defined inside a loop body (the `do` of a loop)")
    ]


def test_operation_references_must_be_upstream() -> None:
    document = workflow(
        {
            "a": {"uses": "convert"},
            "b": {"uses": "convert", "needs": ["a"]},
            "c": {
                "uses": "convert",
                "needs": ["b"],
                "with": {
                    "transitive": "{{ ops.a.output }} {{ ops['b'].output }}",
                    "not_upstream": "{{ ops.d.output }}",
                    "unknown": "{{ ops.bb.output }}",
                    "itself": "{{ ops.c.output }}",
                    "dynamic": "{{ ops[inputs.which].output }}",
                },
            },
            "d": {"uses": "convert"},
        },
        inputs={"which": {}},
    )
    assert problems(document) == [
        (
            "operations.c.with.not_upstream",
            "ops.d is read, but 'd' is not upstream of 'c': add 'd' to its needs",
        ),
        ("operations.c.with.unknown", "unknown operation 'bb' in ops.bb (did you mean 'b'?)"),
        ("operations.c.with.itself", "an operation cannot read its own result (ops.c)"),
    ]


def test_inputs_must_be_declared() -> None:
    document = workflow(
        {"a": {"uses": "convert", "with": {"u": "{{ inputs.csv }}", "v": "{{ inputs['n'] }}"}}},
        inputs={"csv_url": {"type": "string"}},
    )
    assert problems(document) == [
        ("operations.a.with.u", "unknown input 'csv' (did you mean 'csv_url'?)"),
        ("operations.a.with.v", "unknown input 'n'"),
    ]
    no_inputs = workflow({"a": {"uses": "convert", "with": {"u": "{{ inputs.csv }}"}}})
    assert problems(no_inputs) == [
        ("operations.a.with.u", "unknown input 'csv' (none are declared)")
    ]


def test_outputs_may_read_any_operation_but_not_unknown_ones() -> None:
    document = workflow(
        {"a": {"uses": "convert"}, "b": {"uses": "convert"}},
        outputs={"both": ["{{ ops.a.output }}", "{{ ops.b.output }}"], "bad": "{{ ops.z }}"},
    )
    assert problems(document) == [("outputs.bad", "unknown operation 'z' in ops.z")]


def test_every_problem_is_reported_at_once() -> None:
    document = workflow(
        {
            "a": {"uses": "if", "needs": ["b"], "timeout": "soon"},
            "b": {"uses": "iff", "needs": ["a"], "with": {"x": "{{ ops.c }}"}},
            "c": {"uses": "http.request", "with": {"url": 5}},
        },
        settings={"max_parallel": 0},
        outputs={"o": "{{ nope }}"},
    )
    found = problems(document)
    assert [path for path, _ in found] == [
        "settings.max_parallel",
        "operations.a.timeout",
        "operations.b.uses",
        "operations.c.with.url",
        "operations.a.needs",
        "operations.b.with.x",
        "outputs.o",
    ]
    assert "dependency cycle: a → b → a" in dict(found).values()


def test_the_same_problem_is_reported_once() -> None:
    document = workflow({"a": {"uses": "convert", "with": {"x": "{{ nope }} {{ nope.y }}"}}})
    assert len(problems(document)) == 1


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(DefinitionInvalid) as caught:
        validate(["not", "a", "mapping"], kinds=KINDS)  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == [""]


def test_validation_does_not_change_the_document() -> None:
    before = copy.deepcopy(DESIGN_EXAMPLE)
    validate(DESIGN_EXAMPLE, kinds=KINDS)
    assert before == DESIGN_EXAMPLE


def test_the_exception_carries_problem_objects() -> None:
    with pytest.raises(DefinitionInvalid) as caught:
        validate(workflow({}), kinds=KINDS)
    assert caught.value.problems == [
        Problem(
            path="operations",
            message="Dictionary should have at least 1 item after validation, not 0",
        )
    ]


# Properties: a random DAG validates; a random edge closing a loop is found as a cycle.


@st.composite
def dags(draw: st.DrawFn) -> dict[str, list[str]]:
    size = draw(st.integers(min_value=1, max_value=12))
    keys = [f"op{i}" for i in range(size)]
    return {
        key: draw(st.lists(st.sampled_from(keys[:i]), unique=True)) if i else []
        for i, key in enumerate(keys)
    }


def as_document(graph: dict[str, list[str]]) -> dict[str, Any]:
    operations = {
        key: {
            "uses": "convert",
            "needs": needs,
            "with": {"seen": [f"{{{{ ops.{need}.output }}}}" for need in needs]},
        }
        for key, needs in graph.items()
    }
    return workflow(operations, outputs={"all": [f"{{{{ ops.{k}.output }}}}" for k in graph]})


def reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen, pending = set(), [start]
    while pending:
        for need in graph[pending.pop()]:
            if need not in seen:
                seen.add(need)
                pending.append(need)
    return seen


@settings(max_examples=60, deadline=None)
@given(dags())
def test_random_dags_validate(graph: dict[str, list[str]]) -> None:
    definition = validate(as_document(graph), kinds=KINDS)
    assert {key: op.needs for key, op in definition.operations.items()} == graph


@settings(max_examples=60, deadline=None)
@given(dags(), st.data())
def test_a_back_edge_is_found_as_a_cycle(graph: dict[str, list[str]], data: st.DataObject) -> None:
    pairs = [(low, high) for high in graph for low in reachable(graph, high)]
    if not pairs:
        pairs = [(next(iter(graph)), next(iter(graph)))]
    low, high = data.draw(st.sampled_from(pairs))
    graph[low] = [*graph[low], high]  # low now needs something that needs it
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter(graph).prepare()

    with pytest.raises(DefinitionInvalid) as caught:
        validate(as_document(graph), kinds=KINDS)
    cycles = [p.message for p in caught.value.problems if p.message.startswith("dependency cycle")]
    if low == high:
        assert cycles == []
        assert any(p.message == "an operation cannot need itself" for p in caught.value.problems)
        return
    assert cycles
    for message in cycles:
        cycle = message.removeprefix("dependency cycle: ").split(" → ")
        assert cycle[0] == cycle[-1]
        assert len(set(cycle[:-1])) == len(cycle) - 1
        assert all(after in graph[before] for before, after in itertools.pairwise(cycle))
    assert len(cycles) == len(set(cycles))
