"""``merge``: combine the outputs of several operations into one value."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.runner import Kind, OperationContext, OperationError
from raikoo_op_runner.kinds._values import describe_json


class MergeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inputs: list[Any] = Field(
        description="The values to combine, in order (e.g. outputs of upstream operations)."
    )
    mode: Literal["concat", "deep", "zip"] = Field(
        description="`concat`: lists joined into one list. `deep`: objects merged key by key, "
        "recursively, later inputs winning. `zip`: lists of equal length paired item by item."
    )
    list_strategy: Literal["replace", "append"] = Field(
        default="replace",
        description="With `deep`: when both sides hold a list, the later one `replace`s the "
        "earlier, or is `append`ed to it.",
    )
    names: list[str] | None = Field(
        default=None,
        min_length=1,
        description="With `zip`: one name per input, to make records "
        "(`{name: item, ...}`) instead of lists.",
    )
    skip_nulls: bool = Field(
        default=False,
        description="Leave out inputs that are null (e.g. the output of a skipped branch) "
        "instead of failing on them.",
    )


class MergeOutput(BaseModel):
    result: Any = Field(description="The combined value: a list (concat, zip) or an object (deep).")


async def execute(config: MergeConfig, context: OperationContext) -> MergeOutput:
    inputs = [
        (index, value)
        for index, value in enumerate(config.inputs)
        if not (config.skip_nulls and value is None)
    ]
    if config.mode == "concat":
        return MergeOutput(result=_concat(inputs))
    if config.mode == "deep":
        return MergeOutput(result=_deep(inputs, append=config.list_strategy == "append"))
    return MergeOutput(result=_zip(inputs, config.names, skipped=len(config.inputs) - len(inputs)))


def _concat(inputs: list[tuple[int, Any]]) -> list[Any]:
    joined: list[Any] = []
    for index, value in inputs:
        joined.extend(_expect(value, list, index, "concat"))
    return joined


def _deep(inputs: list[tuple[int, Any]], *, append: bool) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for index, value in inputs:
        merged = _merge_dicts(merged, _expect(value, dict, index, "deep"), append)
    return merged


def _merge_dicts(base: dict[str, Any], update: dict[str, Any], append: bool) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        earlier = merged.get(key)
        if isinstance(earlier, dict) and isinstance(value, dict):
            merged[key] = _merge_dicts(earlier, value, append)
        elif append and isinstance(earlier, list) and isinstance(value, list):
            merged[key] = earlier + value
        else:  # different kinds of value, or scalars: the later input wins
            merged[key] = value
    return merged


def _zip(inputs: list[tuple[int, Any]], names: list[str] | None, skipped: int) -> list[Any]:
    lists = [(index, _expect(value, list, index, "zip")) for index, value in inputs]
    if names is not None and len(names) != len(lists):
        left_out = f" ({skipped} null inputs left out)" if skipped else ""
        raise OperationError(
            f"names has {len(names)} names for {len(lists)} inputs{left_out}; give one per input",
            kind="invalid_input",
            retryable=False,
        )
    if names is not None and len(set(names)) != len(names):
        raise OperationError("names has duplicates", kind="invalid_input", retryable=False)
    if lists:
        first_index, first = lists[0]
        for index, items in lists[1:]:
            if len(items) != len(first):
                raise OperationError(
                    f"zip needs lists of equal length: inputs[{index}] has {len(items)} items, "
                    f"inputs[{first_index}] has {len(first)}",
                    kind="invalid_input",
                    retryable=False,
                )
    rows = [list(row) for row in zip(*(items for _, items in lists), strict=True)]
    return rows if names is None else [dict(zip(names, row, strict=True)) for row in rows]


def _expect(value: Any, expected: type, index: int, mode: str) -> Any:
    if not isinstance(value, expected):
        wanted = "a list" if expected is list else "an object"
        hint = " (skip_nulls: true leaves null inputs out)" if value is None else ""
        raise OperationError(
            f"mode {mode} needs {wanted} in every input, but inputs[{index}] is "
            f"{describe_json(value)}{hint}",
            kind="invalid_input",
            retryable=False,
        )
    return value


KIND = Kind(
    name="merge",
    family="programmatic",
    config=MergeConfig,
    output=MergeOutput,
    execute=execute,
    summary="Combines several values: concatenates lists, deep-merges objects or zips lists.",
)
