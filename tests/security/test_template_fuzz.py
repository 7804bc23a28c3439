"""Hostile templates generated from a grammar of the sandbox's operators, filters, methods
and globals: each render gives data within its bounds or a ``TemplateError`` — never
another exception, never a value past the size limit, never a memory address, never much
more memory than the render's budget — and an embedded Raikoo keeps answering ``/healthz``
while such templates run in workflows.
"""

from __future__ import annotations

import asyncio
import re
import tracemalloc
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raikoo_common.workflow import TemplateError, render_value
from raikoo_common.workflow._methods import BOUNDED_BY_INPUT, REFUSED, SIZED
from raikoo_common.workflow.bounds import RenderLimits
from raikoo_common.workflow.templates import _env
from tests._embedded import embedded_client

LIMITS = RenderLimits(max_seconds=0.5)
"""The scheduler's bounds, with less CPU time so that the suite stays short."""
MAX_SIZE = LIMITS.max_size
PEAK_MARGIN = 3 * LIMITS.max_memory
"""Peak memory allowed to one render: its estimated budget, three times over (a value is
built before it is measured; Python's own overheads)."""
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,}")

VALUES: dict[str, Any] = {
    "big": "x" * 1_000_000,
    "wide": ["y" * 100_000] * 100,
    "deep": [[1] * 1000] * 1000,
    "rows": [{"id": n, "tag": "ab"[n % 2]} for n in range(1000)],
    "n": 7,
}
ATOMS = [
    "0", "1", "2", "7", "-3", "100000", "10000000", "999999999", "10 ** 6", "2 ** 1000",
    "2 ** 9999", "1.5", "none", "true", "'nan' | float",
    "'x'", "''", "'ab,c'", "'\\t'", "'%s'", "'%r'", "'%50d'", "'{:>9}'", "'{0}{0}'",
    "'{!r}'", "'[1, [2]]'", "'%c'", "'a.co b@c.de'",
    "[1, 2, 3]", "[]", "['a', 'b']", "{'a': 1}", "(1, 2)", "range(5)", "range(100000)",
    "big", "wide", "deep", "rows", "n", "'x' * 1000000", "[0] * 1000000",
    "lipsum", "range", "namespace", "cycler", "joiner", "dict", "now", "self", "now()",
    "namespace(a=1)", "cycler(1, 2)", "now() - now()", "loop",
]  # fmt: skip
BINARY = ["*", "**", "+", "-", "%", "~", "//", "/", "in", "==", "and", "or"]
FILTERS = sorted(_env.filters)
METHODS = sorted(set(SIZED) | REFUSED | BOUNDED_BY_INPUT)
CALLS = ["lipsum", "range", "dict", "namespace", "cycler", "joiner", "now"]
KEYWORDS = [
    "attribute='id'", "attribute='tag'", "attribute='a.b'", "indent=100000", "indent='  '",
    "width=10000000", "wrapstring='yyyy'", "start=[]", "start=''", "fill_with=0",
    "case_sensitive=true", "deep=true", "default=big", "reverse=true", "target='t' * 1000",
    "max=1000000", "n=100000",
]  # fmt: skip
JMESPATH = [
    "[]", "[][]", "[@, @, @, @][]", "[*]", "to_string(@)", "join(',', @)", "[0]",
    "length(@)", "sort(@)", "reverse(@)", "[?@]", "{a: @, b: @}", "values(@)", "[::-1]",
    "map(&to_string(@), @)", "[*][*]", "@.a",
]  # fmt: skip


def atoms() -> st.SearchStrategy[str]:
    return st.sampled_from(ATOMS)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        return draw(atoms())
    inner = expressions(depth + 1)
    shape = draw(st.sampled_from(["binary", "filter", "method", "slice", "index", "call"]))
    if shape == "binary":
        return f"({draw(inner)} {draw(st.sampled_from(BINARY))} {draw(inner)})"
    if shape == "filter":
        name = draw(st.sampled_from(FILTERS))
        if name == "jmespath":
            arguments = [repr(draw(st.sampled_from(JMESPATH)))]
        else:
            arguments = draw(st.lists(atoms(), max_size=3))
            arguments += draw(st.lists(st.sampled_from(KEYWORDS), max_size=2, unique=True))
        return f"({draw(inner)}) | {name}({', '.join(arguments)})"
    if shape == "method":
        arguments = draw(st.lists(atoms(), max_size=2))
        return f"({draw(inner)}).{draw(st.sampled_from(METHODS))}({', '.join(arguments)})"
    if shape == "slice":
        step = draw(st.sampled_from(["", "1", "-1", "2"]))
        return f"({draw(inner)})[{draw(atoms())}:{draw(atoms())}:{step}]"
    if shape == "index":
        return f"({draw(inner)})[{draw(atoms())}]"
    arguments = draw(st.lists(atoms(), max_size=2))
    return f"{draw(st.sampled_from(CALLS))}({', '.join(arguments)})"


@st.composite
def templates(draw: st.DrawFn) -> str:
    expression = draw(expressions())
    form = draw(st.sampled_from(["native", "text", "loop", "accumulate", "macro"]))
    if form == "native":
        return f"{{{{ {expression} }}}}"
    if form == "text":
        return f"a {{{{ {expression} }}}} b {{{{ {draw(expressions())} }}}}"
    if form == "loop":
        count = draw(st.sampled_from(["3", "1000", "100000"]))
        return f"{{% for i in range({count}) %}}{{{{ {expression} }}}}{{% endfor %}}"
    if form == "accumulate":
        return (
            "{% set ns = namespace(v=big) %}{% for i in range(50) %}"
            f"{{% set ns.v = ns.v ~ ({expression}) %}}{{% endfor %}}{{{{ ns.v | length }}}}"
        )
    return (
        f"{{% macro m(x) %}}{{{{ {expression} }}}}{{{{ x }}}}{{% endmacro %}}"
        "{% for i in range(20) %}{{ m(i) }}{% endfor %}"
    )


def _render(source: str) -> Any:
    """The result, or the error's text: a render gives data or a ``TemplateError``."""
    try:
        return render_value(source, VALUES, where="with.x", limits=LIMITS)
    except TemplateError as error:
        return str(error)


def check(result: Any) -> None:
    orjson.dumps(result)  # what the scheduler does with every result
    if isinstance(result, str | list | dict):
        assert len(result) <= MAX_SIZE
    assert not ADDRESS.search(str(result)[:MAX_SIZE])


@settings(
    max_examples=800,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(templates())
def test_a_generated_template_stays_within_its_bounds(source: str) -> None:
    tracemalloc.start()
    try:
        result = _render(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    check(result)
    assert peak <= PEAK_MARGIN, f"{source!r} peaked at {peak / 2**20:.0f} MiB"


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_healthz_keeps_answering_while_hostile_templates_run(
    data: st.DataObject, tmp_path_factory: Any
) -> None:
    sample = [data.draw(templates()) for _ in range(10)]
    asyncio.run(_run_in_embedded(sample, tmp_path_factory.mktemp("fuzz")))


async def _run_in_embedded(sample: list[str], data_dir: Path) -> None:
    async with embedded_client(data_dir) as (_, http):
        operations: dict[str, Any] = {}
        for index, source in enumerate(sample):
            # the scheduler renders `with` in-process; template.render in a worker
            operations[f"in_scheduler_{index}"] = {"uses": "set", "with": {"v": source}}
            operations[f"in_worker_{index}"] = {
                "uses": "template.render",
                "timeout": 5,
                "with": {"template": source, "values": {"n": 7}},
            }
        definition = {"name": "fuzz", "inputs": {}, "operations": operations}
        created = await http.post("/v1/runs", json={"definition": definition})
        assert created.status_code == 201, created.text
        run_id = created.json()["id"]
        answered = 0
        while True:
            # A generous client timeout: a server frozen by a render would exceed it.
            health = await http.get("/healthz", timeout=10)
            assert health.status_code == 200
            answered += 1
            run = (await http.get(f"/v1/runs/{run_id}")).json()
            if run["state"] in ("succeeded", "failed", "cancelled"):
                break
            await asyncio.sleep(0.05)
        assert answered >= 1
        ops = (await http.get(f"/v1/runs/{run_id}/operations")).json()
        for op in ops.get("items", ops) if isinstance(ops, dict) else ops:
            error = op.get("error")
            if error is not None:
                assert error["kind"] in ("template", "timeout"), error
                assert not ADDRESS.search(error["message"])
