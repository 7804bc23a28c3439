"""Secrets are capabilities: a definition may place one only in a kind's credential fields,
as it is; everything else is refused when it is stored, naming where."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from raikoo_common.workflow import DefinitionInvalid
from raikoo_common.workflow import validate_definition as validate


class Call(BaseModel):
    model_config = ConfigDict(extra="allow")

    CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (("headers", "*"),)


KINDS: dict[str, Any] = {"call": Call, "set": None, "foreach": None}


def problems(with_: dict[str, Any], **extra: Any) -> list[str]:
    document = {"name": "t", "operations": {"a": {"uses": "call", "with": with_, **extra}}}
    try:
        validate(document, kinds=KINDS)
    except DefinitionInvalid as exc:
        return [f"{p.path}: {p.message}" for p in exc.problems]
    return []


@pytest.mark.parametrize(
    "value",
    [
        "{{ secrets.TOKEN }}",
        "Bearer {{ secrets.TOKEN }}",
        "{{ secrets['TOKEN'] }}",
        "key={{ secrets.A }}; other={{ secrets.B }}",
    ],
)
def test_a_secret_placed_as_it_is_in_a_credential_field_is_fine(value: str) -> None:
    assert problems({"headers": {"Authorization": value}}) == []


@pytest.mark.parametrize(
    "value",
    [
        "{{ secrets.TOKEN | b64encode }}",
        "{{ secrets.TOKEN | reverse | join }}",
        "{{ secrets.TOKEN[1:] }}",
        "{{ secrets.TOKEN | upper }}",
        "{{ 'Bearer ' ~ secrets.TOKEN }}",
        "{{ secrets.TOKEN if true else '' }}",
        "{% for c in secrets.TOKEN %}{{ c }}{% endfor %}",
        "{{ secrets }}",
    ],
)
def test_a_transformed_secret_is_refused_even_in_a_credential_field(value: str) -> None:
    found = problems({"headers": {"X-Key": value}})
    assert found == [
        "operations.a.with.headers.X-Key: a secret must be placed as it is — "
        "`{{ secrets.NAME }}`, alone or within text such as `Bearer {{ secrets.NAME }}` — "
        "not transformed: a filter, an operator or a call would work on its value in plain text"
    ]


def test_a_computed_secret_name_is_refused() -> None:
    found = problems({"headers": {"X-Key": "{{ secrets[inputs.which] }}"}})
    assert any("write the secret's name out" in p for p in found)


@pytest.mark.parametrize(
    ("with_", "where"),
    [
        ({"url": "https://{{ secrets.TOKEN }}.example.com/"}, "url"),
        ({"body": "{{ secrets.TOKEN }}"}, "body"),
        ({"query": {"key": "{{ secrets.TOKEN }}"}}, "query.key"),
        ({"headers": "{{ {'a': secrets.TOKEN} }}"}, "headers"),
    ],
)
def test_a_secret_outside_the_credential_fields_is_refused(
    with_: dict[str, Any], where: str
) -> None:
    found = problems(with_)
    assert found == [
        f"operations.a.with.{where}: a secret can be used only in the credential fields of "
        "`call` (headers.*): here its value would be plain text that templates, transforms "
        "and outputs could read (docs/security.md)"
    ]


def test_kinds_without_credential_fields_take_no_secret() -> None:
    document = {
        "name": "t",
        "operations": {
            "s": {"uses": "set", "with": {"v": "{{ secrets.TOKEN }}"}},
            "loop": {
                "uses": "foreach",
                "with": {"items": [1]},
                "do": {"uses": "set", "with": {"v": "{{ secrets.TOKEN | b64encode }}"}},
            },
        },
    }
    with pytest.raises(DefinitionInvalid) as caught:
        validate(document, kinds=KINDS)
    paths = {p.path for p in caught.value.problems}
    assert paths == {"operations.s.with.v", "operations.loop.do.with.v"}
    assert all("`set` has none" in p.message for p in caught.value.problems)


def test_conditions_take_no_secret() -> None:
    found = problems({}, when="{{ secrets.TOKEN == 'x' }}")
    assert found
    assert found[0].startswith("operations.a.when: a secret can be used only")
