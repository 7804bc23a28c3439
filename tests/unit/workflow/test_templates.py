import importlib.util
import re
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raikoo_common.workflow import TemplateError, render_value, templates
from raikoo_common.workflow.templates import referenced_names, template_syntax_error

CONTEXT: dict[str, Any] = {
    "inputs": {"n": 3, "url": "https://example.com", "rows": [{"label": "bug"}, {"label": "idea"}]},
    "ops": {
        "classify": {"output": [[{"label": "bug"}], [{"label": "idea"}, {"label": "bug"}]]},
        "fetch": {"output": {"items": [1, 2], "body": "a,b"}},
    },
    "run": {"id": "r-1"},
}


def render(value: Any, **extra: Any) -> Any:
    return render_value(value, {**CONTEXT, **extra})


def failure(value: Any, where: str = "") -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render_value(value, CONTEXT, where=where)
    return caught.value


def test_plain_values_come_back_untouched() -> None:
    text = "no templates here { } }} {#"
    assert render(text) is text
    assert render(None) is None
    assert render(3.5) == 3.5
    assert render({"a": [1, "x", {"b": False}]}) == {"a": [1, "x", {"b": False}]}


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text().filter(lambda t: "{" not in t),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    )
)
def test_data_without_template_syntax_renders_to_itself(value: Any) -> None:
    assert render_value(value, {}) == value


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ inputs.n }}", 3),
        ("  {{ inputs.n + 1 }}\n", 4),
        ("{{ [1, inputs.n] }}", [1, 3]),
        ("{{ {'a': {'b': 1}} }}", {"a": {"b": 1}}),
        ("{{ inputs.n > 2 }}", True),
        ("{{ none }}", None),
        ("{{ '{{ not a template }}' }}", "{{ not a template }}"),
        ("{{ ops.fetch.output }}", {"items": [1, 2], "body": "a,b"}),
        ("{{ inputs.rows | map(attribute='label') }}", ["bug", "idea"]),
        ("{{- inputs.n -}}", 3),
    ],
)
def test_a_lone_expression_gives_its_native_value(source: str, expected: Any) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("n={{ inputs.n }}", "n=3"),
        ("{{ inputs.n }}{{ inputs.n }}", "33"),
        ("{% if inputs.n %}yes{% endif %}", "yes"),
        ("{% raw %}{{ x }}{% endraw %}", "{{ x }}"),
        ("line {{ inputs.n }}\n", "line 3\n"),
    ],
)
def test_other_templates_render_to_strings(source: str, expected: str) -> None:
    assert render(source) == expected


def test_rendering_walks_dicts_and_lists_and_leaves_keys_alone() -> None:
    value = {
        "{{ inputs.n }}": ["{{ inputs.n }}", ("{{ run.id }}",)],
        "json": {"count": "{{ ops.classify.output | length }}"},
    }
    assert render(value) == {"{{ inputs.n }}": [3, ["r-1"]], "json": {"count": 2}}


def test_any_mapping_serves_as_context() -> None:
    assert render_value("{{ a }}", MappingProxyType({"a": 1})) == 1


def test_a_dict_key_wins_over_a_dict_method() -> None:
    assert render("{{ ops.fetch.output.items }}") == [1, 2]
    assert render("{% for k, v in {'a': 1}.items() %}{{ k }}{{ v }}{% endfor %}") == "a1"


def test_the_design_example_condition() -> None:
    source = (
        "{{ ops.classify.output | flatten | selectattr('label', 'eq', 'bug') | list | length > 0 }}"
    )
    assert render(source) is True


def test_undefined_names_fail_with_where_and_line() -> None:
    error = failure({"k": ["ok", "text\n{{ nothing }}"]}, where="operations.b.with")
    assert error.where == "operations.b.with.k[1]"
    assert error.message == "'nothing' is undefined"
    assert error.line == 2
    assert str(error) == "operations.b.with.k[1]: 'nothing' is undefined (line 2 of the template)"


def test_missing_attributes_fail_even_as_a_native_value() -> None:
    assert "has no attribute 'missing'" in failure("{{ inputs.missing }}").message
    assert "has no attribute 'missing'" in failure("{{ [inputs.missing] }}").message


def test_where_joins_list_indexes_without_a_dot() -> None:
    assert failure(["{{ nope }}"], where="outputs").where == "outputs[0]"
    assert failure({"x": "{{ nope }}"}).where == "x"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ ''|attr('__class__') }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ [].__class__.__base__ }}",
        "{{ (1).__class__ }}",
        "{{ inputs.__class__ }}",
        "x {{ ''.__class__.__mro__ }}",
        "{{ inputs.rows.append(1) }}",
        "{{ inputs.update({'n': 4}) }}",
        "{{ range.__self__ }}",
        "{{ 'x' * 10**9 }}",
        "{{ [1] * 10**9 }}",
        "{{ 10 ** 1000000 }}",
        "{{ 'a{0.__class__}'.format('') }}",
    ],
)
def test_sandbox_escapes_fail_cleanly(source: str) -> None:
    error = failure(source)
    assert error.message


def test_the_sandbox_refusal_is_explained() -> None:
    assert "unsafe" in failure("{{ ''.__class__ }}").message
    assert "unsafe" in failure("{{ cycler.__init__.__globals__ }}").message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{{ inputs.n + 'a' }}", "TypeError"),
        ("{{ inputs.n | flatten }}", "flatten expects a list"),
        ("{{ range }}", "the result is a function (range), not JSON data"),
        ("{{ 'x' | fromjson }}", "JSONDecodeError"),
        ("{{ x", "syntax error"),
        ("{{ x | no_such_filter }}", "No filter named 'no_such_filter'"),
    ],
)
def test_errors_of_any_kind_become_template_errors(source: str, message: str) -> None:
    assert message in failure(source).message


def test_tojson_is_compact_and_escapes_nothing_for_html() -> None:
    value = {"a": "<b>&'"}
    assert render("{{ v | tojson }}", v=value) == '{"a":"<b>&\'"}'
    assert render("{{ v | tojson(indent=2) }}", v=[1]) == "[\n  1\n]"
    assert render("{{ inputs.rows | map(attribute='label') | tojson }}") == '["bug","idea"]'
    assert "tojson: the value is a function (range), not JSON data" in (
        failure("{{ range | tojson }}").message
    )


def test_fromjson_parses() -> None:
    assert render("{{ '{\"a\": [1]}' | fromjson }}") == {"a": [1]}


def test_flatten_one_level_or_deep() -> None:
    assert render("{{ [[1, [2]], 3, [4]] | flatten }}") == [1, [2], 3, 4]
    assert render("{{ [[1, [2, [3]]], 4] | flatten(deep=true) }}") == [1, 2, 3, 4]


def test_jinja_tests_work_in_selectattr() -> None:
    assert render("{{ inputs.rows | selectattr('label', 'in', ['idea']) | list }}") == [
        {"label": "idea"}
    ]


@pytest.mark.skipif(importlib.util.find_spec("jmespath") is None, reason="jmespath absent")
def test_jmespath_filter_when_installed() -> None:
    assert render("{{ inputs.rows | jmespath('[].label') }}") == ["bug", "idea"]


def test_referenced_names_reads_static_chains() -> None:
    source = (
        "{{ ops.fetch.output['body'] }}{{ ops[name].x }}{{ ops.a.output[0].b }}"
        "{% for row in inputs.rows %}{{ row.x }}{{ loop.index }}{% endfor %}"
        "{% set local = 1 %}{{ local }}{{ ops['with-dash'] }}{{ item | tojson }}"
    )
    assert referenced_names(source) == {
        ("ops", "fetch", "output", "body"),
        ("ops",),
        ("name",),
        ("ops", "a", "output"),
        ("inputs", "rows"),
        ("ops", "with-dash"),
        ("item",),
    }


def test_template_syntax_error_gives_message_and_line() -> None:
    assert template_syntax_error("{{ ok }} {% for x in y %}{{ x }}{% endfor %}") is None
    assert template_syntax_error("line\n{% if %}") == (
        "Expected an expression, got 'end of statement block'",
        2,
    )
    message, line = template_syntax_error("{{ x | nope }}") or ("", None)
    assert "No filter named 'nope'" in message
    assert line == 1


def test_compiled_templates_are_cached() -> None:
    source = "{{ inputs.n * 7 }} cached"
    render(source)
    before = templates._compile_cached.cache_info()
    render({"a": source, "b": [source]})
    after = templates._compile_cached.cache_info()
    assert after.hits == before.hits + 2
    assert after.misses == before.misses


def test_nested_loops_draw_on_one_budget_per_rendering() -> None:
    nested = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError, match=r"more than 1,000,000 steps"):
        render_value({"x": nested}, {}, where="operations.a.with")
    small = (
        "{% for x in xs %}{{ loop.index }}/{{ loop.length }}"
        "{% if not loop.last %},{% endif %}{% endfor %}"
    )
    assert render_value(small, {"xs": "abc"}) == "1/3,2/3,3/3"


def test_recursive_loops_are_refused_and_recursive_macros_draw_on_the_budget() -> None:
    recursive = (
        "{% for x in range(2000) recursive %}{% if loop.depth < 2 %}{{ loop(range(2000)) }}"
        "{% endif %}{% endfor %}"
    )
    with pytest.raises(TemplateError, match="recursive loops are not allowed"):
        render_value(recursive, {})
    doubling = (
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(25) }}"
    )
    with pytest.raises(TemplateError, match="more than 1,000,000 steps"):
        render_value(doubling, {})


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("{% set s = 'x' * 1000000 %}{% for _ in range(5) %}{% set s = s ~ s %}{% endfor %}"
         "{% set t = s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s %}", "(~)"),
        ("{{ 'x' | center(50000000) }}", "(center)"),
        ("{{ '%050000000d' | format(1) }}", "(format)"),
        ("{{ '%050000000d' % 1 }}", "(%)"),
        ("{{ ('x' * 1000000) | replace('x', 'yyyyyyyyyyyyyyyyyy') }}", "(replace)"),
        ("{{ 'x' * 1000000 + 'y' * 1000000 + 'z' * 1000000 + 'w' * 1000000 + 'v' * 1000000"
         " + 'u' * 1000000 + 't' * 1000000 + 's' * 1000000 + 'r' * 1000000 + 'q' * 1000000"
         " + 'p' }}", "(+)"),
    ],
)  # fmt: skip
def test_strings_cannot_grow_past_the_size_limit(source: str, refused: str) -> None:
    expected = f"the template built a string of more than 10,000,000 characters {refused}"
    with pytest.raises(TemplateError, match=re.escape(expected)):
        render_value(source, {})


def test_joining_padding_and_formatting_work_within_limits() -> None:
    rendered = render_value(
        "{{ name ~ '!' }} {{ 'hi' | center(6) }} {{ '%03d' % 7 }} {{ 'a,b' | replace(',', ';') }}",
        {"name": "Ada"},
    )
    assert rendered == "Ada!   hi   007 a;b"
