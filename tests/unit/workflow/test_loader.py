import json
import pickle

import pytest

from raikoo_common.workflow import (
    DefinitionInvalid,
    Problem,
    WorkflowDefinition,
    load_definition,
    parse_document,
)

YAML = """\
name: demo
operations:
  fetch:
    uses: http.request
    with: {url: "https://example.com"}
"""


def problems_of(text: str | bytes, **kwargs: object) -> list[Problem]:
    with pytest.raises(DefinitionInvalid) as caught:
        parse_document(text, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


def test_yaml_becomes_plain_data() -> None:
    assert parse_document(YAML) == {
        "name": "demo",
        "operations": {"fetch": {"uses": "http.request", "with": {"url": "https://example.com"}}},
    }


def test_json_is_detected_from_the_text_and_from_the_source_name() -> None:
    data = {"name": "demo", "operations": {"a": {"uses": "x", "with": {"n": 1e5}}}}
    text = json.dumps(data, indent=2)
    assert parse_document(text) == data
    assert parse_document(text, source="flow.json") == data
    assert parse_document(text, fmt="json") == data


def test_a_yaml_flow_mapping_is_not_mistaken_for_json() -> None:
    assert parse_document("{name: demo, operations: {}}") == {"name": "demo", "operations": {}}


def test_bytes_are_utf8_with_or_without_bom() -> None:
    assert parse_document("name: café\n".encode()) == {"name": "café"}
    assert parse_document(b"\xef\xbb\xbfname: x\n") == {"name": "x"}
    [problem] = problems_of(b"name: \xff\n")
    assert "UTF-8" in problem.message


def test_yaml_11_surprises_stay_strings() -> None:
    data = parse_document("on: [error]\nanswer: yes\nwhen: 2024-01-01\nflag: true\noff: no\n")
    assert data == {
        "on": ["error"],
        "answer": "yes",
        "when": "2024-01-01",
        "flag": True,
        "off": "no",
    }


@pytest.mark.parametrize(
    ("text", "path", "line", "what"),
    [
        ("name: x\nbase: &b {uses: x}\n", "base", 2, "the anchor &b"),
        ("name: x\nops:\n  - a\n  - *b\n", "ops[1]", 4, "the alias *b"),
        ("merged: {<<: *b, name: y}\n", 'merged["<<"]', 1, "the alias *b"),
        ("a: !!str &s text\n", "a", 1, "the anchor &s"),
    ],
)
def test_anchors_and_aliases_are_refused_naming_where(
    text: str, path: str, line: int, what: str
) -> None:
    [problem] = problems_of(text)
    assert (problem.path, problem.line) == (path, line)
    assert what in problem.message
    assert "anchors and aliases are not supported" in problem.message


def test_an_alias_bomb_is_refused_before_anything_is_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    [problem] = problems_of("\n".join(lines))
    assert (problem.path, problem.line) == ("a0", 1)


@pytest.mark.parametrize(
    ("text", "fmt", "path", "line"),
    [
        ("[" * 1000 + "]" * 1000, "json", "[0][0][0][0][0][0]… (64 levels down)", 1),
        ('{"a":\n' + "[" * 100_000, "json", "a[0][0][0][0][0]… (64 levels down)", 2),
        ("a:\n  b: " + "[" * 1000 + "]" * 1000, "yaml", "a.b[0][0][0][0]… (64 levels down)", 2),
        ("x: " + "{a: " * 100 + "1" + "}" * 100, "yaml", "x.a.a.a.a.a… (64 levels down)", 1),
        ("? " * 1000 + "x", "yaml", None, 1),
        ("[" * 1000, None, "[0][0][0][0][0][0]… (64 levels down)", 1),
    ],
)
def test_nesting_deeper_than_the_limit_is_refused_naming_where(
    text: str, fmt: str | None, path: str | None, line: int
) -> None:
    [problem] = problems_of(text, fmt=fmt)
    assert "deeper than 64 levels" in problem.message
    assert problem.line == line
    if path is not None:
        assert problem.path == path


def test_nesting_up_to_the_limit_is_read() -> None:
    deep = "[" * 63 + "]" * 63
    assert parse_document(f'{{"a": {deep}}}', fmt="json")["a"] == json.loads(deep)
    assert parse_document(f"a: {deep}", fmt="yaml")["a"] == json.loads(deep)


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ('{"name": "x",\n "with": {"k": "a\\ud800b"}}', "with.k", 2),
        ('{"name": "x",\n "with": {"\\udfff": 1}}', 'with["\\udfff"]', 2),
        ('name: x\nwith:\n  - "\\ud800"\n', "with[0]", 3),
        ('name: x\nwith: {k: "\\U0000DC00"}\n', "with.k", 2),
    ],
)
def test_lone_surrogates_are_refused_naming_where(text: str, path: str, line: int) -> None:
    [problem] = problems_of(text)
    assert (problem.path, problem.line) == (path, line)
    assert "lone surrogate" in problem.message


def test_surrogate_pairs_are_text() -> None:
    assert parse_document('{"name": "\\ud83d\\ude00"}') == {"name": "\U0001f600"}


def test_duplicate_keys_at_every_depth_are_all_reported_with_path_and_line() -> None:
    text = """\
name: demo
operations:
  fetch:
    uses: a
    with:
      url: x
      url: y
  fetch:
    uses: b
name: again
"""
    problems = problems_of(text, source="flow.yaml")
    assert [(p.path, p.line) for p in problems] == [
        ("operations.fetch.with.url", 7),
        ("operations.fetch", 8),
        ("name", 10),
    ]
    assert problems[0].message == "duplicate key 'url' (first defined on line 6)"


def test_duplicate_keys_in_json_are_reported_with_path_and_line() -> None:
    text = '{\n  "name": "x",\n  "operations": {\n    "a": {"uses": "x", "uses": "y"}\n  }\n}'
    [problem] = problems_of(text)
    assert problem.path == "operations.a.uses"
    assert problem.line == 4
    assert "'uses'" in problem.message


def test_yaml_syntax_errors_give_line_and_column() -> None:
    [problem] = problems_of("name: demo\noperations:\n  a: [1, 2\n  b: 3\n")
    assert problem.path == ""
    assert problem.message.startswith("invalid YAML")
    assert problem.line == 4
    assert "line 4, column 4" in problem.message


def test_json_syntax_errors_give_line_and_column() -> None:
    [problem] = problems_of('{\n  "name": "x",\n  "operations": {,}\n}', fmt="json")
    assert problem.message.startswith("invalid JSON")
    assert problem.line == 3
    assert "line 3, column 18" in problem.message


@pytest.mark.parametrize(
    ("text", "what"),
    [("- a\n- b\n", "a list"), ("just text", "a string"), ("42", "a number"), ("", "empty")],
)
def test_the_top_level_must_be_a_mapping(text: str, what: str) -> None:
    [problem] = problems_of(text)
    assert what in problem.message
    assert problem.path == ""


def test_several_yaml_documents_are_refused() -> None:
    [problem] = problems_of("name: a\n---\nname: b\n")
    assert "single document" in problem.message


def test_definition_invalid_lists_every_problem_with_its_path() -> None:
    error = DefinitionInvalid(
        [
            Problem(path="operations.fetch.needs[0]", message="unknown operation 'x'", line=3),
            Problem(path="", message="bad document"),
        ],
        "flow.yaml",
    )
    assert str(error) == (
        "flow.yaml: invalid workflow definition (2 problems)\n"
        "  - operations.fetch.needs[0]: unknown operation 'x' (line 3)\n"
        "  - (document): bad document"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems
    assert copy.source == "flow.yaml"


def test_problems_are_frozen() -> None:
    problem = Problem(path="name", message="m")
    with pytest.raises(ValueError, match="frozen"):
        problem.message = "other"  # type: ignore[misc]


def test_load_definition_parses_and_validates() -> None:
    definition = load_definition(YAML, kinds={"http.request": None})
    assert isinstance(definition, WorkflowDefinition)
    assert definition.operations["fetch"].with_ == {"url": "https://example.com"}


def test_load_definition_points_validation_problems_at_lines() -> None:
    text = YAML + "  parse:\n    uses: nope\n    needs: [fetch, missing]\n"
    with pytest.raises(DefinitionInvalid) as caught:
        load_definition(text, kinds={"http.request": None}, source="flow.yaml")
    assert caught.value.source == "flow.yaml"
    assert [(p.path, p.line) for p in caught.value.problems] == [
        ("operations.parse.uses", 7),
        ("operations.parse.needs[1]", 8),
    ]


def test_load_definition_points_at_lines_of_json_too() -> None:
    document = {"name": "demo", "operations": {"a": {"uses": "x", "needs": ["b"]}}}
    text = json.dumps(document, indent=2)
    with pytest.raises(DefinitionInvalid) as caught:
        load_definition(text, kinds={"x": None})
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("operations.a.needs[0]", 7)


def test_a_missing_field_points_at_its_parent() -> None:
    with pytest.raises(DefinitionInvalid) as caught:
        load_definition("name: demo\noperations:\n  a:\n    needs: []\n", kinds={})
    [problem] = caught.value.problems
    assert (problem.path, problem.message, problem.line) == (
        "operations.a.uses",
        "required field is missing",
        3,
    )
