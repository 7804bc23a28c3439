"""``text.split``: split text into parts at a separator string or regular expression."""

import asyncio
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from raikoo_common.runner import Kind, OperationContext
from raikoo_op_runner.kinds._text import check_pattern, compile_separator


class TextSplitConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The text to split.")
    # Declared before `separator`, whose check reads it.
    regex: bool = Field(
        default=False,
        description="Treat `separator` as a regular expression (Python syntax); "
        "its groups do not add parts.",
    )
    separator: str = Field(
        default="\n",
        min_length=1,
        description="Where to split: a literal string, or a regular expression with `regex`. "
        "Default: a line break.",
    )
    ignore_case: bool = Field(default=False, description="Match `separator` case-insensitively.")
    max_splits: int | None = Field(
        default=None,
        ge=1,
        description="Split at most this many times; the rest stays in the last part. "
        "Default: no limit.",
    )
    strip: bool = Field(
        default=False, description="Remove leading and trailing whitespace of each part."
    )
    drop_empty: bool = Field(
        default=False, description="Leave out empty parts (after `strip`, when set)."
    )

    @field_validator("separator")
    @classmethod
    def _separator_is_a_pattern(cls, separator: str, info: ValidationInfo) -> str:
        return check_pattern(separator) if info.data.get("regex") is True else separator


class TextSplitOutput(BaseModel):
    parts: list[str] = Field(description="The parts, in order.")
    count: int = Field(description="How many parts there are.")


async def execute(config: TextSplitConfig, context: OperationContext) -> TextSplitOutput:
    pattern = compile_separator(
        config.separator, regex=config.regex, ignore_case=config.ignore_case, where="separator"
    )
    if config.regex:  # a user's expression may backtrack for long: keep the loop responsive
        parts = await asyncio.to_thread(_split, config, pattern)
    else:
        parts = _split(config, pattern)
    return TextSplitOutput(parts=parts, count=len(parts))


def _split(config: TextSplitConfig, pattern: re.Pattern[str]) -> list[str]:
    text, start = config.text, 0
    parts: list[str] = []
    for match in pattern.finditer(text):
        if config.max_splits is not None and len(parts) == config.max_splits:
            break
        if match.end() == 0:
            continue  # a zero-width match at the very start separates nothing
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    if config.strip:
        parts = [part.strip() for part in parts]
    if config.drop_empty:
        parts = [part for part in parts if part]
    return parts


KIND = Kind(
    name="text.split",
    family="programmatic",
    config=TextSplitConfig,
    output=TextSplitOutput,
    execute=execute,
    summary="Splits text at a separator or regular expression into a list of parts.",
)
