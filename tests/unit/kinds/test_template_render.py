"""template.render: the runner renders the template, sandboxed, with the operation's values."""

from typing import Any

import orjson
import pytest

from raikoo_common.runner import OperationError
from raikoo_common.workflow import DefinitionInvalid, validate_definition
from raikoo_common.workflow.deferred import deferred_fields
from raikoo_op_runner.kinds import catalog
from raikoo_op_runner.kinds.template_render import KIND, TemplateRenderConfig
from tests.unit.kinds._run import context, run_kind

CONTEXT = context("render")


async def run(config: dict[str, Any]) -> Any:
    return await run_kind(KIND, config)


async def failure(template: str, **values: Any) -> OperationError:
    with pytest.raises(OperationError) as caught:
        await run({"template": template, "values": values})
    return caught.value


def test_the_kind_is_discovered_and_its_template_left_to_the_runner() -> None:
    assert catalog()["template.render"] is KIND
    assert "template" in deferred_fields("template.render")


def test_the_template_is_checked_for_syntax_not_for_workflow_names() -> None:
    def definition(template: str) -> dict[str, Any]:
        with_ = {"template": template, "values": {"name": "{{ inputs.who }}"}}
        return {
            "apiVersion": "raikoo/v1",
            "kind": "Workflow",
            "name": "greet",
            "inputs": {"who": {"type": "string"}},
            "operations": {"greet": {"uses": "template.render", "with": with_}},
        }

    kinds = {"template.render": TemplateRenderConfig}
    validate_definition(definition("Hello {{ name }}"), kinds=kinds)  # `name` is in `values`
    with pytest.raises(DefinitionInvalid) as invalid:
        validate_definition(definition("Hello {{ name "), kinds=kinds)
    [problem] = invalid.value.problems
    assert problem.path == "operations.greet.with.template"
    assert "syntax error" in problem.message


async def test_renders_text_with_the_values() -> None:
    template = (
        "Hello {{ user.name }},\n"
        "{% for item in items %}- {{ item.title | upper }} ({{ item.qty }})\n{% endfor %}"
        "Total: {{ items | sum(attribute='qty') }}"
    )
    values = {
        "user": {"name": "Ada"},
        "items": [{"title": "pen", "qty": 2}, {"title": "ink", "qty": 3}],
    }
    output = await run({"template": template, "values": values})
    assert output == {
        "text": "Hello Ada,\n- PEN (2)\n- INK (3)\nTotal: 5",
        "data": None,
    }


async def test_plain_text_comes_back_as_written() -> None:
    assert await run({"template": "no {placeholders} here"}) == {
        "text": "no {placeholders} here",
        "data": None,
    }


async def test_trim_strips_surrounding_whitespace() -> None:
    output = await run(
        {"template": "\n  {{ greeting }}  \n", "values": {"greeting": "hi"}, "trim": True}
    )
    assert output["text"] == "hi"


async def test_json_output_parses_the_rendered_text() -> None:
    template = (
        '{"name": {{ name | tojson }}, "tags": {{ tags | tojson }}, "n": {{ tags | length }}}'
    )
    output = await run(
        {
            "template": template,
            "values": {"name": 'Ada "the first"', "tags": ["a", "b"]},
            "output": "json",
        }
    )
    assert output["data"] == {"name": 'Ada "the first"', "tags": ["a", "b"], "n": 2}
    assert orjson.loads(output["text"]) == output["data"]


async def test_a_single_expression_gives_its_value_as_json() -> None:
    values = {"rows": [{"a": 1}, {"a": 2}]}
    as_text = await run({"template": "{{ rows | map(attribute='a') | list }}", "values": values})
    assert as_text == {"text": "[1, 2]", "data": None}
    as_json = await run({"template": "{{ rows }}", "values": values, "output": "json"})
    assert as_json["data"] == [{"a": 1}, {"a": 2}]
    number = await run({"template": "{{ rows | length }}", "values": values, "output": "json"})
    assert number == {"text": "2", "data": 2}


async def test_date_filters_are_available() -> None:
    output = await run(
        {
            "template": "Due {{ created | add_days(14) | format_date('%d %B %Y') }}",
            "values": {"created": "2024-02-20T09:00:00Z"},
        }
    )
    assert output["text"] == "Due 05 March 2024"


async def test_text_that_is_not_json_fails_naming_line_and_column() -> None:
    with pytest.raises(OperationError) as caught:
        await run({"template": '{\n  "a": {{ a }},\n}', "values": {"a": 1}, "output": "json"})
    assert caught.value.kind == "invalid_json"
    assert "line 3, column 1" in str(caught.value)
    assert not caught.value.retryable


async def test_a_missing_value_fails_naming_it_and_its_line() -> None:
    error = await failure("first line\nsecond {{ custmer.name }}", customer={"name": "Ada"})
    assert error.kind == "template"
    assert not error.retryable
    assert "'custmer' is undefined" in str(error)
    assert "line 2 of the template" in str(error)


async def test_a_syntax_error_fails_with_its_line() -> None:
    error = await failure("ok\n{% for x in xs %}\n{{ x }}")
    assert error.kind == "template"
    assert "syntax error" in str(error)
    assert "line 3 of the template" in str(error)


async def test_a_filter_error_fails_cleanly() -> None:
    error = await failure("{{ when | todatetime }}", when="next tuesday")
    assert error.kind == "template"
    assert "'next tuesday' is not an ISO 8601 date" in str(error)


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ ''|attr('__class__') }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ namespace.__init__.__globals__ }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ range.__self__ }}",
        "{{ (1).__class__.__base__ }}",
    ],
)
async def test_sandbox_escapes_fail_cleanly(template: str) -> None:
    error = await failure(template)
    assert error.kind == "template"
    assert "class '" not in str(error)  # no Python object leaked into the message


async def test_values_are_immutable_inside_the_template() -> None:
    error = await failure("{{ items.append(4) }}", items=[1, 2, 3])
    assert error.kind == "template"
    assert "unsafe" in str(error) or "not safely callable" in str(error)


async def test_huge_values_are_refused() -> None:
    error = await failure("{{ 'x' * 10**9 }}")
    assert error.kind == "template"
    assert "the template built a string of more than 10,000,000 characters (*)" in str(error)


async def test_an_expression_giving_a_non_data_object_fails() -> None:
    error = await failure("{{ cycler(1, 2) }}")
    assert error.kind == "template"
    assert "the result is a cycler, not JSON data" in str(error)


def test_the_schema_is_precise() -> None:
    schema = TemplateRenderConfig.model_json_schema()
    assert schema["required"] == ["template"]
    assert schema["properties"]["output"]["enum"] == ["text", "json"]
    assert all(field.get("description") for field in schema["properties"].values())
