"""json.transform: JMESPath over data, refused at definition time when the expression is bad."""

from typing import Any

import pytest
from pydantic import ValidationError

from raikoo_common.runner import OperationError
from raikoo_common.workflow import DefinitionInvalid, validate_definition
from raikoo_op_runner.kinds import catalog
from raikoo_op_runner.kinds._jmespath import Compiled, expression_problem
from raikoo_op_runner.kinds.json_transform import KIND, JsonTransformConfig
from tests.unit.kinds._run import context, run_kind

CONTEXT = context("reshape")

ORDERS = {
    "orders": [
        {"id": 1, "status": "open", "customer": {"name": "Ada"}, "total": 30.5},
        {"id": 2, "status": "closed", "customer": {"name": "Linus"}, "total": 12},
        {"id": 3, "status": "open", "customer": {"name": "Grace"}, "total": 7.25},
    ]
}


async def run(config: dict[str, Any]) -> Any:
    return await run_kind(KIND, config)


def workflow(with_: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "raikoo/v1",
        "kind": "Workflow",
        "name": "reshape",
        "inputs": {"expr": {"type": "string"}},
        "operations": {"reshape": {"uses": "json.transform", "with": with_}},
    }


def test_the_kind_is_discovered() -> None:
    assert catalog()["json.transform"] is KIND


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("orders[?status=='open'].id", [1, 3]),
        (
            "orders[?status=='open'].{id: id, who: customer.name}",
            [
                {"id": 1, "who": "Ada"},
                {"id": 3, "who": "Grace"},
            ],
        ),
        ("sum(orders[].total)", 49.75),
        ("max_by(orders, &total).customer.name", "Ada"),
        ("length(orders)", 3),
        ("orders[0].missing", None),
    ],
)
async def test_expressions_reshape_data(expression: str, expected: Any) -> None:
    assert await run({"data": ORDERS, "expression": expression}) == {"result": expected}


async def test_data_can_be_any_json_value() -> None:
    assert await run({"data": [3, 1, 2], "expression": "sort(@)"}) == {"result": [1, 2, 3]}
    assert await run({"data": None, "expression": "a.b"}) == {"result": None}


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("orders[", "ends too early (at column 8)"),
        ("orders[?status=='open'", "at column"),
        ("first name", "unexpected token: name (at column 7)"),
        ("user-id", "Unknown token '-' (at column 5)"),
        ("lenght(orders)", "unknown JMESPath function lenght()"),
        ("length(orders, @)", "length() takes 1 argument, not 2"),
        ("max_by(orders)", "max_by() takes 2 arguments, not 1"),
    ],
)
def test_a_bad_expression_is_refused_when_the_workflow_is_stored(
    expression: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        JsonTransformConfig.model_validate({"data": {}, "expression": expression})
    assert fragment.lower() in str(caught.value).lower()

    with pytest.raises(DefinitionInvalid) as invalid:
        validate_definition(
            workflow({"data": {}, "expression": expression}),
            kinds={"json.transform": JsonTransformConfig},
        )
    [problem] = invalid.value.problems
    assert problem.path == "operations.reshape.with.expression"
    assert fragment.lower() in problem.message.lower()


def test_variadic_functions_accept_more_arguments() -> None:
    assert expression_problem("merge(a, b, c)") is None
    assert expression_problem("not_null(a, b, c)") is None
    assert expression_problem("merge()") == "merge() takes at least 1 argument, not 0"


def test_an_empty_expression_is_refused() -> None:
    with pytest.raises(ValidationError):
        JsonTransformConfig.model_validate({"data": {}, "expression": ""})
    assert expression_problem("") == "the JMESPath expression is empty"


def test_a_templated_expression_is_checked_once_rendered() -> None:
    definition = validate_definition(
        workflow({"data": {"a": 1}, "expression": "{{ inputs.expr }}"}),
        kinds={"json.transform": JsonTransformConfig},
    )
    assert definition.operations["reshape"].uses == "json.transform"


def test_data_is_required() -> None:
    with pytest.raises(ValidationError, match="data"):
        JsonTransformConfig.model_validate({"expression": "a"})


async def test_a_type_error_while_evaluating_is_an_operation_error() -> None:
    with pytest.raises(OperationError) as caught:
        await run({"data": {"values": ["a", "b"]}, "expression": "sum(values)"})
    assert caught.value.kind == "expression_error"
    assert not caught.value.retryable
    assert "expression: 'sum(values)' failed on data" in str(caught.value)
    assert "sum()" in str(caught.value)


def test_compiling_a_bad_expression_at_run_time_is_an_operation_error() -> None:
    # The runner validates the config first; this is what any other caller gets.
    with pytest.raises(OperationError) as caught:
        Compiled("a[", "expression")
    assert caught.value.kind == "invalid_expression"
    assert str(caught.value).startswith("expression: invalid JMESPath expression 'a['")


def test_every_config_field_is_described() -> None:
    schema = JsonTransformConfig.model_json_schema()
    assert schema["required"] == ["data", "expression"]
    assert all(field.get("description") for field in schema["properties"].values())
    assert schema["additionalProperties"] is False
