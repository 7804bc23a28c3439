"""Hostile templates (issue 10, item 2 and 7; issue 9): every payload of the security review
ends in a ``TemplateError`` that names the bound that fired and its limit, is refused before
it builds the value (no test here waits for one to finish), shows no memory address, and a
result that is not JSON names its path and type instead of failing deep in the scheduler.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from raikoo_common.workflow import TemplateError, render_value
from raikoo_common.workflow._filter_guards import RULES, guarded_filters
from raikoo_common.workflow._methods import BOUNDED_BY_INPUT, REFUSED, SIZED
from raikoo_common.workflow.bounds import SCHEDULER_LIMITS, RenderLimits
from raikoo_common.workflow.templates import GLOBAL_NAMES, _env
from tests._embedded import embedded_client
from tests.integration._api import Api

CHARACTERS = "the template built a string of more than 10,000,000 characters"
ITEMS = "the template built a list of more than 10,000,000 items"
BITS = "the template built an integer of more than 10,000 bits"
MEMORY = "the template built more than 256 MiB of values"
ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def refused(source: str, limits: RenderLimits = SCHEDULER_LIMITS, **values: Any) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render_value({"x": source}, values, where="with", limits=limits)
    assert caught.value.where == "with.x"
    return caught.value


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # namespace(x=2**50000) squared 15 times froze /healthz for 17 s
        ("{% set ns = namespace(x=2**50000) %}{% for i in range(15) %}"
         "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x > 0 }}", f"{BITS} (**)"),
        ("{% set ns = namespace(x=2**9000) %}{% for i in range(15) %}"
         "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x > 0 }}", f"{BITS} (*)"),
        ("{% set ns = namespace(x=2**9999) %}{% for i in range(15) %}"
         "{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x > 0 }}", f"{BITS} (+)"),
        ("{{ ('9' * 3000) | int * ('9' * 3000) | int }}", f"{BITS} (*)"),
        ("{{ ('9' * 4000) | int }}", f"{BITS} (int)"),
        ("{{ ([2 ** 9999] * 4) | sum }}", f"{BITS} (+)"),
        # (range(1)|batch(100000000,0))|first|length took the process to 1.7 GB
        ("{{ (range(1) | batch(100000000, 0)) | first | length }}", f"{ITEMS} (batch)"),
        ("{{ (range(1) | batch(9000000, 0)) | first | length }}", f"{MEMORY} (batch)"),
        ("{{ (range(10) | slice(100000000, 0)) | list | length }}", f"{ITEMS} (slice)"),
        # the 10,000,000-character cap was bypassed by each of these
        ("{{ (['x' * 1000000] * 11) | join }}", f"{CHARACTERS} (join)"),
        ("{{ (['x' * 1000000] * 11) | join(',') }}", f"{CHARACTERS} (join)"),
        ("{{ '{:>50000000}'.format('x') }}", f"{CHARACTERS} (format)"),
        ("{{ '{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}'.format('x' * 1000000) }}",
         f"{CHARACTERS} (format)"),
        ("{{ '{:.50000000f}'.format(1.5) }}", f"{CHARACTERS} (format)"),
        ("{{ '{0:{1}}'.format('x', 50000000) }}", f"{CHARACTERS} (format)"),
        ("{{ '{x}{x}{x}{x}{x}{x}{x}{x}{x}{x}{x}'.format_map({'x': 'y' * 1000000}) }}",
         f"{CHARACTERS} (format)"),
        ("{{ 'x'.ljust(50000000) }}", f"{CHARACTERS} (ljust)"),
        ("{{ 'x'.rjust(50000000) }}", f"{CHARACTERS} (rjust)"),
        ("{{ 'x'.center(50000000) }}", f"{CHARACTERS} (center)"),
        ("{{ 'x' | center(50000000) }}", f"{CHARACTERS} (center)"),
        ("{{ '1'.zfill(50000000) }}", f"{CHARACTERS} (zfill)"),
        ("{{ ('\t' * 100000).expandtabs(1000) }}", f"{CHARACTERS} (expandtabs)"),
        ("{{ ([[1] * 1000000] * 11) | flatten | length }}", f"{MEMORY} (flatten)"),
        ("{{ ([[[1] * 1000000] * 11]) | flatten(deep=true) | length }}", f"{MEMORY} (flatten)"),
        ("{{ (['x' * 1000000] * 11) | string }}", f"{CHARACTERS} (string)"),
        ("{{ (['x' * 1000000] * 11) | pprint }}", f"{CHARACTERS} (pprint)"),
        ("{{ ([[1] * 1000000] * 11) | jmespath('[]') | length }}", f"{MEMORY} (jmespath [])"),
        ("{{ [['x' * 1000000] * 11] | jmespath('[0] | join(`\",\"`, @)') }}",
         f"{CHARACTERS} (jmespath join())"),
        ("{{ (['x' * 1000000] * 11) | jmespath('to_string(@)') }}", f"{CHARACTERS} (jmespath"),
        # tojson(indent=10000000) wrote 250 MB
        ("{{ range(25) | list | tojson(indent=10000000) }}", f"{CHARACTERS} (tojson)"),
        ("{{ (['x' * 1000000] * 11) | tojson }}", f"{CHARACTERS} (tojson)"),
        # the other ways of making text grow
        ("{{ 'x' * 10 ** 9 }}", f"{CHARACTERS} (*)"),
        ("{{ [1] * 10 ** 9 }}", f"{ITEMS} (*)"),
        ("{{ '%50000000d' % 1 }}", f"{CHARACTERS} (%)"),
        ("{{ '%.50000000d' % 1 }}", f"{CHARACTERS} (%)"),
        ("{{ '%s%s%s%s%s%s%s%s%s%s%s' % (('y' * 1000000,) * 11) }}", f"{CHARACTERS} (%)"),
        ("{{ '%050000000d' | format(1) }}", f"{CHARACTERS} (format)"),
        ("{{ ('x' * 1000000) | replace('x', 'yyyyyyyyyyyyyyyyyy') }}", f"{CHARACTERS} (replace)"),
        ("{{ ('x' * 1000000).replace('x', 'yyyyyyyyyyyyyyyyyy') }}", f"{CHARACTERS} (replace)"),
        ("{{ ('a' * 1000000).translate({97: 'xxxxxxxxxxxxxxxxx'}) }}",
         f"{CHARACTERS} (translate)"),
        ("{{ ','.join(['x' * 1000000] * 11) }}", f"{CHARACTERS} (join)"),
        ("{{ ('\n' * 100000) | indent(1000) }}", f"{CHARACTERS} (indent)"),
        ("{{ ('ab ' * 100000) | wordwrap(1, wrapstring='y' * 100) }}",
         f"{CHARACTERS} (wordwrap)"),
        ("{{ ('a.co ' * 100000) | urlize(target='t' * 1000) }}", f"{CHARACTERS} (urlize)"),
        ("{{ now() | format_date('%c' * 1000000) }}", f"{CHARACTERS} (format_date)"),
        ("{{ now().strftime('%c' * 1000000) }}", f"{CHARACTERS} (strftime)"),
        ("{{ '{:' ~ '%c' * 1000000 ~ '}' }}", ""),  # only a string; formatting it would fail
        ("{{ lipsum(1000000, max=1000000) }}", f"{CHARACTERS} (lipsum)"),
        ("{% set ns = namespace(s='x' * 1000000) %}{% for _ in range(5) %}"
         "{% set ns.s = ns.s ~ ns.s %}{% endfor %}", f"{CHARACTERS} (~)"),
        ("{{ ('x' * 5000000 + 'y' * 5000000) + 'z' }}", f"{CHARACTERS} (+)"),
        ("{{ ([range(100000) | list] * 100) | sum(start=[]) | length }}", f"{MEMORY} (+)"),
        ("{% set s %}{% for i in range(11) %}{{ 'x' * 1000000 }}{% endfor %}{% endset %}",
         f"{CHARACTERS} (a macro, block or {{% set %}} body)"),
        ("{% macro m() %}{{ 'x' * 1000000 }}{% endmacro %}{% for i in range(11) %}"
         "{{ m() }}{% endfor %}x", f"{CHARACTERS} (the output)"),
        ("{% for i in range(11) %}{{ 'x' * 1000000 }}{% endfor %}", f"{CHARACTERS} (the output)"),
        ("{% set ns = namespace(l=[]) %}{% for i in range(300) %}"
         "{% set ns.l = ns.l + ['x' * 1000000] %}{% endfor %}", f"{MEMORY} (*)"),
        ("{% set ns = namespace(l=[]) %}{% for i in range(300) %}"
         "{% set ns.l = ns.l + [('x' * 1000000)[i:]] %}{% endfor %}", MEMORY),
        ("{{ 'x' | todatetime('%Y' * 100000) }}", "a date format may be at most 1,000 characters"),
        ("{{ now().strptime('2024', '%Y' * 100000) }}",
         "a date format may be at most 1,000 characters"),
        ("{{ 'a'.encode() }}", "encode() makes bytes"),
        ("{{ (1).to_bytes(10 ** 9, 'big') }}", "to_bytes() makes bytes"),
        ("{{ (('[[[' * 100000) ~ (']]]' * 100000)) | fromjson }}", "nests too deeply"),
    ],
)  # fmt: skip
def test_the_reviews_payloads_fail_with_the_bound_that_fired(source: str, message: str) -> None:
    if not message:
        render_value(source, {})  # building the format is allowed; it stays a string
        return
    assert message in refused(source).message


def test_a_render_stops_at_its_cpu_time_limit_rather_than_finishing() -> None:
    spin = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    limits = RenderLimits(max_steps=10**12, max_seconds=0.2)
    assert "the template ran for more than 0.2 s of CPU time" in refused(spin, limits).message


def test_a_render_stops_at_its_step_limit() -> None:
    spin = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    message = refused(spin).message
    assert "the template ran more than 1,000,000 steps" in message


def test_filters_that_visit_every_item_spend_a_step_per_item() -> None:
    rows = list(range(100_000))
    loop = "{% for i in range(20) %}{{ rows | sort | length }}{% endfor %}"
    patient = RenderLimits(max_seconds=600)  # only the steps may stop it
    assert "more than 1,000,000 steps" in refused(loop, patient, rows=rows).message


def test_the_render_budget_is_shared_by_every_field_of_a_value() -> None:
    spin = "{% for a in range(100000) %}{% endfor %}"
    render_value({"f0": spin}, {})  # one field alone is well within the budget
    with pytest.raises(TemplateError, match=r"more than 1,000,000 steps") as caught:
        render_value({f"f{n}": spin for n in range(11)}, {}, where="with")
    assert caught.value.where in ("with.f9", "with.f10")


def test_the_size_bound_fires_where_memory_would_allow_the_value() -> None:
    roomy = RenderLimits(max_memory=2**40)
    assert f"{ITEMS} (flatten)" in refused("{{ ([[1] * 1000000] * 11) | flatten }}", roomy).message
    assert f"{ITEMS} (batch)" in refused("{{ range(1) | batch(10000001, 0) }}", roomy).message


# -- no memory addresses -----------------------------------------------------------------

ADDRESS_PAYLOADS = [
    "{{ '%r' % lipsum }}",
    "{{ '%s' % lipsum }}",
    "{{ '%s' % [lipsum] }}",
    "{{ '%a' % (range,) }}",
    "{{ '%(f)s' % {'f': namespace} }}",
    "x {{ lipsum }}",
    "x {{ range }}",
    "x {{ namespace }}",
    "x {{ namespace() }}",
    "x {{ cycler(1, 2) }}",
    "x {{ joiner() }}",
    "x {{ dict }}",
    "x {{ now }}",
    "x {{ self }}",
    "x {{ 'a'.upper }}",
    "x {{ {}.get }}",
    "x {{ [lipsum] }}",
    "x {{ {'a': range} }}",
    "{% for i in [1] %}x {{ loop }}{% endfor %}",
    "{% for i in [1] %}{{ loop.cycle }}{% endfor %}",
    "{% macro m() %}{% endmacro %}x {{ m }}",
    "{{ lipsum | string }}",
    "{{ lipsum | pprint }}",
    "{{ lipsum | e }}",
    "{{ lipsum | safe }}",
    "{{ lipsum | upper }}",
    "{{ lipsum | center(100) }}",
    "{{ lipsum | urlencode }}",
    "{{ {'a': lipsum} | urlencode }}",
    "{{ {'a': lipsum} | xmlattr }}",
    "{{ [lipsum] | join }}",
    "{{ ['a', lipsum] | join(',') }}",
    "{{ ','.join([lipsum]) }}",
    "{{ 'a' ~ lipsum }}",
    "{{ '{}'.format(range) }}",
    "{{ '{!r}'.format(lipsum) }}",
    "{{ '{0.upper}'.format('a') }}",
    "{{ [lipsum] | tojson }}",
    "{{ [lipsum] | unique | list }}",
    "{{ lipsum | format }}",
    "{{ '%s' | format(lipsum) }}",
    "{{ [[1], lipsum] | string }}",
    "{{ namespace(a=lipsum) | string }}",
    "{{ cycler | attr('__init__') }}",
    "{{ lipsum }}",
    "{{ [range] }}",
    "{{ {'a': now} }}",
]


@pytest.mark.parametrize("source", ADDRESS_PAYLOADS)
def test_no_memory_address_appears_in_output_or_errors(source: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render_value(source, {})
    assert not ADDRESS.search(str(caught.value)), str(caught.value)


def test_lazy_sequences_are_written_as_the_list_they_give() -> None:
    # Jinja writes `<generator object sync_do_map at 0x7f…>`; the text rule writes the list.
    assert render_value("x {{ xs | map('upper') }}", {"xs": ["a", "b"]}) == "x ['A', 'B']"
    assert render_value("x {{ xs | reverse }}", {"xs": [1, 2]}) == "x [2, 1]"
    assert render_value("{{ xs | select }}", {"xs": [0, 1, 2]}) == [1, 2]


def test_data_keeps_its_text() -> None:
    values = {"when": "2024-05-01T10:00:00Z", "rows": [{"a": 1}, {"a": None}], "g": [{"a": 1}]}
    source = (
        "{{ rows }} {{ (when | todatetime) - (when | todatetime) }} {{ 1.5 }} {{ none }} "
        "{{ (1, 'b') }} {{ range(3) }} {{ g | groupby('a') | first }}"
    )
    assert render_value(source, values) == (
        "[{'a': 1}, {'a': None}] 0:00:00 1.5 None (1, 'b') range(0, 3) (1, [{'a': 1}])"
    )


# -- results that are not JSON (issue 9) --------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ now() - now() }}", "the result is a duration, not JSON data; use .total_seconds()"),
        ("{{ now().tzinfo }}", "the result is a time zone, not JSON data"),
        ("{{ self }}", "the result is self (the template), not JSON data"),
        ("{{ 'a'.encode() }}", "encode() makes bytes"),
        ("{{ lipsum }}", "the result is a function (lipsum), not JSON data; call it"),
        ("{{ 'a'.upper }}", "the result is a function (upper), not JSON data"),
        ("{{ namespace(a=1) }}", "the result is a namespace, not JSON data"),
        ("{{ cycler(1, 2) }}", "the result is a cycler, not JSON data"),
        ("{{ joiner() }}", "the result is a joiner, not JSON data"),
        ("{% for x in [1] %}{{ loop }}{% endfor %}", None),  # text: refused as text
        ("{{ 'nan' | float }}", "the result is the number nan, not JSON data"),
        ("{{ '-inf' | float }}", "the result is the number -inf, not JSON data"),
        ("{{ 2 ** 63 }}", "the result is an integer beyond 64 bits, not JSON data"),
        ("{{ -(2 ** 63) - 1 }}", "the result is an integer beyond 64 bits"),
        ("{{ {'a': [1, now() - now()]} }}", "the result at a[1] is a duration, not JSON data"),
        ("{{ {'a': {'b': now().tzinfo}} }}", "the result at a.b is a time zone"),
        ("{{ [[lipsum]] }}", "the result at [0][0] is a function (lipsum)"),
        ("{{ {1: 'a', '1': 'b'} }}", "the result is a mapping with two keys written '1'"),
        ("{{ {(1, 2): 'a'} }}", "the result is a mapping with a key that is a tuple"),
        ("{{ ('[' * 300 ~ ']' * 300) | fromjson }}", "nested more than 200 levels deep"),
    ],
)
def test_a_result_that_is_not_json_names_its_path_and_type(
    source: str, message: str | None
) -> None:
    error = refused(source)
    assert error.where == "with.x"
    if message is not None:
        assert message in error.message
    assert not ADDRESS.search(str(error))


def test_results_that_are_json_with_plain_meaning_are_converted() -> None:
    source = (
        "{{ {'t': (1, 2), 'r': range(2), 'm': ['a'] | map('upper'), 'k': {2: 'x', none: 'y', "
        "false: 'z', 1.5: 'w'}, 'd': '2024-05-01' | todatetime, 'v': {'a': 1}.values(), "
        "'i': 2 ** 63 - 1, 'neg': -(2 ** 63)} }}"
    )
    result = render_value(source, {})
    assert result == {
        "t": [1, 2],
        "r": [0, 1],
        "m": ["A"],
        "k": {"2": "x", "null": "y", "false": "z", "1.5": "w"},
        "d": "2024-05-01T00:00:00+00:00",
        "v": [1],
        "i": 2**63 - 1,
        "neg": -(2**63),
    }
    orjson.dumps(result)  # what the scheduler does with it


def test_every_render_gives_data_the_bus_can_carry() -> None:
    # the scheduler's `with`, `when` and `outputs` and template.render share render_value
    rendered = render_value(
        {"with": "{{ [now(), (1,), {'a': range(1)}] }}", "when": "{{ 1 < 2 }}"}, {}
    )
    orjson.dumps(rendered)


# -- every filter, method and global has a rule --------------------------------------------


def test_every_filter_has_a_bounding_rule_and_is_wrapped() -> None:
    assert set(_env.filters) == set(RULES)
    for name, function in _env.filters.items():
        assert getattr(function, "jinja_pass_arg", None) is not None, name
    with pytest.raises(RuntimeError, match="filters without a bounding rule: shiny"):
        guarded_filters({"shiny": str.upper})


@pytest.mark.parametrize(
    "sample",
    [
        "text",
        1,
        1.5,
        [1],
        (1,),
        {"a": 1},
        range(2),
        datetime(2024, 5, 1),
        date(2024, 5, 1),
        time(10),
        timedelta(1),
    ],
)
def test_every_method_a_template_can_call_is_classified(sample: Any) -> None:
    sandbox = ImmutableSandboxedEnvironment()
    callable_names = [
        name
        for name in dir(sample)
        if not name.startswith("_")
        and callable(getattr(sample, name))
        and sandbox.is_safe_attribute(sample, name, getattr(sample, name))
    ]
    classified = set(SIZED) | REFUSED | BOUNDED_BY_INPUT
    assert [name for name in callable_names if name not in classified] == []


def test_the_globals_are_the_known_bounded_ones() -> None:
    assert set(GLOBAL_NAMES) == {
        "range", "dict", "lipsum", "cycler", "joiner", "namespace", "now",
        "raikoo_loop_budget", "raikoo_concat", "raikoo_slice",
    }  # fmt: skip
    with pytest.raises(TemplateError, match="Range too big"):
        render_value("{{ range(200000) }}", {})


async def test_a_run_whose_templates_give_no_json_fails_rather_than_sticking(
    tmp_path: Path,
) -> None:
    """Issue 9: such a result raised TypeError inside the scheduler, and the run stayed
    ``queued`` (first operation) or was lost after 5 minutes."""
    cases = {
        "with": (
            {"first": {"uses": "set", "with": {"x": "{{ now() - now() }}"}}},
            {},
            "operations.first.with.x: the result is a duration, not JSON data",
        ),
        "when": (
            {"a": {"uses": "noop"}, "b": {"uses": "noop", "needs": ["a"], "when": "{{ self }}"}},
            {},
            "operations.b.when: the result is self (the template), not JSON data",
        ),
        "outputs": (
            {"a": {"uses": "set", "with": {"v": 1}}},
            {"tz": "{{ [now().tzinfo] }}"},
            "outputs.tz: the result at [0] is a time zone, not JSON data",
        ),
    }
    async with embedded_client(tmp_path, timeout=60) as (raikoo, http):
        api = Api(raikoo.base_url, http, raikoo.local_admin_key)
        for name, (operations, outputs, message) in cases.items():
            definition = {"name": f"no-json-{name}", "operations": operations}
            if outputs:
                definition["outputs"] = outputs
            created = await api.run({"definition": definition})
            run, _ = await api.finish(created["id"], timeout=60)
            assert run["state"] == "failed", name
            assert message in run["error"]["message"], run["error"]


# -- template.render in the op-runner: a timeout stops it on time -------------------------

SPIN = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"


async def test_a_template_render_timeout_fails_the_operation_with_timeout(tmp_path: Path) -> None:
    """Before, a 1 s timeout fired after 2.5 to 4.8 s because a thread cannot be stopped. If
    the worker were not stopped, this render would end on its step bound instead."""
    async with embedded_client(tmp_path, timeout=60) as (raikoo, http):
        api = Api(raikoo.base_url, http, raikoo.local_admin_key)
        definition = {
            "name": "spin",
            "operations": {
                "render": {
                    "uses": "template.render",
                    "timeout": 1,
                    "with": {"template": SPIN},
                },
            },
        }
        created = await api.run({"definition": definition})
        run, _ = await api.finish(created["id"], timeout=120)
        assert run["state"] == "failed"
        assert run["error"]["message"] == (
            "operation 'render' failed: [timeout] did not finish within its timeout of 1s"
        )
        assert (await http.get("/healthz")).status_code == 200
