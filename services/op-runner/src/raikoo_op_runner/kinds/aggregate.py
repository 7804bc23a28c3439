"""``aggregate``: group records and compute counts, sums, averages and more per group."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator

from raikoo_common.runner import Kind, OperationContext, OperationError
from raikoo_op_runner.kinds._aggregations import Values, compute
from raikoo_op_runner.kinds._jmespath import Compiled, JMESPathExpression
from raikoo_op_runner.kinds._values import describe_json

RESERVED_NAMES = frozenset({"key", "count"})


class Aggregation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: Literal["sum", "avg", "min", "max", "count", "collect", "first", "last", "concat"] = Field(
        description="`sum`, `avg`, `min`, `max` of numbers (`min`/`max` also of strings); "
        "`count` of items with a value; `collect` the values into a list; `first`/`last` "
        "value; `concat` strings (joined by `separator`) or lists."
    )
    field: JMESPathExpression | None = Field(
        default=None,
        description="Which value of each item: a field name or a JMESPath expression "
        '(`price`, `order.total`, `"unit price"`). Default: the item itself.',
    )
    separator: str = Field(default="", description="With `concat` of strings: put between them.")


class AggregateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Any] = Field(description="The records to aggregate (usually objects).")
    group_by: JMESPathExpression | None = Field(
        default=None,
        description="Group items by this field name or JMESPath expression (`region`, "
        "`customer.country`). Default: one group of all items.",
    )
    aggregations: dict[str, Aggregation] = Field(
        default_factory=dict,
        description="Values to compute per group, by the name they get in the group: "
        "`{revenue: {op: sum, field: price}}`. Every group also has `key` and `count`.",
    )
    skip_missing: bool = Field(
        default=False,
        description="Leave out missing (absent or null) values instead of failing: an item "
        "without a `group_by` value is left out, a value missing for an aggregation is not "
        "counted in it.",
    )

    @field_validator("aggregations")
    @classmethod
    def _names_are_free(cls, aggregations: dict[str, Aggregation]) -> dict[str, Aggregation]:
        for name in aggregations:
            if name in RESERVED_NAMES or not name:
                raise ValueError(f"{name!r} cannot name an aggregation: key and count are taken")
        return aggregations


class AggregateOutput(BaseModel):
    groups: list[dict[str, Any]] = Field(
        description="One object per group, in order of first appearance: `key` (the group_by "
        "value, null without group_by), `count` (items in the group) and each aggregation."
    )
    total: int = Field(description="How many items were aggregated.")


class _Group:
    def __init__(self, key: Any) -> None:
        self.key = key
        self.members: list[tuple[int, Any]] = []


async def execute(config: AggregateConfig, context: OperationContext) -> AggregateOutput:
    groups = _group(config)
    fields = {
        name: Compiled(spec.field, f"aggregations.{name}.field") if spec.field else None
        for name, spec in config.aggregations.items()
    }
    rows = []
    for group in groups:
        row: dict[str, Any] = {"key": group.key, "count": len(group.members)}
        for name, spec in config.aggregations.items():
            values = _values(group, name, spec, fields[name], config.skip_missing)
            row[name] = compute(
                spec.op, values, f"aggregation {name!r} ({spec.op})", spec.separator
            )
        rows.append(row)
    return AggregateOutput(groups=rows, total=sum(row["count"] for row in rows))


def _group(config: AggregateConfig) -> list[_Group]:
    if config.group_by is None:
        whole = _Group(None)
        whole.members = list(enumerate(config.items))
        return [whole]
    by = Compiled(config.group_by, "group_by")
    groups: dict[bytes, _Group] = {}
    for index, item in enumerate(config.items):
        key = by.search(item, f"items[{index}]")
        if key is None:
            if config.skip_missing:
                continue
            raise OperationError(
                f"items[{index}] has no value for group_by {config.group_by!r}"
                f"{_not_a_record(item)} (skip_missing: true leaves such items out)",
                kind="invalid_input",
                retryable=False,
            )
        # Keys may be objects or lists, which cannot be dict keys: group by their JSON.
        canonical = orjson.dumps(key, option=orjson.OPT_SORT_KEYS)
        groups.setdefault(canonical, _Group(key)).members.append((index, item))
    return list(groups.values())


def _values(
    group: _Group, name: str, spec: Aggregation, field: Compiled | None, skip_missing: bool
) -> Values:
    values: Values = []
    for index, item in group.members:
        value = item if field is None else field.search(item, f"items[{index}]")
        if value is not None:
            values.append((index, value))
        elif not (skip_missing or spec.op == "count"):
            what = f"value for {spec.field!r}" if spec.field else "value"
            raise OperationError(
                f"aggregation {name!r} ({spec.op}): items[{index}] has no {what}"
                f"{_not_a_record(item)} (skip_missing: true leaves missing values out)",
                kind="invalid_input",
                retryable=False,
            )
    return values


def _not_a_record(item: Any) -> str:
    return "" if isinstance(item, dict) else f"; it is {describe_json(item)}, not an object"


KIND = Kind(
    name="aggregate",
    family="programmatic",
    config=AggregateConfig,
    output=AggregateOutput,
    execute=execute,
    summary="Groups records and computes count, sum, avg, min, max, collect, first, last, concat.",
)
