"""What a definition declares is checked when it is validated, not when it runs."""

from typing import Any

import pytest

from raikoo_common.error_kinds import DEFAULT_RETRY_ON, ERROR_KINDS
from raikoo_common.workflow import DefinitionInvalid, RetryPolicy
from raikoo_common.workflow import validate_definition as validate

KINDS: dict[str, Any] = {"set": None, "fail": None, "foreach": None}


def problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionInvalid) as caught:
        validate(document, kinds=KINDS)
    return [(problem.path, problem.message) for problem in caught.value.problems]


def workflow(**top: Any) -> dict[str, Any]:
    return {"name": "test", "operations": {"a": {"uses": "set"}}, **top}


@pytest.mark.parametrize(
    ("kind", "good", "bad", "said"),
    [
        ("string", "x", 3, "expected a string, got int 3"),
        ("integer", 3, 3.5, "expected an integer, got float 3.5"),
        ("integer", -1, True, "expected an integer, got bool True"),
        ("number", 2.5, "2.5", "expected a number, got str '2.5'"),
        ("boolean", False, "no", "expected true or false, got str 'no'"),
        ("object", {"a": 1}, [1], "expected an object, got list [1]"),
        ("array", [1], {"a": 1}, "expected an array, got dict {'a': 1}"),
    ],
)
def test_an_input_default_must_fit_its_declared_type(
    kind: str, good: Any, bad: Any, said: str
) -> None:
    validate(workflow(inputs={"x": {"type": kind, "default": good}}), kinds=KINDS)
    assert problems(workflow(inputs={"x": {"type": kind, "default": bad}})) == [
        ("inputs.x.default", f"the default does not fit `type: {kind}`: {said}")
    ]


def test_a_null_default_and_untyped_inputs_take_anything() -> None:
    validate(
        workflow(
            inputs={
                "optional": {"type": "integer", "default": None},
                "anything": {"default": [1, "two"]},
            }
        ),
        kinds=KINDS,
    )


def test_retry_on_must_name_error_kinds_that_exist() -> None:
    document = {
        "name": "test",
        "operations": {
            "a": {"uses": "set", "retry": {"on": ["timeout", "http_statu", "any"]}},
            "each": {
                "uses": "foreach",
                "with": {"items": [1]},
                "do": {"uses": "set", "retry": {"on": ["teapot"]}},
            },
        },
    }
    found = problems(document)
    assert [path for path, _ in found] == [
        "operations.a.retry.on[1]",
        "operations.each.do.retry.on[0]",
    ]
    assert found[0][1].startswith(
        "unknown error kind 'http_statu' (did you mean 'http_status'?): nothing fails with it, "
        "so it never retries; `any` retries every retryable error"
    )


def test_retry_on_may_name_the_kind_a_fail_operation_reports() -> None:
    document = {
        "name": "test",
        "operations": {
            "flaky": {
                "uses": "fail",
                "with": {"error_kind": "teapot", "fail_attempts": 1},
                "retry": {"max_attempts": 2, "on": ["teapot"]},
            }
        },
    }
    validate(document, kinds=KINDS)


def test_the_default_retry_kinds_are_known_ones() -> None:
    assert RetryPolicy().on == list(DEFAULT_RETRY_ON)
    assert set(DEFAULT_RETRY_ON) <= set(ERROR_KINDS)


def test_outputs_cannot_read_secrets() -> None:
    document = workflow(
        outputs={
            "token": "{{ secrets.TOKEN }}",
            "nested": {"list": ["ok", "Bearer {{ secrets['KEY'] | upper }}"]},
            "fine": "{{ ops.a.output }}",
        }
    )
    found = problems(document)
    assert [path for path, _ in found] == ["outputs.token", "outputs.nested.list[1]"]
    assert found[0][1].startswith("outputs cannot read secrets")


def test_secrets_stay_usable_in_an_operations_credential_fields() -> None:
    class Headers:
        CREDENTIAL_SINKS = (("headers", "*"),)

        @classmethod
        def model_validate(cls, value: Any) -> Any:
            return value

    document = {
        "name": "test",
        "operations": {
            "a": {"uses": "call", "with": {"headers": {"auth": "Bearer {{ secrets.TOKEN }}"}}}
        },
    }
    validate(document, kinds={**KINDS, "call": Headers})  # type: ignore[dict-item]
