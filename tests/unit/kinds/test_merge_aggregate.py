"""merge and aggregate: combining outputs and summarizing records, with errors that say where."""

from typing import Any

import pytest
from pydantic import ValidationError

from raikoo_common.runner import Kind, OperationError
from raikoo_op_runner.kinds import aggregate, catalog, merge
from tests.unit.kinds._run import context, run_kind

CONTEXT = context("combine")

SALES = [
    {"region": "EU", "rep": "Ada", "amount": 120, "at": "2024-03-02"},
    {"region": "US", "rep": "Linus", "amount": 80.5, "at": "2024-01-15"},
    {"region": "EU", "rep": "Grace", "amount": 30, "at": "2024-02-11"},
    {"region": "APAC", "rep": "Ken", "amount": 45, "at": "2024-03-20"},
    {"region": "US", "rep": "Barbara", "amount": 19.5, "at": "2024-02-29"},
]


async def run(kind: Kind[Any], config: dict[str, Any]) -> Any:
    return await run_kind(kind, config)


async def merged(**config: Any) -> Any:
    return (await run(merge.KIND, config))["result"]


async def merge_error(**config: Any) -> OperationError:
    with pytest.raises(OperationError) as caught:
        await run(merge.KIND, config)
    assert caught.value.kind == "invalid_input"
    assert not caught.value.retryable
    return caught.value


async def aggregated(**config: Any) -> Any:
    return await run(aggregate.KIND, config)


async def aggregate_error(**config: Any) -> str:
    with pytest.raises(OperationError) as caught:
        await run(aggregate.KIND, config)
    assert caught.value.kind == "invalid_input"
    return str(caught.value)


def test_both_kinds_are_discovered() -> None:
    assert catalog()["merge"] is merge.KIND
    assert catalog()["aggregate"] is aggregate.KIND


# --- merge ----------------------------------------------------------------------------------


async def test_concat_joins_lists_in_order() -> None:
    assert await merged(mode="concat", inputs=[[1, 2], [], [{"a": 3}]]) == [1, 2, {"a": 3}]
    assert await merged(mode="concat", inputs=[]) == []


async def test_concat_names_the_input_that_is_not_a_list() -> None:
    error = await merge_error(mode="concat", inputs=[[1], [2], {"a": 1}])
    assert str(error) == "mode concat needs a list in every input, but inputs[2] is an object"


async def test_nulls_fail_unless_skipped() -> None:
    error = await merge_error(mode="concat", inputs=[[1], None])
    assert "inputs[1] is null (skip_nulls: true leaves null inputs out)" in str(error)
    assert await merged(mode="concat", inputs=[[1], None, [2]], skip_nulls=True) == [1, 2]


async def test_deep_merge_later_inputs_win() -> None:
    defaults = {"http": {"timeout": 10, "retries": 3, "headers": {"accept": "json"}}, "tags": ["a"]}
    override = {"http": {"timeout": 30, "headers": {"x-id": "1"}}, "tags": ["b"], "debug": None}
    assert await merged(mode="deep", inputs=[defaults, override]) == {
        "http": {"timeout": 30, "retries": 3, "headers": {"accept": "json", "x-id": "1"}},
        "tags": ["b"],
        "debug": None,
    }


async def test_deep_merge_can_append_lists() -> None:
    result = await merged(
        mode="deep",
        list_strategy="append",
        inputs=[{"tags": ["a"]}, {"tags": ["b"]}, {"tags": ["c"]}],
    )
    assert result == {"tags": ["a", "b", "c"]}


async def test_deep_merge_replaces_values_of_another_kind() -> None:
    assert await merged(mode="deep", inputs=[{"a": {"b": 1}}, {"a": [1]}, {"a": {"c": 2}}]) == {
        "a": {"c": 2}
    }


async def test_deep_merge_does_not_change_its_inputs() -> None:
    config = merge.MergeConfig.model_validate(
        {"mode": "deep", "inputs": [{"a": {"b": 1}}, {"a": {"c": 2}}]}
    )
    await merge.execute(config, CONTEXT)
    assert config.inputs == [{"a": {"b": 1}}, {"a": {"c": 2}}]


async def test_deep_merge_names_the_input_that_is_not_an_object() -> None:
    error = await merge_error(mode="deep", inputs=[{"a": 1}, [1, 2]])
    assert str(error) == "mode deep needs an object in every input, but inputs[1] is a list"


async def test_zip_pairs_items_into_lists_or_records() -> None:
    ids, names = [1, 2, 3], ["a", "b", "c"]
    assert await merged(mode="zip", inputs=[ids, names]) == [[1, "a"], [2, "b"], [3, "c"]]
    assert await merged(mode="zip", inputs=[ids, names], names=["id", "name"]) == [
        {"id": 1, "name": "a"},
        {"id": 2, "name": "b"},
        {"id": 3, "name": "c"},
    ]


async def test_zip_errors_name_the_inputs() -> None:
    error = await merge_error(mode="zip", inputs=[[1, 2], [1, 2], [1]])
    assert str(error) == "zip needs lists of equal length: inputs[2] has 1 items, inputs[0] has 2"
    error = await merge_error(mode="zip", inputs=[[1], "x"])
    assert "inputs[1] is a string" in str(error)
    error = await merge_error(mode="zip", inputs=[[1], [2]], names=["only"])
    assert str(error) == "names has 1 names for 2 inputs; give one per input"
    error = await merge_error(mode="zip", inputs=[[1], [2]], names=["a", "a"])
    assert str(error) == "names has duplicates"


def test_mode_is_required_and_enumerated() -> None:
    with pytest.raises(ValidationError, match="mode"):
        merge.MergeConfig.model_validate({"inputs": []})
    schema = merge.MergeConfig.model_json_schema()
    assert schema["properties"]["mode"]["enum"] == ["concat", "deep", "zip"]
    assert all(field.get("description") for field in schema["properties"].values())


# --- aggregate ------------------------------------------------------------------------------


async def test_groups_with_every_operation() -> None:
    output = await aggregated(
        items=SALES,
        group_by="region",
        aggregations={
            "revenue": {"op": "sum", "field": "amount"},
            "average": {"op": "avg", "field": "amount"},
            "smallest": {"op": "min", "field": "amount"},
            "latest": {"op": "max", "field": "at"},
            "reps": {"op": "collect", "field": "rep"},
            "first_rep": {"op": "first", "field": "rep"},
            "last_rep": {"op": "last", "field": "rep"},
            "names": {"op": "concat", "field": "rep", "separator": ", "},
            "with_rep": {"op": "count", "field": "rep"},
        },
    )
    assert output["total"] == 5
    assert [group["key"] for group in output["groups"]] == ["EU", "US", "APAC"]
    assert output["groups"][0] == {
        "key": "EU",
        "count": 2,
        "revenue": 150,
        "average": 75.0,
        "smallest": 30,
        "latest": "2024-03-02",
        "reps": ["Ada", "Grace"],
        "first_rep": "Ada",
        "last_rep": "Grace",
        "names": "Ada, Grace",
        "with_rep": 2,
    }
    assert output["groups"][1]["revenue"] == 100.0


async def test_without_group_by_the_whole_list_is_one_group() -> None:
    output = await aggregated(
        items=SALES, aggregations={"revenue": {"op": "sum", "field": "amount"}}
    )
    assert output == {"groups": [{"key": None, "count": 5, "revenue": 295.0}], "total": 5}
    empty = await aggregated(
        items=[],
        aggregations={
            "s": {"op": "sum"},
            "a": {"op": "avg"},
            "c": {"op": "collect"},
            "m": {"op": "max"},
        },
    )
    assert empty["groups"] == [{"key": None, "count": 0, "s": 0, "a": None, "c": [], "m": None}]


async def test_group_by_and_fields_are_jmespath() -> None:
    items = [
        {"order": {"customer": {"country": "FR"}, "lines": [{"qty": 2}, {"qty": 1}]}},
        {"order": {"customer": {"country": "DE"}, "lines": [{"qty": 5}]}},
        {"order": {"customer": {"country": "FR"}, "lines": []}},
    ]
    output = await aggregated(
        items=items,
        group_by="order.customer.country",
        aggregations={"units": {"op": "sum", "field": "sum(order.lines[].qty)"}},
    )
    assert output["groups"] == [
        {"key": "FR", "count": 2, "units": 3},
        {"key": "DE", "count": 1, "units": 5},
    ]


async def test_items_can_be_plain_values_and_keys_can_be_objects() -> None:
    assert (await aggregated(items=[3, 4.5], aggregations={"t": {"op": "sum"}}))["groups"][0][
        "t"
    ] == 7.5
    output = await aggregated(
        items=[{"k": {"a": 1, "b": 2}}, {"k": {"b": 2, "a": 1}}, {"k": [1]}], group_by="k"
    )
    assert [(g["key"], g["count"]) for g in output["groups"]] == [({"a": 1, "b": 2}, 2), ([1], 1)]


async def test_sums_of_floats_do_not_drift() -> None:
    output = await aggregated(items=[0.1] * 10, aggregations={"t": {"op": "sum"}})
    assert output["groups"][0]["t"] == 1.0


async def test_concat_of_lists() -> None:
    items = [{"tags": ["a", "b"]}, {"tags": ["c"]}]
    output = await aggregated(items=items, aggregations={"all": {"op": "concat", "field": "tags"}})
    assert output["groups"][0]["all"] == ["a", "b", "c"]


async def test_a_missing_value_is_reported_with_its_item_and_field() -> None:
    items = [{"amount": 1}, {"amount": 2}, {"price": 3}]
    message = await aggregate_error(
        items=items, aggregations={"total": {"op": "sum", "field": "amount"}}
    )
    assert message == (
        "aggregation 'total' (sum): items[2] has no value for 'amount' "
        "(skip_missing: true leaves missing values out)"
    )
    output = await aggregated(
        items=items, aggregations={"total": {"op": "sum", "field": "amount"}}, skip_missing=True
    )
    assert output["groups"] == [{"key": None, "count": 3, "total": 3}]


async def test_a_missing_group_key_is_reported_or_skipped() -> None:
    items = [{"region": "EU"}, {"region": None}, "oops"]
    message = await aggregate_error(items=items, group_by="region")
    assert message == (
        "items[1] has no value for group_by 'region' (skip_missing: true leaves such items out)"
    )
    output = await aggregated(items=items, group_by="region", skip_missing=True)
    assert output == {"groups": [{"key": "EU", "count": 1}], "total": 1}


async def test_an_item_that_is_not_a_record_is_described() -> None:
    message = await aggregate_error(
        items=[{"n": 1}, 7], aggregations={"s": {"op": "sum", "field": "n"}}
    )
    assert "items[1] has no value for 'n'; it is a number, not an object" in message


@pytest.mark.parametrize(
    ("op", "items", "expected"),
    [
        (
            "sum",
            [{"v": 1}, {"v": "2"}],
            "aggregation 'x' (sum) needs numbers, but the value of items[1] is a string ('2')",
        ),
        ("avg", [{"v": True}], "needs numbers, but the value of items[0] is a boolean (True)"),
        (
            "max",
            [{"v": 1}, {"v": "b"}],
            "needs numbers, but the value of items[1] is a string ('b')",
        ),
        (
            "min",
            [{"v": "a"}, {"v": 2}],
            "needs strings only, as its first value is one, "
            "but the value of items[1] is a number (2)",
        ),
        ("concat", [{"v": "a"}, {"v": ["b"]}], "items[1] is a list (['b'])"),
        ("concat", [{"v": 1}], "needs strings or lists, but the value of items[0] is a number (1)"),
    ],
)
async def test_wrong_values_are_reported_with_their_item(
    op: str, items: list[Any], expected: str
) -> None:
    message = await aggregate_error(items=items, aggregations={"x": {"op": op, "field": "v"}})
    assert expected in message


def test_bad_definitions_are_refused() -> None:
    with pytest.raises(ValidationError, match="'count' cannot name an aggregation"):
        aggregate.AggregateConfig.model_validate(
            {"items": [], "aggregations": {"count": {"op": "count"}}}
        )
    with pytest.raises(ValidationError, match="unknown JMESPath function summ"):
        aggregate.AggregateConfig.model_validate(
            {"items": [], "aggregations": {"t": {"op": "sum", "field": "summ(x)"}}}
        )
    with pytest.raises(ValidationError, match="at column"):
        aggregate.AggregateConfig.model_validate({"items": [], "group_by": "a b"})
    with pytest.raises(ValidationError, match="median"):
        aggregate.AggregateConfig.model_validate(
            {"items": [], "aggregations": {"m": {"op": "median"}}}
        )


async def test_a_failing_expression_names_the_item() -> None:
    with pytest.raises(OperationError) as caught:
        await run(
            aggregate.KIND,
            {
                "items": [{"v": [1]}, {"v": ["x"]}],
                "aggregations": {"s": {"op": "sum", "field": "sum(v)"}},
            },
        )
    assert caught.value.kind == "expression_error"
    assert "aggregations.s.field: 'sum(v)' failed on items[1]" in str(caught.value)
